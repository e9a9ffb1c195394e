import { getTableColumns, sql, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'

/**
 * The `updated_at` of an UPDATE that sets `changes`: now() when one of the columns really changes,
 * its current value otherwise, so a PATCH that changes nothing does not move `updatedAt`. The
 * comparison runs in the UPDATE itself (SET expressions see the row as it was), on the locked row.
 */
export function updatedAtFor(table: PgTable, changes: Record<string, unknown>, updatedAt: PgColumn): SQL {
  const columns = getTableColumns(table) as Record<string, PgColumn>
  const differs = Object.entries(changes)
    .filter(([name, value]) => value !== undefined && columns[name] !== undefined)
    .map(([name, value]) => sql`${columns[name]} is distinct from ${sql.param(value, columns[name])}`)
  if (differs.length === 0) return sql`${updatedAt}`
  return sql`case when ${sql.join(differs, sql` or `)} then now() else ${updatedAt} end`
}
