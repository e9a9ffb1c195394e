import type { Actor } from '../../platform/auth/principal.ts'
import { isStaff } from '../../platform/auth/roles.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { sqlState, violatedConstraint } from '../../platform/db/db-errors.ts'
import { forbidden, invalidInput, problem } from '../../platform/http/errors.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import type { ShopService } from '../shop/index.ts'
import { isActiveCustomer } from '../users/index.ts'
import { checkDigitWarning } from '../vin/index.ts'
import type { VehicleEvents } from './vehicle-events.ts'
import { ALL_VEHICLES_TAG, customerVehiclesTag, vehicleTag } from './vehicles.cache.ts'
import { VehicleErrors } from './vehicles.errors.ts'
import {
  countOwnerVehicles,
  deleteVehicle,
  findOwners,
  findVehicle,
  insertVehicle,
  listVehicles,
  lockVehicle,
  updateVehicle,
  type VehicleValues,
} from './vehicles.repository.ts'
import {
  toVehicle,
  type CreateVehicleInput,
  type ListVehiclesInput,
  type UpdateVehicleInput,
  type Vehicle,
  type WrittenVehicle,
} from './vehicles.schemas.ts'
import type { VehicleRow } from './vehicles.table.ts'
import { reachesVehicle } from './vehicles.policy.ts'

const DEFAULT_PAGE_SIZE = 50


/** The 404 of a vehicle that does not exist or that the caller may not see. */
export const vehicleNotFound = () => problem(VehicleErrors.VEHICLE_NOT_FOUND, 'Vehicle not found.')

const ownerNotACustomer = () =>
  invalidInput('The owner must be an active customer.', [{ field: 'body.ownerId', message: 'is not an active customer' }])

/** Staff see every vehicle; a customer only their own (others' are 404, as if they did not exist). */
function canSee(actor: Actor, row: VehicleRow): boolean {
  return reachesVehicle(actor, row.ownerId)
}

/** Route roles already keep mechanics out of writes; this holds even if a route forgets. */
function assertMayWrite(actor: Actor): void {
  if (actor.role === 'mechanic') throw forbidden('Mechanics can read vehicles but not change them.')
}

/** The columns of a create or update body: texts trimmed, the VIN upper-case. */
function columnsOf(input: UpdateVehicleInput): Partial<VehicleValues> {
  const out: Partial<VehicleValues> = {}
  if (input.ownerId !== undefined) out.ownerId = input.ownerId
  if (input.make !== undefined) out.make = input.make.trim()
  if (input.model !== undefined) out.model = input.model.trim()
  if (input.year !== undefined) out.year = input.year
  if (input.vin !== undefined) out.vin = input.vin.toUpperCase()
  if (input.licensePlate !== undefined) out.licensePlate = input.licensePlate.trim()
  if (input.mileage !== undefined) out.mileage = input.mileage
  if (input.color !== undefined) out.color = input.color.trim()
  return out
}

/** The API objects of rows as this actor sees them: staff with each vehicle's owner, customers without. */
async function present(db: Executor, actor: Actor, rows: VehicleRow[]): Promise<Vehicle[]> {
  if (!isStaff(actor.role)) return rows.map((row) => toVehicle(row))
  const owners = await findOwners(db, rows.map((row) => row.ownerId))
  return rows.map((row) => toVehicle(row, owners.get(row.ownerId)))
}

async function presentOne(db: Executor, actor: Actor, row: VehicleRow): Promise<Vehicle> {
  return (await present(db, actor, [row]))[0]!
}

/** The answer of a write: the vehicle, with `warnings` only when there is one (a VIN given on this write whose check digit is wrong). */
function written(vehicle: Vehicle, vin: string | undefined): WrittenVehicle {
  const warning = vin === undefined ? null : checkDigitWarning(vin)
  return warning === null ? vehicle : { ...vehicle, warnings: [warning] }
}

/** Runs a write, turning a VIN unique violation into 409 (the transaction rolls back, nothing changes). */
async function refusingDuplicateVin<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (violatedConstraint(error) === 'vehicles_vin_key') {
      throw problem(VehicleErrors.DUPLICATE_VIN, 'Another vehicle already has this VIN.')
    }
    throw error
  }
}

/**
 * Checks that the owner is an active customer with room for one more vehicle. The owner's row is
 * locked (FOR UPDATE) before counting, so concurrent adds for one owner run one after the other and
 * cannot all pass the count: the cap bounds what one account can make the cache hold
 * (`customer_vehicles_<id>`), and is enforced by PostgreSQL, not by the process.
 */
async function assertRoomFor(tx: Executor, ownerId: number, max: number): Promise<void> {
  if (!(await isActiveCustomer(tx, ownerId, 'update'))) throw ownerNotACustomer()
  if ((await countOwnerVehicles(tx, ownerId)) >= max) {
    throw problem(VehicleErrors.TOO_MANY_VEHICLES, `A customer can own at most ${max} vehicles (MAX_VEHICLES_PER_CUSTOMER).`)
  }
}

/** The vehicles use cases: who may see and change which vehicle, and what each write invalidates. */
export function createVehiclesService(deps: { db: Db; writer: Writer; maxVehiclesPerCustomer: number; events: VehicleEvents; shop: Pick<ShopService, 'row'> }) {
  const { db, writer, maxVehiclesPerCustomer, events, shop } = deps

  return {
    /** A page of the vehicles the actor may see: a customer's own, or (staff) all, filtered. */
    async list(actor: Actor, query: ListVehiclesInput) {
      let ownerId = query.ownerId
      if (!isStaff(actor.role)) {
        if (ownerId !== undefined && ownerId !== actor.userId) throw forbidden("A customer can only list their own vehicles.")
        ownerId = actor.userId
      }
      const limit = query.limit ?? DEFAULT_PAGE_SIZE
      const afterId = decodeCursor(query.cursor)
      const rows = await listVehicles(db, { ownerId, q: query.q, afterId, limit: limit + 1 })
      const page = toPage(rows, limit, (row) => row)
      return { items: await present(db, actor, page.items), nextCursor: page.nextCursor }
    },

    /** One vehicle the actor may see; 404 otherwise. */
    async get(actor: Actor, id: number): Promise<Vehicle> {
      const row = await findVehicle(db, id)
      if (!row || !canSee(actor, row)) throw vehicleNotFound()
      return presentOne(db, actor, row)
    },

    /** Adds a vehicle: a customer for themself, staff for an active customer they name. */
    async create(actor: Actor, input: CreateVehicleInput): Promise<WrittenVehicle> {
      assertMayWrite(actor)
      let ownerId: number
      if (isStaff(actor.role)) {
        if (input.ownerId === undefined) {
          throw invalidInput('Staff must say whose vehicle this is.', [{ field: 'body.ownerId', message: 'is required when staff add a vehicle' }])
        }
        ownerId = input.ownerId
      } else {
        if (input.ownerId !== undefined && input.ownerId !== actor.userId) throw forbidden('A customer can only add vehicles of their own.')
        ownerId = actor.userId
      }
      const { make, model, year, vin, licensePlate, mileage, color } = columnsOf(input) as VehicleValues
      const odometerUnit = input.odometerUnit ?? (await shop.row()).odometerUnit
      const vehicle = await writer.transaction(async (tx, touch) => {
        await assertRoomFor(tx, ownerId, maxVehiclesPerCustomer)
        const row = await refusingDuplicateVin(() => insertVehicle(tx, { ownerId, make, model, year, vin, licensePlate, mileage, odometerUnit, color }))
        touch(customerVehiclesTag(ownerId), ALL_VEHICLES_TAG, vehicleTag(row.id))
        // The initial mileage is the vehicle's first odometer reading.
        await events.mileageChanged(tx, touch, { vehicle: row, from: null, to: row.mileage, actor })
        return presentOne(tx, actor, row)
      })
      return written(vehicle, vin)
    },

    /**
     * Changes a vehicle. The row is locked first, so the mileage rule compares against the value
     * no concurrent update can change before this one commits.
     */
    async update(actor: Actor, id: number, input: UpdateVehicleInput): Promise<WrittenVehicle> {
      assertMayWrite(actor)
      const changes = columnsOf(input)
      const vehicle = await writer.transaction(async (tx, touch) => {
        const current = await lockVehicle(tx, id)
        if (!current || !canSee(actor, current)) throw vehicleNotFound()
        const moving = changes.ownerId !== undefined && changes.ownerId !== current.ownerId
        if (moving) {
          if (!isStaff(actor.role)) throw forbidden('Only staff can move a vehicle to another customer.')
          await assertRoomFor(tx, changes.ownerId!, maxVehiclesPerCustomer)
        }
        // One way down for everyone, admins included: a staff correction with a reason, as an odometer reading.
        if (changes.mileage !== undefined && changes.mileage < current.mileage) {
          throw problem(
            VehicleErrors.MILEAGE_DECREASE,
            `The mileage cannot go down from ${current.mileage} by an update; staff lower it with a correction and a reason (POST /api/vehicles/${id}/odometer).`,
          )
        }
        const row = await refusingDuplicateVin(() => updateVehicle(tx, id, changes))
        if (!row) throw vehicleNotFound()
        touch(vehicleTag(id), ALL_VEHICLES_TAG, customerVehiclesTag(current.ownerId), customerVehiclesTag(row.ownerId))
        // A changed mileage is an odometer reading.
        if (row.mileage !== current.mileage) await events.mileageChanged(tx, touch, { vehicle: row, from: current.mileage, to: row.mileage, actor })
        return { answer: await presentOne(tx, actor, row), vinChanged: row.vin !== current.vin }
      })
      return written(vehicle.answer, vehicle.vinChanged ? vehicle.answer.vin : undefined)
    },

    /** Deletes a vehicle the actor may change; 404 if they may not see it. */
    async remove(actor: Actor, id: number): Promise<void> {
      assertMayWrite(actor)
      await writer.transaction(async (tx, touch) => {
        const current = await lockVehicle(tx, id)
        if (!current || !canSee(actor, current)) throw vehicleNotFound()
        // Subscribers refuse here (work orders: 409 while the vehicle has open ones), under the row lock.
        await events.deleting(tx, current)
        try {
          await deleteVehicle(tx, id)
        } catch (error) {
          // Rows of other modules (appointments, later work orders) name it: keep their history, refuse the delete.
          const state = sqlState(error)
          if (state === '23503' || state === '23001') throw problem(VehicleErrors.VEHICLE_IN_USE, 'The vehicle has appointments or work orders; it cannot be deleted.')
          throw error
        }
        touch(vehicleTag(id), ALL_VEHICLES_TAG, customerVehiclesTag(current.ownerId))
      })
    },
  }
}

/** The vehicles service as the routes use it. */
export type VehiclesService = ReturnType<typeof createVehiclesService>
