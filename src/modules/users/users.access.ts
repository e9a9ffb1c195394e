import type { AccessRows } from '../../platform/http/access.ts'

const adminOnly = (ok: number) => ({ anonymous: 401, customerA: 403, customerB: 403, mechanic: 403, advisor: 403, admin: ok }) as const

/** Account management is for admins only: every other signed-in role gets 403. */
export const usersAccess: AccessRows = {
  'POST /api/users': {
    expected: adminOnly(201),
    request: (fx) => ({ url: '/api/users', payload: { email: fx.uniqueEmail(), password: fx.password, name: 'Matrix Staff', role: 'mechanic' } }),
  },
  'GET /api/users': { expected: adminOnly(200), request: () => ({ url: '/api/users?role=mechanic' }) },
  'GET /api/users/{id}': { expected: adminOnly(200), request: (fx) => ({ url: `/api/users/${fx.targetStaff.id}` }) },
  'PATCH /api/users/{id}': {
    expected: adminOnly(200),
    // A name change ends no session, so the target stays as it was for every later cell.
    request: (fx) => ({ url: `/api/users/${fx.targetStaff.id}`, payload: { name: 'Matrix Target' } }),
  },
  'DELETE /api/users/{id}/login-limits': {
    expected: adminOnly(204),
    request: (fx) => ({ url: `/api/users/${fx.targetStaff.id}/login-limits` }),
  },
}
