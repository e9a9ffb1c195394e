import type { Actor } from '../../platform/auth/principal.ts'
import { isStaff, type Role } from '../../platform/auth/roles.ts'
import type { Touch, Writer } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { invalidInput } from '../../platform/http/errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { recordAudit } from '../audit/index.ts'
import { lockVehicle, MAX_MILEAGE, reachesVehicle, setMileageFromReading, vehicleNotFound, type OdometerUnit, type VehicleRow } from '../vehicles/index.ts'
import { decodeReadingCursor, encodeReadingCursor } from './odometer-cursor.ts'
import { OdometerErrors } from './odometer.errors.ts'
import { reachableReadings } from './odometer.policy.ts'
import { vehicleOdometerTag } from './odometer.cache.ts'
import { insertReading, latestReading, listReadings, nextReading } from './odometer.repository.ts'
import { toReading, type ListReadingsInput, type Reading, type RecordReadingInput } from './odometer.schemas.ts'
import type { ReadingRow, ReadingSource } from './odometer.table.ts'
import { convertDistance, toKm } from './odometer-units.ts'

const DEFAULT_PAGE_SIZE = 50

/** One reading to record. */
export interface NewReading {
  vehicleId: number
  value: number
  /** Defaults to the vehicle's unit. */
  unit?: OdometerUnit | undefined
  /** Defaults to now (taken under the vehicle's lock, so default readings follow the lock order). */
  recordedAt?: Date | undefined
  /** `correction` skips the order check (staff only: the caller decides who may). */
  source: ReadingSource
  reason?: string | null | undefined
  recordedBy: number | null
}

/** A recorded reading and the vehicle's mileage after it. */
export interface RecordedReading {
  reading: ReadingRow
  mileage: number
}

/** The source of a reading a user records without naming one: their role's. */
export function sourceOf(role: Role): ReadingSource {
  return isStaff(role) ? 'staff' : 'customer'
}

/**
 * Adds a reading to a vehicle whose row this transaction holds: checks it against its neighbours
 * in time (at least the latest before it, at most the earliest after it, both in km; a vehicle
 * without readings compares with `baseline`, its mileage before this write), unless it is a
 * correction; audits it; and returns the vehicle's mileage as its readings now say (the latest by
 * recordedAt, in the vehicle's unit). Touches the readings' tag; the caller sets the mileage.
 */
export async function addReading(tx: Executor, touch: Touch, vehicle: VehicleRow, input: NewReading, baseline: number | null): Promise<RecordedReading> {
  const unit = input.unit ?? vehicle.odometerUnit
  const recordedAt = input.recordedAt ?? new Date()
  const valueKm = toKm(input.value, unit)
  if (convertDistance(input.value, unit, vehicle.odometerUnit) > MAX_MILEAGE) {
    throw invalidInput('The reading is too large.', [{ field: 'body.value', message: `is above ${MAX_MILEAGE} ${vehicle.odometerUnit}` }])
  }
  if (input.source !== 'correction') {
    const before = await latestReading(tx, vehicle.id, recordedAt)
    const after = await nextReading(tx, vehicle.id, recordedAt)
    const floorKm = before?.valueKm ?? (after === undefined && baseline !== null ? toKm(baseline, vehicle.odometerUnit) : undefined)
    if (floorKm !== undefined && valueKm < floorKm) {
      throw problem(OdometerErrors.ODOMETER_DECREASE, `The odometer read ${before ? `${before.value} ${before.unit}` : `${baseline} ${vehicle.odometerUnit}`} before; only staff can record a lower value, as a correction with a reason.`)
    }
    if (after !== undefined && valueKm > after.valueKm) {
      throw problem(OdometerErrors.ODOMETER_DECREASE, `A later reading says ${after.value} ${after.unit}; only staff can record a higher value before it, as a correction with a reason.`)
    }
  }
  const reading = await insertReading(tx, {
    vehicleId: vehicle.id,
    value: input.value,
    unit,
    valueKm,
    recordedAt,
    source: input.source,
    reason: input.reason ?? null,
    recordedBy: input.recordedBy,
  })
  const latest = (await latestReading(tx, vehicle.id))!
  const mileage = convertDistance(latest.value, latest.unit, vehicle.odometerUnit)
  await recordAudit(tx, {
    actorId: input.recordedBy,
    action: input.source === 'correction' ? 'odometer.correction' : 'odometer.reading',
    entity: 'odometer_reading',
    entityId: reading.id,
    changes: {
      vehicleId: [null, vehicle.id],
      value: [null, reading.value],
      unit: [null, reading.unit],
      recordedAt: [null, reading.recordedAt.toISOString()],
      source: [null, reading.source],
      ...(reading.reason === null ? {} : { reason: [null, reading.reason] }),
      // The vehicle's mileage before this write (null for a new vehicle) and after it, when they differ.
      ...(baseline === mileage ? {} : { mileage: [baseline, mileage] }),
    },
  })
  touch(vehicleOdometerTag(vehicle.id))
  return { reading, mileage }
}

/**
 * Records a reading (the POST route, the check-in flow): locks the vehicle row, so concurrent
 * readings of one vehicle apply one after the other, adds the reading and sets the vehicle's
 * mileage to the latest. 404 when the vehicle does not exist.
 */
export async function recordReading(tx: Executor, touch: Touch, input: NewReading): Promise<RecordedReading> {
  const vehicle = await lockVehicle(tx, input.vehicleId)
  if (!vehicle) throw vehicleNotFound()
  return recordOnLocked(tx, touch, vehicle, input)
}

async function recordOnLocked(tx: Executor, touch: Touch, vehicle: VehicleRow, input: NewReading): Promise<RecordedReading> {
  const recorded = await addReading(tx, touch, vehicle, input, vehicle.mileage)
  if (recorded.mileage !== vehicle.mileage) await setMileageFromReading(tx, touch, vehicle.id, recorded.mileage)
  return recorded
}

/** `recordedAt` as a date, or a 400 when it is in the future or before motoring existed. */
function readingTime(recordedAt: string | undefined, now: Date): Date | undefined {
  if (recordedAt === undefined) return undefined
  const at = new Date(recordedAt)
  // The date-time format admits a leap second (23:59:60), which Date cannot hold.
  if (Number.isNaN(at.getTime())) throw invalidInput('The reading time is not a time.', [{ field: 'body.recordedAt', message: 'is not a valid time' }])
  if (at.getTime() > now.getTime()) throw invalidInput('The reading is dated in the future.', [{ field: 'body.recordedAt', message: 'must not be in the future' }])
  if (at.getUTCFullYear() < 1886) throw invalidInput('The reading is dated before cars existed.', [{ field: 'body.recordedAt', message: 'must be 1886 or later' }])
  return at
}

/** The odometer use cases behind the routes. */
export function createOdometerService(deps: { db: Executor; writer: Writer }) {
  const { db, writer } = deps

  return {
    /** A page of a vehicle's readings, newest first; 404 for a vehicle out of the actor's reach. */
    async list(actor: Actor, vehicleId: number, query: ListReadingsInput): Promise<{ items: Reading[]; nextCursor: string | null }> {
      if (!(await reachableReadings(db, actor, [vehicleId])).has(vehicleId)) throw vehicleNotFound()
      const limit = query.limit ?? DEFAULT_PAGE_SIZE
      const rows = await listReadings(db, vehicleId, { before: decodeReadingCursor(query.cursor), limit: limit + 1 })
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return { items: page.map(toReading), nextCursor: rows.length > limit && last ? encodeReadingCursor(last) : null }
    },

    /** Records a reading a user sends: a customer's own vehicle or staff any; corrections by staff only, with a reason. */
    async record(actor: Actor, vehicleId: number, input: RecordReadingInput): Promise<Reading> {
      const recordedAt = readingTime(input.recordedAt, new Date())
      return writer.transaction(async (tx, touch) => {
        const vehicle = await lockVehicle(tx, vehicleId)
        if (!vehicle || !reachesVehicle(actor, vehicle.ownerId)) throw vehicleNotFound()
        if (input.correction === true) {
          if (!isStaff(actor.role)) throw problem(OdometerErrors.CORRECTION_STAFF_ONLY, 'Only staff can record an odometer correction.')
          if (input.reason === undefined) throw invalidInput('A correction needs a reason.', [{ field: 'body.reason', message: 'is required with correction' }])
        }
        const source = input.correction === true ? 'correction' : sourceOf(actor.role)
        const { reading } = await recordOnLocked(tx, touch, vehicle, { vehicleId, value: input.value, unit: input.unit, recordedAt, source, reason: input.reason, recordedBy: actor.userId })
        return toReading(reading)
      })
    },
  }
}
