import type { ModuleCache } from '../../platform/cache/module-cache.ts'
import type { Executor } from '../../platform/db/database.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import { listUsersWithRole } from '../users/index.ts'
import { MECHANICS_KEY, MECHANICS_NAMESPACE, mechanicsTag } from './mechanics.cache.ts'
import type { ListMechanicsInput, Mechanic } from './mechanics.schemas.ts'

/** The mechanics, read through one data-cache entry shared by all staff. */
export function createMechanicsService(deps: { db: Executor; cache: ModuleCache; ttlMs: number }) {
  const entry = { namespace: MECHANICS_NAMESPACE, ttlMs: deps.ttlMs, tags: [mechanicsTag()] }

  /** Every mechanic by id, and how the cache answered. */
  async function all(): Promise<{ mechanics: Mechanic[]; status: string }> {
    const { value, status } = await deps.cache.getOrSet(MECHANICS_KEY, async () => (await listUsersWithRole(deps.db, 'mechanic')).map((row) => ({ id: row.id, name: row.name, active: row.active })), entry)
    return { mechanics: value, status }
  }

  return {
    all,

    /** One page of mechanics by id, optionally only active or inactive ones (filtered and paged over the cached list). */
    async list(query: ListMechanicsInput): Promise<{ page: { items: Mechanic[]; nextCursor: string | null }; status: string }> {
      const limit = query.limit ?? 50
      const after = decodeCursor(query.cursor)
      const { mechanics, status } = await all()
      const rows = mechanics.filter((m) => m.id > after && (query.active === undefined || m.active === query.active)).slice(0, limit + 1)
      return { page: toPage(rows, limit, (m) => m), status }
    },
  }
}

/** The mechanics service. */
export type MechanicsService = ReturnType<typeof createMechanicsService>
