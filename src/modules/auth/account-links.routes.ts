import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { createRateLimiter } from '../../platform/auth/rate-limiter.ts'
import { problemResponses } from '../../platform/http/common.schemas.ts'
import { goneResponse, InvitationAccepted, LinkTokenParams, NewPasswordBody, PasswordResetRequestBody } from './account-links.schemas.ts'
import { createAccountLinksService } from './account-links.service.ts'

/** Password reset and accepting an invitation, under /api/auth; public (the link is the credential). */
export async function accountLinksRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const limiter = createRateLimiter({ redis: app.redis, prefix: app.config.cache.prefix, breakerMs: app.config.redis.breakerMs })
  const links = createAccountLinksService({ db: app.database.db, writer: app.writer, config: app.config, limiter, outbox: app.outbox })
  // Registered after the database and cache plugins, so it runs before they close.
  app.addHook('onClose', async () => links.drain())

  app.post(
    '/password-reset',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Ask for a password-reset link by mail',
        description:
          '202 whether or not the address has an account (nothing tells which). An active account gets a one-time link ' +
          '<PUBLIC_URL>/reset-password#token=… valid PASSWORD_RESET_TTL (1 hour) through the outbox. ' +
          'Limited per client address and per email (PASSWORD_RESETS_PER_ADDRESS, PASSWORD_RESETS_PER_EMAIL per PASSWORD_RESET_WINDOW).',
        security: [],
        body: PasswordResetRequestBody,
        response: { 202: Type.Null({ description: 'Accepted' }), ...problemResponses },
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
        summary: 'Set a new password with a reset link',
        description: 'Ends every session of the user. A used, expired or unknown token is 410 ECAR_ERR_LINK_GONE.',
        security: [],
        params: LinkTokenParams,
        body: NewPasswordBody,
        response: { 204: Type.Null({ description: 'Password set' }), ...problemResponses, ...goneResponse },
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
        summary: 'Accept an invitation: set the password and sign in',
        description: 'A used, expired or unknown token is 410 ECAR_ERR_LINK_GONE, as is one whose account got a password meanwhile.',
        security: [],
        params: LinkTokenParams,
        body: NewPasswordBody,
        response: { 200: InvitationAccepted, ...problemResponses, ...goneResponse },
      },
    },
    async (request) => links.acceptInvitation(request.params.token, request.body.password),
  )
}
