import type { AccessRows } from '../../platform/http/access.ts'

const adminOnly = (ok: number) => ({ anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 403, admin: ok }) as const

/** The cache endpoints are admin-only. */
export const adminAccess: AccessRows = {
  'GET /api/admin/cache/stats': { expected: adminOnly(200), request: () => ({ url: '/api/admin/cache/stats' }) },
  // Clearing the cache logs nobody out, so it cannot disturb later cells.
  'DELETE /api/admin/cache': { expected: adminOnly(200), request: () => ({ url: '/api/admin/cache?pattern=customer_vehicles_*' }) },
}
