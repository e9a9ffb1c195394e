import { defineAccess } from '../../platform/http/access.ts'
import type { UsersFixtures } from '../users/index.ts'
import type { VehicleFixtures } from '../vehicles/index.ts'

/** Staff read every customer; a customer only themself (anyone else is 404); advisors and admins open accounts. */
export const customersAccess = defineAccess<UsersFixtures & VehicleFixtures>({
  rows: {
    'GET /api/customers': {
      expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: () => ({ url: '/api/customers' }),
    },
    'POST /api/customers': {
      expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 201, admin: 201 },
      request: (fx) => ({ url: '/api/customers', payload: { email: fx.uniqueEmail(), name: 'Matrix Customer' } }),
    },
    'GET /api/customers/{id}': {
      expected: { anonymous: 401, customerA: 200, customerB: 404, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: (fx) => ({ url: `/api/customers/${fx.customerA.id}` }),
    },
    'GET /api/customers/{id}/vehicles': {
      expected: { anonymous: 401, customerA: 200, customerB: 404, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: (fx) => ({ url: `/api/customers/${fx.customerA.id}/vehicles` }),
    },
    'PATCH /api/customers/{id}': {
      expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 200, admin: 200 },
      request: (fx) => ({ url: `/api/customers/${fx.customerA.id}`, payload: { notes: 'Matrix note' } }),
    },
    'POST /api/customers/{id}/invitations': {
      expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 201, admin: 201 },
      request: async (fx) => ({ url: `/api/customers/${(await fx.freshDeskCustomer()).id}/invitations` }),
    },
  },
})
