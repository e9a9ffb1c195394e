import type { AccessRows } from '../../platform/http/access.ts'

/** The audit log is the front desk's and the admins': customers and mechanics get 403. */
export const auditRows: AccessRows = {
  'GET /api/audit': {
    expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 200, admin: 200 },
    request: () => ({ url: '/api/audit?entity=shop' }),
  },
}
