import type { AccessActor, AccessFixtures, AccessRows } from '../../platform/http/access.ts'

const isCustomer = (actor: AccessActor) => actor === 'customerA' || actor === 'customerB'

function newVehicle(fx: AccessFixtures, actor: AccessActor): Record<string, unknown> {
  const body = { make: 'Matrix', model: 'Cell', year: 2020, vin: fx.uniqueVin(), licensePlate: 'MX-1', mileage: 10, color: 'Grey' }
  // A customer adds their own vehicle; staff must name the owner.
  return isCustomer(actor) ? body : { ...body, ownerId: fx.customerA.id }
}

/**
 * Vehicles: every signed-in user reads (a customer only their own; another's is 404, not 403);
 * mechanics never write (403); a customer writes their own, advisors and admins any.
 */
export const vehiclesAccess: AccessRows = {
  'GET /api/vehicles': {
    expected: { anonymous: 401, customerA: 200, customerB: 200, mechanic: 200, advisor: 200, admin: 200 },
    request: () => ({ url: '/api/vehicles' }),
  },
  'POST /api/vehicles': {
    expected: { anonymous: 401, customerA: 201, customerB: 201, mechanic: 403, advisor: 201, admin: 201 },
    request: (fx, actor) => ({ url: '/api/vehicles', payload: newVehicle(fx, actor) }),
  },
  'GET /api/vehicles/{id}': {
    expected: { anonymous: 401, customerA: 200, customerB: 404, mechanic: 200, advisor: 200, admin: 200 },
    request: (fx) => ({ url: `/api/vehicles/${fx.vehicleA.id}` }),
  },
  'PATCH /api/vehicles/{id}': {
    expected: { anonymous: 401, customerA: 200, customerB: 404, mechanic: 403, advisor: 200, admin: 200 },
    request: async (fx) => ({ url: `/api/vehicles/${(await fx.freshVehicleOf(fx.customerA.id)).id}`, payload: { color: 'Red' } }),
  },
  'DELETE /api/vehicles/{id}': {
    expected: { anonymous: 401, customerA: 204, customerB: 404, mechanic: 403, advisor: 204, admin: 204 },
    request: async (fx) => ({ url: `/api/vehicles/${(await fx.freshVehicleOf(fx.customerA.id)).id}` }),
  },
}
