import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createDbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import { errors, noContent, success } from '../../platform/http/responses.ts'
import { AuthErrors } from './auth.errors.ts'
import { InvitationAccepted, LinkTokenParams, NewPasswordBody, PasswordResetRequestBody } from './account-links.schemas.ts'
import { createAccountLinksService } from './account-links.service.ts'

/** Password reset and accepting an invitation, under /api/auth; public (the link is the credential). */
export async function accountLinksRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  // Counted in PostgreSQL, as the sign-in limits are: Redis eviction cannot reset them (decision 007).
  const limiter = createDbRateLimiter(app.database.db)
  const links = createAccountLinksService({ db: app.database.db, writer: app.writer, config: app.config, limiter, outbox: app.outbox })
  // Registered after the database and cache plugins, so it runs before they close.
  app.addHook('onClose', async () => links.drain())

  app.post(
    '/password-reset',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        operationId: 'requestPasswordReset',
        summary: 'Ask for a password-reset link by mail',
        description:
          '202 whether or not the address has an account (nothing tells which). An active account gets a one-time link ' +
          '<PUBLIC_URL>/reset-password#token=… valid PASSWORD_RESET_TTL (1 hour) through the outbox. ' +
          'Limited per client address (IPv6 by /64) and per email (PASSWORD_RESETS_PER_ADDRESS, PASSWORD_RESETS_PER_EMAIL per PASSWORD_RESET_WINDOW).',
        security: [],
        body: PasswordResetRequestBody,
        response: { 202: noContent('Accepted: a link is mailed if the address has an active account'), ...errors({ 429: [{ ...PlatformErrors.RATE_LIMITED, description: 'Too many reset requests from this address or for this email' }] }) },
      },
    },
    async (request, reply) => {
      const { written } = await links.requestReset(request.body.email, request.ip)
      // Answered before the link is written: a known address must not answer measurably later.
      written.catch((error: unknown) => request.log.error({ err: error }, 'password-reset link not written'))
      return reply.code(202).send(null)
    },
  )

  app.post(
    '/password-reset/:token',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        operationId: 'completePasswordReset',
        summary: 'Set a new password with a reset link',
        description: 'Ends every session of the user. A used, expired or unknown token is 410 ECAR_ERR_LINK_GONE.',
        security: [],
        params: LinkTokenParams,
        body: NewPasswordBody,
        response: { 204: noContent('Password set; every session of the user has ended'), ...errors({ 410: [AuthErrors.LINK_GONE] }) },
      },
    },
    async (request, reply) => {
      await links.completeReset(request.params.token, request.body.password)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/invitations/:token',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        operationId: 'acceptInvitation',
        summary: 'Accept an invitation: set the password and sign in',
        description: 'A used, expired or unknown token is 410 ECAR_ERR_LINK_GONE, as is one whose account got a password meanwhile.',
        security: [],
        params: LinkTokenParams,
        body: NewPasswordBody,
        response: { 200: success('Signed in: the new session and the account', InvitationAccepted), ...errors({ 410: [AuthErrors.LINK_GONE] }) },
      },
    },
    async (request) => links.acceptInvitation(request.params.token, request.body.password),
  )
}
