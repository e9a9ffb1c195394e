import { randomBytes } from 'node:crypto'
import { defineAccess, type AccessActor, type BaseFixtures } from '../../platform/http/access.ts'
import { insertVehicle } from './vehicles.repository.ts'

/** What the vehicle rows need beyond the base accounts. */
export interface VehicleFixtures {
  /** Customer A's vehicle and customer B's: reads only, never changed or deleted by a cell. */
  vehicleA: { id: number }
  vehicleB: { id: number }
  /** A new vehicle of that owner, for cells that change or delete one. */
  freshVehicleOf(ownerId: number): Promise<{ id: number }>
  /** A valid VIN no vehicle has. */
  uniqueVin(): string
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

/** A random well-formed VIN (17 characters, no I, O or Q). */
function randomVin(): string {
  return Array.from(randomBytes(17), (b) => VIN_CHARS[b % VIN_CHARS.length]).join('')
}

async function vehicleOf(fx: BaseFixtures, ownerId: number): Promise<{ id: number }> {
  const row = await insertVehicle(fx.db, { ownerId, make: 'Ford', model: 'Focus', year: 2018, vin: randomVin(), licensePlate: `T-${randomBytes(3).toString('hex').toUpperCase()}`, mileage: 42_000, color: 'Blue' })
  return { id: row.id }
}

const isCustomer = (actor: AccessActor) => actor === 'customerA' || actor === 'customerB'

function newVehicle(fx: VehicleFixtures & BaseFixtures, actor: AccessActor): Record<string, unknown> {
  const body = { make: 'Matrix', model: 'Cell', year: 2020, vin: fx.uniqueVin(), licensePlate: 'MX-1', mileage: 10, color: 'Grey' }
  // A customer adds their own vehicle; staff must name the owner.
  return isCustomer(actor) ? body : { ...body, ownerId: fx.customerA.id }
}

/**
 * Vehicles: every signed-in user reads (a customer only their own; another's is 404, not 403);
 * mechanics never write (403); a customer writes their own, advisors and admins any.
 */
export const vehiclesAccess = defineAccess<object, VehicleFixtures>({
  async fixtures(fx) {
    const [vehicleA, vehicleB] = await Promise.all([vehicleOf(fx, fx.customerA.id), vehicleOf(fx, fx.customerB.id)])
    return { vehicleA, vehicleB, freshVehicleOf: (ownerId) => vehicleOf(fx, ownerId), uniqueVin: randomVin }
  },
  rows: {
    'GET /api/vehicles': {
      expected: { anonymous: 401, customerA: 200, customerB: 200, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: () => ({ url: '/api/vehicles' }),
    },
    'POST /api/vehicles': {
      expected: { anonymous: 401, customerA: 201, customerB: 201, assignedMechanic: 403, mechanic: 403, advisor: 201, admin: 201 },
      request: (fx, actor) => ({ url: '/api/vehicles', payload: newVehicle(fx, actor) }),
    },
    'GET /api/vehicles/{id}': {
      expected: { anonymous: 401, customerA: 200, customerB: 404, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: (fx) => ({ url: `/api/vehicles/${fx.vehicleA.id}` }),
    },
    'PATCH /api/vehicles/{id}': {
      expected: { anonymous: 401, customerA: 200, customerB: 404, assignedMechanic: 403, mechanic: 403, advisor: 200, admin: 200 },
      request: async (fx) => ({ url: `/api/vehicles/${(await fx.freshVehicleOf(fx.customerA.id)).id}`, payload: { color: 'Red' } }),
    },
    'DELETE /api/vehicles/{id}': {
      expected: { anonymous: 401, customerA: 204, customerB: 404, assignedMechanic: 403, mechanic: 403, advisor: 204, admin: 204 },
      request: async (fx) => ({ url: `/api/vehicles/${(await fx.freshVehicleOf(fx.customerA.id)).id}` }),
    },
  },
})
