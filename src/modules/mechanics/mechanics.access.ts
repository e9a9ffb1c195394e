import { defineAccess } from '../../platform/http/access.ts'

/** Staff list the mechanics; customers get 403. The cast's two mechanics are the rows listed. */
export const mechanicsAccess = defineAccess({
  rows: {
    'GET /api/mechanics': {
      expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: () => ({ url: '/api/mechanics' }),
    },
  },
})
