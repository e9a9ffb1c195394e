import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { createDbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import { IdParams, ListOf, problemResponses } from '../../platform/http/common.schemas.ts'
import { loginRules, unlockAccount } from '../auth/login-limits.ts'
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserSchema } from './users.schemas.ts'
import { createUsersService } from './users.service.ts'

const adminOnly = { roles: ['admin'] as const }

/** Staff account management under /api/users: admins only. */
export async function usersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const users = createUsersService({ db: app.db, writer: app.writer, passwordHashCost: app.config.auth.passwordHashCost })
  const limiter = createDbRateLimiter(app.database.db)
  const rules = loginRules(app.config)

  app.post(
    '/',
    {
      config: adminOnly,
      schema: {
        tags: ['users'],
        summary: 'Create an account of any role (409 ECAR_ERR_EMAIL_TAKEN if the email exists)',
        body: CreateUserBody,
        response: { 201: UserSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const user = await users.create(request.body)
      return reply.code(201).send(user)
    },
  )

  app.get(
    '/',
    {
      config: adminOnly,
      schema: {
        tags: ['users'],
        summary: 'List accounts by id, filtered by role, active and a literal search over name and email',
        querystring: ListUsersQuery,
        response: { 200: ListOf(UserSchema), ...problemResponses },
      },
    },
    async (request) => users.list(request.query),
  )

  app.get(
    '/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['users'],
        summary: 'One account',
        params: IdParams,
        response: { 200: UserSchema, ...problemResponses },
      },
    },
    async (request) => users.get(request.params.id),
  )

  app.patch(
    '/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['users'],
        summary:
          'Change name, phone, role, active or password; a new role, deactivation or password ends the user’s sessions ' +
          '(409 ECAR_ERR_LAST_ADMIN for the last active admin)',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema, ...problemResponses },
      },
    },
    async (request) => users.update(request.params.id, request.body, request.principal),
  )

  app.delete(
    '/:id/login-limits',
    {
      config: adminOnly,
      schema: {
        tags: ['users'],
        summary: "Clear an account's sign-in limits (its back-off, its failures from every address, its successes); audit-logged",
        description: 'Per-address counters stay: they belong to the address, not the account. 404 when the user does not exist.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Cleared' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { cleared } = await unlockAccount(app.db, limiter, rules, request.params.id)
      // The audit trail: who unlocked whom (ids only; the log carries no emails).
      request.log.info({ audit: 'login-limits.cleared', userId: request.params.id, by: request.principal!.userId, counters: cleared }, 'sign-in limits cleared')
      return reply.code(204).send(null)
    },
  )
}
