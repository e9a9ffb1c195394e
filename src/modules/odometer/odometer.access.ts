import { defineAccess } from '../../platform/http/access.ts'
import type { VehicleFixtures } from '../vehicles/index.ts'

/**
 * Readings: the owner and every staff member read and record (another customer's vehicle is 404,
 * never 403). That a correction is staff-only (a customer's own is 403) is shown in
 * odometer-access.test.ts: the matrix has one row per operation.
 */
export const odometerAccess = defineAccess<VehicleFixtures>({
  rows: {
    'GET /api/vehicles/{id}/odometer': {
      expected: { anonymous: 401, customerA: 200, customerB: 404, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: (fx) => ({ url: `/api/vehicles/${fx.vehicleA.id}/odometer` }),
    },
    'POST /api/vehicles/{id}/odometer': {
      expected: { anonymous: 401, customerA: 201, customerB: 404, assignedMechanic: 201, mechanic: 201, advisor: 201, admin: 201 },
      // A fresh vehicle per cell (42,000 km, no readings): each allowed cell's reading is above it.
      request: async (fx) => ({ url: `/api/vehicles/${(await fx.freshVehicleOf(fx.customerA.id)).id}/odometer`, payload: { value: 50_000 } }),
    },
  },
})
