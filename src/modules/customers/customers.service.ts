import type { Actor } from '../../platform/auth/principal.ts'
import { reachableCustomerIds } from './customers.policy.ts'
import { hashPassword, UNUSABLE_PASSWORD_HASH } from '../../platform/auth/password.ts'
import { isStaff } from '../../platform/auth/roles.ts'
import type { CacheResult } from '../../platform/cache/cache.types.ts'
import type { ModuleCache } from '../../platform/cache/module-cache.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Config } from '../../platform/config.ts'
import type { Db } from '../../platform/db/database.ts'
import { violatedConstraint } from '../../platform/db/db-errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { decodeCursor, encodeCursor, toPage } from '../../platform/http/pagination.ts'
import { customerVehiclesTag, listOwnerVehicles, toVehicle, type Owner, type Vehicle } from '../vehicles/index.ts'
import { emailTaken, insertCustomer, lockCustomer, normalizeEmail, updateCustomerRow, UserErrors, type AccountEvents, type CustomerChanges } from '../users/index.ts'
import { CUSTOMER_VEHICLES_NAMESPACE, customerVehiclesKey } from './customers.cache.ts'
import { findCustomer, listCustomers } from './customers.repository.ts'
import { toCustomer, toOwnCustomer, type CreateCustomerInput, type Customer, type CustomerVehiclesInput, type ListCustomersInput, type UpdateCustomerInput } from './customers.schemas.ts'

/** What `customer_vehicles_<id>` holds: the list, and its owner as staff answers show it. */
interface CustomerVehiclesEntry {
  owner: Owner
  vehicles: Vehicle[]
}

const DEFAULT_PAGE_SIZE = 50

const customerNotFound = () => problem(UserErrors.CUSTOMER_NOT_FOUND, 'Customer not found.')

/** Staff see every customer; a customer only themself (anyone else is 404, as if absent). */
function assertMaySee(actor: Actor, customerId: number): void {
  if (!reachableCustomerIds(actor, [customerId]).has(customerId)) throw customerNotFound()
}

/** The customers use cases: the front desk's accounts and the seed's get_customer_vehicles. */
export function createCustomersService(deps: { db: Db; writer: Writer; cache: ModuleCache; config: Config; events: AccountEvents }) {
  const { db, writer, cache, config, events } = deps

  return {
    /** A page of customers (staff), optionally searched by name, email or phone. */
    async list(query: ListCustomersInput) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE
      const afterId = decodeCursor(query.cursor)
      const rows = await listCustomers(db, { q: query.q, afterId, limit: limit + 1 })
      return toPage(rows, limit, toCustomer)
    },

    /** One customer the actor may see; 404 for unknown ids and staff accounts. */
    async get(actor: Actor, id: number): Promise<Customer> {
      assertMaySee(actor, id)
      const row = await findCustomer(db, id)
      if (!row) throw customerNotFound()
      return isStaff(actor.role) ? toCustomer(row) : toOwnCustomer(row)
    },

    /**
     * All of a customer's vehicles, from the data cache. Unlike the seed, an empty list is cached
     * like any other value; an unknown id is not cached at all (the loader throws), so a customer
     * created later never meets a cached 404. The entry keeps the owner beside the list (the loader
     * reads the customer row anyway): staff answers show it on every vehicle, as every staff vehicle
     * answer does; the customer's own answer is the list as cached, without it.
     */
    async vehicles(actor: Actor, id: number): Promise<CacheResult<Vehicle[]>> {
      assertMaySee(actor, id)
      const load = async (): Promise<CustomerVehiclesEntry> => {
        const customer = await findCustomer(db, id)
        if (!customer) throw customerNotFound()
        const vehicles = (await listOwnerVehicles(db, id)).map((row) => toVehicle(row))
        return { owner: { id: customer.id, name: customer.name, phone: customer.phone }, vehicles }
      }
      const { value, status } = await cache.getOrSet(customerVehiclesKey(id), load, {
        namespace: CUSTOMER_VEHICLES_NAMESPACE,
        ttlMs: config.cache.customerVehiclesTtlMs,
        tags: [customerVehiclesTag(id)],
      })
      if (!isStaff(actor.role)) return { value: value.vehicles, status }
      return { value: value.vehicles.map((vehicle) => ({ ...vehicle, owner: value.owner })), status }
    },

    /** Opens a customer account at the front desk; without a password it cannot sign in yet. */
    async create(input: CreateCustomerInput): Promise<Customer> {
      const passwordHash = input.password === undefined ? UNUSABLE_PASSWORD_HASH : await hashPassword(input.password, config.auth.passwordHashCost)
      const values = { email: normalizeEmail(input.email), name: input.name.trim(), phone: input.phone?.trim() ?? null, passwordHash }
      return writer.transaction(async (tx, touch) => {
        let row
        try {
          row = await insertCustomer(tx, values)
        } catch (error) {
          if (violatedConstraint(error) === 'users_email_key') throw emailTaken()
          throw error
        }
        // Nothing is cached for an id that did not exist, but the entry's meaning changes: touch it anyway.
        touch(customerVehiclesTag(row.id))
        return toCustomer(row)
      })
    },

    /**
     * Changes a customer's name, phone, email, notes or reminders consent (advisor, admin). The row
     * is locked first, so concurrent changes apply one after the other; a taken email is 409.
     * A new email retires every unused reset or invitation link: one mailed to the old address
     * must not open the account any more.
     */
    async update(id: number, input: UpdateCustomerInput): Promise<Customer> {
      return writer.transaction(async (tx, touch) => {
        const current = await lockCustomer(tx, id)
        if (!current) throw customerNotFound()
        const changes: CustomerChanges = {
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.phone !== undefined ? { phone: input.phone?.trim() ?? null } : {}),
          ...(input.email !== undefined ? { email: normalizeEmail(input.email) } : {}),
          ...(input.notes !== undefined ? { notes: input.notes } : {}),
          ...(input.remindersConsent !== undefined ? { remindersConsent: input.remindersConsent } : {}),
        }
        let row
        try {
          row = await updateCustomerRow(tx, id, changes)
        } catch (error) {
          if (violatedConstraint(error) === 'users_email_key') throw emailTaken()
          throw error
        }
        await events.changed(tx, touch, {
          userId: id,
          wasCustomer: true,
          accessChanged: false,
          name: row.name !== current.name,
          phone: row.phone !== current.phone,
          email: row.email !== current.email,
          password: false,
          endSessions: false,
        })
        return toCustomer(row)
      })
    },
  }
}

/** The customers service as the routes use it. */
export type CustomersService = ReturnType<typeof createCustomersService>

/**
 * The answer of GET /api/customers/:id/vehicles: every vehicle (the seed's shape, `{ items }`), or,
 * when the client pages, the page after the cursor and `nextCursor`. Pages are cut from the one
 * cached list (bounded by MAX_VEHICLES_PER_CUSTOMER), so paging adds no cache entries.
 */
export function pageOfVehicles(all: Vehicle[], query: CustomerVehiclesInput): { items: Vehicle[]; nextCursor?: string | null } {
  if (query.limit === undefined && query.cursor === undefined) return { items: all }
  const afterId = decodeCursor(query.cursor)
  const limit = query.limit ?? DEFAULT_PAGE_SIZE
  const start = afterId === 0 ? 0 : all.findIndex((v) => v.id > afterId)
  const rest = start === -1 ? [] : all.slice(start)
  const items = rest.slice(0, limit)
  return { items, nextCursor: rest.length > limit ? encodeCursor(items[items.length - 1]!.id) : null }
}
