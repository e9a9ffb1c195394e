import type { AccessRows } from '../../platform/http/access.ts'

/** Anyone reads the shop's settings; only admins change them. */
export const shopRows: AccessRows = {
  'GET /api/shop': {
    expected: { anonymous: 200, customerA: 200, customerB: 200, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
    request: () => ({ url: '/api/shop' }),
  },
  'PATCH /api/shop': {
    expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 403, admin: 200 },
    // The name only: every later cell and test still sees the same hours and rates.
    request: () => ({ url: '/api/shop', payload: { name: 'Matrix Garage' } }),
  },
}
