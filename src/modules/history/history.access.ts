import { defineAccess } from '../../platform/http/access.ts'
import type { VehicleFixtures } from '../vehicles/index.ts'

/** The history: the owner and every staff member read it; another customer's vehicle is 404, never 403. */
export const historyAccess = defineAccess<VehicleFixtures>({
  rows: {
    'GET /api/vehicles/{id}/history': {
      expected: { anonymous: 401, customerA: 200, customerB: 404, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: (fx) => ({ url: `/api/vehicles/${fx.vehicleA.id}/history` }),
    },
  },
})
