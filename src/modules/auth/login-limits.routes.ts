import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createDbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { errors, noContent } from '../../platform/http/responses.ts'
import { UserErrors } from '../users/index.ts'
import { loginRules, unlockAccount } from './login-limits.ts'


/** The admin's unlock of an account's sign-in limits, under /api/users (the counters are this module's). */
export async function loginLimitsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const limiter = createDbRateLimiter(app.database.db)
  const rules = loginRules(app.config)

  app.delete(
    '/:id/login-limits',
    {
      config: { permission: 'loginLimits:clear' },
      schema: {
        tags: ['users'],
        operationId: 'clearLoginLimits',
        summary: "Clear an account's sign-in limits (its back-off, its failures from every address, its successes); audit-logged",
        description: 'Per-address counters stay: they belong to the address, not the account. 404 when the user does not exist.',
        params: IdParams,
        response: { 204: noContent('Cleared'), ...errors({ 404: [UserErrors.USER_NOT_FOUND] }) },
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
