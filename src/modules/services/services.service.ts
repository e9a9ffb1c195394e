import type { Actor } from '../../platform/auth/principal.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { sqlState } from '../../platform/db/db-errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { invalidInput } from '../../platform/http/errors.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import { MoneyError, quantityToHundredths } from '../../kernel/money.ts'
import { changesBetween, recordAudit } from '../audit/index.ts'
import type { ShopService } from '../shop/index.ts'
import { servicesTag } from './services.cache.ts'
import { ServiceErrors } from './services.errors.ts'
import { seesInactiveServices } from './services.policy.ts'
import { toService } from './services.pricing.ts'
import { findService, insertService, listServicesPage, updateService, type ServiceValues } from './services.repository.ts'
import type { CreateServiceInput, ListServicesInput, Service, UpdateServiceInput } from './services.schemas.ts'

const notFound = () => problem(ServiceErrors.SERVICE_NOT_FOUND, 'Service not found.')

/** 400 unless the hours are > 0 with at most 2 decimals (the kernel's rule for every quantity). */
function checkLabourHours(hours: number | undefined): void {
  if (hours === undefined) return
  try {
    quantityToHundredths(hours, 'labourHours')
  } catch (error) {
    if (error instanceof MoneyError) throw invalidInput('The request is invalid; see errors.', [{ field: 'body.labourHours', message: 'must be greater than 0 with at most 2 decimals' }])
    throw error
  }
}

/** The row values of a body: code upper-case, name trimmed, only the fields given. */
function valuesOf(input: UpdateServiceInput): Partial<ServiceValues> {
  return {
    ...(input.code !== undefined ? { code: input.code.toUpperCase() } : {}),
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.labourHours !== undefined ? { labourHours: input.labourHours } : {}),
    ...(input.parts !== undefined ? { parts: input.parts } : {}),
    ...(input.intervalMonths !== undefined ? { intervalMonths: input.intervalMonths } : {}),
    ...(input.intervalKm !== undefined ? { intervalKm: input.intervalKm } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  }
}

/** Runs a write that may hit the unique code index, turning that violation into the coded 409. */
async function guardCode<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    // services_code_key is the only unique index a service write can violate.
    if (sqlState(error) === '23505') throw problem(ServiceErrors.SERVICE_CODE_TAKEN, 'Another service already has this code.')
    throw error
  }
}

/** What the catalogue needs: the database, the writer, and the shop's settings for the labour rate. */
export interface ServicesServiceDeps {
  db: Executor
  writer: Writer
  shop: Pick<ShopService, 'row'>
}

/** The service catalogue: read by everyone (customers active services only), maintained by the front desk. */
export function createServicesService(deps: ServicesServiceDeps) {
  const labourRate = async () => (await deps.shop.row()).labourRateCents

  return {
    /** One page of services by id; customers get active ones only, whatever ?active= says. */
    async list(actor: Actor, query: ListServicesInput): Promise<{ items: Service[]; nextCursor: string | null }> {
      const limit = query.limit ?? 50
      const staff = seesInactiveServices(actor)
      // A customer asking for inactive services gets none: they are not theirs to see.
      if (!staff && query.active === false) return { items: [], nextCursor: null }
      const [rows, rate] = await Promise.all([
        listServicesPage(deps.db, { afterId: decodeCursor(query.cursor), limit, active: staff ? query.active : true }),
        labourRate(),
      ])
      return toPage(rows, limit, (row) => toService(row, rate))
    },

    /** One service; 404 when there is none, or for a customer when it is inactive. */
    async get(actor: Actor, id: number): Promise<Service> {
      const [row, rate] = await Promise.all([findService(deps.db, id), labourRate()])
      if (!row || (!row.active && !seesInactiveServices(actor))) throw notFound()
      return toService(row, rate)
    },

    /** Adds a service; 409 ECAR_ERR_SERVICE_CODE_TAKEN for a code in use. Audited. */
    async create(actor: Actor, input: CreateServiceInput): Promise<Service> {
      checkLabourHours(input.labourHours)
      const rate = await labourRate()
      return deps.writer.transaction(async (tx, touch) => {
        const row = await guardCode(() => insertService(tx, { description: '', parts: [], ...valuesOf(input) } as ServiceValues))
        const service = toService(row, rate)
        await recordAudit(tx, { actorId: actor.userId, action: 'service.created', entity: 'service', entityId: row.id, changes: changesBetween(null, service) })
        touch(servicesTag())
        return service
      })
    },

    /** Changes a service; 404 for an unknown id, 409 for a taken code; a change of nothing touches nothing. Audited. */
    async update(actor: Actor, id: number, input: UpdateServiceInput): Promise<Service> {
      checkLabourHours(input.labourHours)
      const rate = await labourRate()
      return deps.writer.transaction(async (tx, touch) => {
        const current = await findService(tx, id, { forUpdate: true })
        if (!current) throw notFound()
        const row = await guardCode(() => updateService(tx, id, valuesOf(input)))
        const before = toService(current, rate)
        const after = toService(row!, rate)
        const changes = changesBetween(before, after)
        if (Object.keys(changes).length > 0) {
          await recordAudit(tx, { actorId: actor.userId, action: 'service.updated', entity: 'service', entityId: id, changes })
          touch(servicesTag())
        }
        return after
      })
    },
  }
}
