import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createDbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import { configurePasswordHashing } from '../../platform/auth/password.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import { created, errors, noContent, success } from '../../platform/http/responses.ts'
import { UserErrors } from '../users/index.ts'
import { AuthErrors } from './auth.errors.ts'
import { LoginBody, LoginResponse, RegisterBody, RegisterResponse, UpdateMeBody, UserSchema } from './auth.schemas.ts'
import { createAuthService } from './auth.service.ts'

/** Routes of the auth module: registration, sign-in and sign-out, and the caller's own account. */
export async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  // Counters live in the database: nothing evicts them, and every instance counts in one place.
  const limiter = createDbRateLimiter(app.database.db)
  configurePasswordHashing({ concurrency: app.config.auth.passwordHashConcurrency, queue: app.config.auth.passwordHashQueue })
  const service = createAuthService({ db: app.database.db, writer: app.writer, config: app.config, limiter, events: app.accountEvents })

  app.post(
    '/register',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        operationId: 'register',
        summary: 'Create a customer account and sign it in',
        description:
          'The email is stored lower-case. Limited per client address, IPv6 by /64 (REGISTRATIONS_PER_ADDRESS per REGISTRATION_WINDOW); over it 429 with Retry-After.',
        security: [],
        body: RegisterBody,
        response: {
          201: created('The new account and its session; Location is the customer', RegisterResponse),
          ...errors({ 409: [UserErrors.EMAIL_TAKEN], 429: [{ ...PlatformErrors.RATE_LIMITED, description: 'Too many registrations from this address' }] }),
        },
      },
    },
    async (request, reply) => {
      const result = await service.register(request.body, request.ip)
      return reply.code(201).header('location', `/api/customers/${result.user.id}`).send(result)
    },
  )

  app.post(
    '/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        operationId: 'login',
        summary: 'Sign in: returns a bearer token',
        description:
          'Every kind of failure is the same 401 ECAR_ERR_BAD_CREDENTIALS. Over a limit the answer is 429 ECAR_ERR_RATE_LIMITED with Retry-After. ' +
          'Limits (docs/decisions/007-login-limits.md), per LOGIN_FAILURE_WINDOW: "per account" means one account from one client address ' +
          '(IPv6 by /64): LOGIN_FAILURES_PER_ACCOUNT failures (default 5), then that address waits for that account; ' +
          'LOGIN_FAILURES_PER_ADDRESS failures from one address across accounts (default 50); attempts on one account from addresses that never ' +
          'signed in to it pass LOGIN_FAILURES_PER_ACCOUNT times, then one per back-off delay (10 s, doubling, at most the window), while an address ' +
          'that signed in to the account before is not slowed by guesses from elsewhere; LOGIN_SUCCESSES_PER_ACCOUNT successful sign-ins per account ' +
          '(default 30). A successful sign-in clears the account\'s failures; signing in past MAX_SESSIONS_PER_USER live sessions ends the oldest. ' +
          'An admin clears an account\'s limits with DELETE /api/users/{id}/login-limits. 503 with Retry-After when too many password checks queue.',
        security: [],
        body: LoginBody,
        response: {
          200: success('Signed in', LoginResponse),
          ...errors({ 401: [AuthErrors.BAD_CREDENTIALS], 429: [{ ...PlatformErrors.RATE_LIMITED, description: 'Too many failed sign-ins' }] }),
        },
      },
    },
    async (request) => service.login(request.body, request.ip),
  )

  app.post(
    '/logout',
    {
      config: { permission: 'session:end' },
      schema: {
        tags: ['auth'],
        operationId: 'logout',
        summary: 'Sign out: the token stops working at once, on every instance',
        response: { 204: noContent('Signed out') },
      },
    },
    async (request, reply) => {
      await service.logout(request.principal!)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/me',
    {
      config: { permission: 'account:read' },
      schema: {
        tags: ['auth'],
        operationId: 'getMe',
        summary: 'The signed-in user',
        response: { 200: success('The signed-in user', UserSchema) },
      },
    },
    async (request) => service.me(request.principal!),
  )

  app.patch(
    '/me',
    {
      config: { permission: 'account:update' },
      schema: {
        tags: ['auth'],
        operationId: 'updateMe',
        summary: "Change the signed-in user's name, phone, email or password",
        description:
          'A new password or email needs currentPassword (400 ECAR_ERR_BAD_CURRENT_PASSWORD when wrong); a new password ends every ' +
          'other session of the user, this one stays signed in. 409 ECAR_ERR_EMAIL_TAKEN when another account has the email.',
        body: UpdateMeBody,
        response: {
          200: success('The account as changed', UserSchema),
          ...errors({
            400: [AuthErrors.BAD_CURRENT_PASSWORD],
            409: [UserErrors.EMAIL_TAKEN],
            429: [{ ...PlatformErrors.RATE_LIMITED, description: 'Too many wrong current passwords for this account' }],
          }),
        },
      },
    },
    async (request) => service.updateMe(request.principal!, request.body),
  )
}
