import type { Actor } from '../../platform/auth/principal.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { sqlState } from '../../platform/db/db-errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import { changesBetween, recordAudit } from '../audit/index.ts'
import { baysTag } from './bays.cache.ts'
import { BayErrors } from './bays.errors.ts'
import { findBay, insertBay, listBaysPage, updateBay } from './bays.repository.ts'
import { toBay, type Bay, type CreateBayInput, type ListBaysInput, type UpdateBayInput } from './bays.schemas.ts'

const nameTaken = () => problem(BayErrors.BAY_NAME_TAKEN, 'Another bay already has this name.')

/** Runs a write that may hit the unique name index, turning that violation into the coded 409. */
async function guardName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    // bays_name_key (lower(name)) is the only unique index a bay write can violate.
    if (sqlState(error) === '23505') throw nameTaken()
    throw error
  }
}

/** The shop's bays: listed by staff, set up by admins; every write touches `bays` and is audited. */
export function createBaysService(deps: { db: Executor; writer: Writer }) {
  return {
    /** One page of bays by id, optionally only active or inactive ones. */
    async list(query: ListBaysInput): Promise<{ items: Bay[]; nextCursor: string | null }> {
      const limit = query.limit ?? 50
      const rows = await listBaysPage(deps.db, { afterId: decodeCursor(query.cursor), limit, active: query.active })
      return toPage(rows, limit, toBay)
    },

    /** Adds a bay; 409 ECAR_ERR_BAY_NAME_TAKEN when the name (ignoring case) exists. */
    async create(actor: Actor, input: CreateBayInput): Promise<Bay> {
      return deps.writer.transaction(async (tx, touch) => {
        const row = await guardName(() => insertBay(tx, { name: input.name.trim(), ...(input.active !== undefined ? { active: input.active } : {}) }))
        const bay = toBay(row)
        await recordAudit(tx, { actorId: actor.userId, action: 'bay.created', entity: 'bay', entityId: bay.id, changes: changesBetween(null, bay) })
        touch(baysTag())
        return bay
      })
    },

    /** Renames or (de)activates a bay; 404 for an unknown id, 409 for a taken name; a change of nothing touches nothing. */
    async update(actor: Actor, id: number, input: UpdateBayInput): Promise<Bay> {
      return deps.writer.transaction(async (tx, touch) => {
        const current = await findBay(tx, id, { forUpdate: true })
        if (!current) throw problem(BayErrors.BAY_NOT_FOUND, 'Bay not found.')
        const row = await guardName(() =>
          updateBay(tx, id, { ...(input.name !== undefined ? { name: input.name.trim() } : {}), ...(input.active !== undefined ? { active: input.active } : {}) }),
        )
        const before = toBay(current)
        const after = toBay(row!)
        const changes = changesBetween(before, after)
        if (Object.keys(changes).length > 0) {
          await recordAudit(tx, { actorId: actor.userId, action: 'bay.updated', entity: 'bay', entityId: id, changes })
          touch(baysTag())
        }
        return after
      })
    },
  }
}
