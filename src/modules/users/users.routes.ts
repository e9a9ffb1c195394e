import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdParams, ListOf } from '../../platform/http/common.schemas.ts'
import { created, errors, success } from '../../platform/http/responses.ts'
import { UserErrors } from './users.errors.ts'
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserSchema } from './users.schemas.ts'
import { createUsersService } from './users.service.ts'


/** Staff account management under /api/users: admins only. */
export async function usersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const users = createUsersService({ db: app.db, writer: app.writer, events: app.accountEvents, passwordHashCost: app.config.auth.passwordHashCost })

  app.post(
    '/',
    {
      config: { permission: 'user:create' },
      schema: {
        tags: ['users'],
        operationId: 'createUser',
        summary: 'Create an account of any role',
        description: 'Admins only. 409 ECAR_ERR_EMAIL_TAKEN if the email exists.',
        body: CreateUserBody,
        response: { 201: created('The new account', UserSchema), ...errors({ 409: [UserErrors.EMAIL_TAKEN] }) },
      },
    },
    async (request, reply) => {
      const user = await users.create(request.body)
      return reply.code(201).header('location', `/api/users/${user.id}`).send(user)
    },
  )

  app.get(
    '/',
    {
      config: { permission: 'user:list' },
      schema: {
        tags: ['users'],
        operationId: 'listUsers',
        summary: 'List accounts',
        description: 'Admins only. By id, filtered by role, active and a literal search over name and email.',
        querystring: ListUsersQuery,
        response: { 200: success('A page of accounts', ListOf(UserSchema)) },
      },
    },
    async (request) => users.list(request.query),
  )

  app.get(
    '/:id',
    {
      config: { permission: 'user:read' },
      schema: {
        tags: ['users'],
        operationId: 'getUser',
        summary: 'Get an account',
        description: 'Admins only.',
        params: IdParams,
        response: { 200: success('The account', UserSchema), ...errors({ 404: [UserErrors.USER_NOT_FOUND] }) },
      },
    },
    async (request) => users.get(request.params.id),
  )

  app.patch(
    '/:id',
    {
      config: { permission: 'user:update' },
      schema: {
        tags: ['users'],
        operationId: 'updateUser',
        summary: 'Change an account',
        description:
          'Admins only. Name, phone, email, role, active or password; a new role, deactivation or password ends the user’s sessions ' +
          '(409 ECAR_ERR_LAST_ADMIN for the last active admin, ECAR_ERR_OWNS_VEHICLES for a customer who owns vehicles ' +
          'and would become staff, ECAR_ERR_EMAIL_TAKEN for a taken email).',
        params: IdParams,
        body: UpdateUserBody,
        response: {
          200: success('The account as changed', UserSchema),
          ...errors({ 404: [UserErrors.USER_NOT_FOUND], 409: [UserErrors.LAST_ADMIN, UserErrors.OWNS_VEHICLES, UserErrors.EMAIL_TAKEN] }),
        },
      },
    },
    async (request) => users.update(request.params.id, request.body, request.principal),
  )
}
