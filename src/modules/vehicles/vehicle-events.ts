import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Role } from '../../platform/auth/roles.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Tx } from '../../platform/db/database.ts'
import type { VehicleRow } from './vehicles.table.ts'

/** A vehicle's mileage set by a vehicle write: its first value on create (`from: null`), or a changed one on update. */
export interface MileageChange {
  /** The vehicle as written (locked or just inserted by this transaction), with the new mileage. */
  vehicle: VehicleRow
  from: number | null
  to: number
  /** Who wrote it. */
  actor: { userId: number; role: Role }
}

/** Runs inside the vehicle write's transaction, the vehicle row held by it; throwing rolls the write back. */
export type MileageChangeHandler = (tx: Tx, touch: Touch, change: MileageChange) => Promise<void>

/** Runs under the locked vehicle row before it is deleted; throwing (a 409) refuses the delete. */
export type VehicleDeletingCheck = (tx: Tx, vehicle: VehicleRow) => Promise<void>

/**
 * Vehicle writes as events inside the writer's transaction. Modules that keep something derived
 * from a vehicle (odometer readings, work orders) subscribe here rather than being imported by
 * vehicles, so the dependency runs one way: they depend on vehicles, vehicles on none of them.
 */
export interface VehicleEvents {
  onMileageChange(handler: MileageChangeHandler): void
  onDeleting(check: VehicleDeletingCheck): void
  /** Runs every handler, in subscription order. */
  mileageChanged(tx: Tx, touch: Touch, change: MileageChange): Promise<void>
  /** Runs every check; the first refusal wins. */
  deleting(tx: Tx, vehicle: VehicleRow): Promise<void>
}

/** A fresh set of subscriptions (one per app). */
export function createVehicleEvents(): VehicleEvents {
  const handlers: MileageChangeHandler[] = []
  const checks: VehicleDeletingCheck[] = []
  return {
    onMileageChange: (handler) => void handlers.push(handler),
    onDeleting: (check) => void checks.push(check),
    async mileageChanged(tx, touch, change) {
      for (const handler of handlers) await handler(tx, touch, change)
    },
    async deleting(tx, vehicle) {
      for (const check of checks) await check(tx, vehicle)
    },
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    vehicleEvents: VehicleEvents
  }
}

/** Decorates `app.vehicleEvents`, which other modules' plugins subscribe to. */
export const vehicleEventsPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('vehicleEvents', createVehicleEvents())
  },
  { name: 'ecar-vehicle-events' },
)
