import type { Actor } from '../../platform/auth/principal.ts'
import type { ModuleCache } from '../../platform/cache/module-cache.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Config } from '../../platform/config.ts'
import type { Executor } from '../../platform/db/database.ts'
import { invalidInput } from '../../platform/http/errors.ts'
import { changesBetween, recordAudit } from '../audit/index.ts'
import { SHOP_KEY, SHOP_NAMESPACE, shopTag } from './shop.cache.ts'
import { readShop, updateShop } from './shop.repository.ts'
import { isKnownTimezone, openingHoursProblems, toShop, type Shop, type UpdateShopInput } from './shop.schemas.ts'
import type { ShopRow } from './shop.table.ts'

/** What the shop service needs. */
export interface ShopServiceDeps {
  db: Executor
  writer: Writer
  cache: ModuleCache
  config: Config
}

/** The shop's settings: read through the data cache (every booking and price needs them), changed by admins. */
export function createShopService(deps: ShopServiceDeps) {
  const entry = { namespace: SHOP_NAMESPACE, ttlMs: deps.config.cache.responseTtlMs, tags: [shopTag()] }

  /** The settings row, cached under `shop_settings` (tag `shop`), and whether it came from the cache. */
  const cached = () => deps.cache.getOrSet(SHOP_KEY, () => readShop(deps.db), entry)

  /** The settings row (the fields every booking and price needs). */
  async function row(): Promise<ShopRow> {
    return (await cached()).value
  }

  return {
    row,

    /** The shop as the API shows it, and whether it came from the cache. */
    async get(): Promise<{ shop: Shop; status: string }> {
      const { value, status } = await cached()
      return { shop: toShop(value), status }
    },

    /** Changes settings (admin); refused with 400 and nothing changed for an unknown timezone or overlapping hours. */
    async update(actor: Actor, input: UpdateShopInput): Promise<Shop> {
      const problems = [
        ...(input.timezone !== undefined && !isKnownTimezone(input.timezone) ? [{ field: 'body.timezone', message: 'is not an IANA timezone' }] : []),
        ...(input.openingHours ? openingHoursProblems(input.openingHours) : []),
      ]
      if (problems.length > 0) throw invalidInput('The request is invalid; see errors.', problems)
      return deps.writer.transaction(async (tx, touch) => {
        const current = await readShop(tx, { forUpdate: true })
        const { taxRates, ...rest } = input
        const updated = await updateShop(tx, {
          ...rest,
          ...(taxRates?.labourBp !== undefined ? { labourTaxBp: taxRates.labourBp } : {}),
          ...(taxRates?.partsBp !== undefined ? { partsTaxBp: taxRates.partsBp } : {}),
          ...(taxRates?.feesBp !== undefined ? { feesTaxBp: taxRates.feesBp } : {}),
        })
        const before = toShop(current)
        const after = toShop(updated)
        const { updatedAt: _before, ...oldFields } = before
        const { updatedAt: _after, ...newFields } = after
        const changes = changesBetween(oldFields, newFields)
        if (Object.keys(changes).length > 0) {
          await recordAudit(tx, { actorId: actor.userId, action: 'shop.updated', entity: 'shop', entityId: 1, changes })
          touch(shopTag())
        }
        return after
      })
    },
  }
}

/** The shop service. */
export type ShopService = ReturnType<typeof createShopService>
