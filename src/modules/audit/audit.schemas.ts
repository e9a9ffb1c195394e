import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'
import type { AuditRow } from './audit.table.ts'

/** One audited change as the API shows it. */
export const AuditEntrySchema = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actorId: Type.Union([Type.Integer(), Type.Null()], { description: 'The signed-in user who made the change; null for the system or a share link' }),
    action: Type.String({ description: 'e.g. work_order.status, appointment.created, odometer.correction, shop.updated' }),
    entity: Type.String({ description: 'e.g. work_order, job, line, decision, appointment, odometer_reading, shop' }),
    entityId: Type.Integer(),
    changes: Type.Record(Type.String(), Type.Array(Type.Unknown(), { minItems: 2, maxItems: 2 }), { description: '{ field: [old, new] }' }),
  },
  { title: 'AuditEntry', additionalProperties: false },
)
export type AuditEntryView = Static<typeof AuditEntrySchema>

/** The API object of an audit row. */
export function toAuditEntry(row: AuditRow): AuditEntryView {
  return { id: row.id, at: row.at.toISOString(), actorId: row.actorId, action: row.action, entity: row.entity, entityId: row.entityId, changes: row.changes }
}

/** `?entity=&entityId=&limit=&cursor=` of GET /api/audit. */
export const ListAuditQuery = Type.Object(
  {
    entity: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$', description: 'The kind of object, e.g. work_order' })),
    entityId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type ListAuditInput = Static<typeof ListAuditQuery>

/** A page of audit entries. */
export const AuditList = ListOf(AuditEntrySchema)
