import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { createRateLimiter } from '../../platform/auth/rate-limiter.ts'
import { problemResponses } from '../../platform/http/common.schemas.ts'
import { LoginBody, LoginResponse, RegisterBody, RegisterResponse, UpdateMeBody, UserSchema } from './auth.schemas.ts'
import { createAuthService } from './auth.service.ts'

/** Routes of the auth module: registration, sign-in and sign-out, and the caller's own account. */
export async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const limiter = createRateLimiter({ redis: app.redis, prefix: app.config.cache.prefix, breakerMs: app.config.redis.breakerMs })
  const service = createAuthService({ db: app.database.db, writer: app.writer, config: app.config, limiter })

  app.post(
    '/register',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Create a customer account and sign it in',
        description: 'The email is stored lower-case. Limited per client address (REGISTRATIONS_PER_ADDRESS per REGISTRATION_WINDOW).',
        security: [],
        body: RegisterBody,
        response: { 201: RegisterResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await service.register(request.body, request.ip)
      return reply.code(201).send(result)
    },
  )

  app.post(
    '/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in: returns a bearer token',
        description:
          'Every kind of failure is the same 401 ECAR_ERR_BAD_CREDENTIALS. Failed attempts are limited per account and per client address; over the limit the answer is 429 with Retry-After.',
        security: [],
        body: LoginBody,
        response: { 200: LoginResponse, ...problemResponses },
      },
    },
    async (request) => service.login(request.body, request.ip),
  )

  app.post(
    '/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the token stops working at once, on every instance',
        response: { 204: Type.Null({ description: 'Signed out' }), ...problemResponses },
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
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: { 200: UserSchema, ...problemResponses },
      },
    },
    async (request) => service.me(request.principal!),
  )

  app.patch(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: "Change the signed-in user's name, phone or password",
        description: 'A new password needs currentPassword and ends every other session of the user; this one stays signed in.',
        body: UpdateMeBody,
        response: { 200: UserSchema, ...problemResponses },
      },
    },
    async (request) => service.updateMe(request.principal!, request.body),
  )
}
