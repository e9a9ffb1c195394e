import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdParams, ListOf, problemResponses } from '../../platform/http/common.schemas.ts'
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserSchema } from './users.schemas.ts'
import { createUsersService } from './users.service.ts'

const adminOnly = { roles: ['admin'] as const }

/** Staff account management under /api/users: admins only. */
export async function usersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const users = createUsersService({ db: app.db, writer: app.writer, passwordHashCost: app.config.auth.passwordHashCost })

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
          'Change name, phone, email, role, active or password; a new role, deactivation or password ends the user’s sessions ' +
          '(409 ECAR_ERR_LAST_ADMIN for the last active admin, ECAR_ERR_OWNS_VEHICLES for a customer who owns vehicles ' +
          'and would become staff, ECAR_ERR_EMAIL_TAKEN for a taken email)',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema, ...problemResponses },
      },
    },
    async (request) => users.update(request.params.id, request.body, request.principal),
  )
}
