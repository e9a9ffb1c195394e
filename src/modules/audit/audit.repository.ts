import { and, desc, eq, lt, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { auditLog, type AuditRow } from './audit.table.ts'

/** What one audited change says: who did what to which object, and each changed field's old and new value. */
export interface AuditEntry {
  actorId: number | null
  action: string
  entity: string
  entityId: number
  changes: Record<string, [unknown, unknown]>
}

/** Appends an entry; call it inside the writer transaction of the change it records. */
export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(entry)
}

/**
 * The changed fields between two versions of an object, as `[old, new]` pairs (JSON-equal values are
 * unchanged); a creation passes `before` as null, so every field becomes `[null, value]`.
 */
export function changesBetween(before: Record<string, unknown> | null, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {}
  for (const [field, value] of Object.entries(after)) {
    const old = before === null ? null : (before[field] ?? null)
    if (JSON.stringify(old) !== JSON.stringify(value ?? null)) changes[field] = [old, value ?? null]
  }
  return changes
}

/** Entries newest first, for one entity kind and id when given, before a cursor id. */
export async function listAudit(db: Executor, filter: { entity?: string | undefined; entityId?: number | undefined; beforeId?: number | undefined; limit: number }): Promise<AuditRow[]> {
  const conditions: SQL[] = []
  if (filter.entity !== undefined) conditions.push(eq(auditLog.entity, filter.entity))
  if (filter.entityId !== undefined) conditions.push(eq(auditLog.entityId, filter.entityId))
  if (filter.beforeId !== undefined) conditions.push(lt(auditLog.id, filter.beforeId))
  return db
    .select()
    .from(auditLog)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit)
}
