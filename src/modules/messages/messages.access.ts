import type { AccessRows } from '../../platform/http/access.ts'

/** The outbox is the front desk's and the admin's: it names customers and what was sent to them. */
export const messagesAccess: AccessRows = {
  'GET /api/messages': {
    expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 200, admin: 200 },
    request: () => ({ url: '/api/messages?status=recorded' }),
  },
}
