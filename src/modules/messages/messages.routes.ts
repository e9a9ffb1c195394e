import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ListOf } from '../../platform/http/common.schemas.ts'
import { success } from '../../platform/http/responses.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import { normalizeEmail } from '../users/index.ts'
import { listMessages } from './messages.repository.ts'
import { ListMessagesQuery, MessageSchema, toMessage } from './messages.schemas.ts'

const DEFAULT_PAGE_SIZE = 50

/** GET /api/messages: the mail outbox, for advisors and admins. Not cached: it changes with every send. */
export async function messagesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/',
    {
      config: { permission: 'message:list' },
      schema: {
        tags: ['messages'],
        operationId: 'listMessages',
        summary: 'The mail outbox, newest first (advisor, admin)',
        description:
          'Every message the server sent, is sending, gave up on (failed) or only recorded (no SMTP_URL). ' +
          'Filter by status and exact recipient. The tokens of reset and invitation links are shown as token=[redacted].',
        querystring: ListMessagesQuery,
        response: { 200: success('One page of messages, newest first', ListOf(MessageSchema)) },
      },
    },
    async (request) => {
      const { status, to, cursor } = request.query
      const limit = request.query.limit ?? DEFAULT_PAGE_SIZE
      const before = decodeCursor(cursor)
      const rows = await listMessages(app.db, { status, to: to === undefined ? undefined : normalizeEmail(to), beforeId: before === 0 ? undefined : before, limit: limit + 1 })
      return toPage(rows, limit, toMessage)
    },
  )
}
