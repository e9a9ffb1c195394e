import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { success } from '../../platform/http/responses.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import { listAudit } from './audit.repository.ts'
import { AuditList, ListAuditQuery, toAuditEntry } from './audit.schemas.ts'

const DEFAULT_PAGE_SIZE = 50

/** GET /api/audit: the audit log, newest first (advisor, admin). Not cached: read rarely, and it grows with every write. */
export async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        operationId: 'listAudit',
        summary: 'The audit log, newest first (advisor, admin)',
        description:
          'Every audited change (work orders, jobs, lines, decisions, appointments, odometer corrections, shop settings), ' +
          'each written in the same transaction as the change. Filter by entity kind and id. Read from the database (not cached).',
        querystring: ListAuditQuery,
        response: { 200: success('One page of audit entries, newest first', AuditList) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_PAGE_SIZE
      const before = decodeCursor(request.query.cursor)
      const rows = await listAudit(app.db, { entity: request.query.entity, entityId: request.query.entityId, beforeId: before === 0 ? undefined : before, limit: limit + 1 })
      return toPage(rows, limit, toAuditEntry)
    },
  )
}
