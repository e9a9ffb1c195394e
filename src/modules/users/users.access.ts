import { UNUSABLE_PASSWORD_HASH } from '../../platform/auth/password.ts'
import { defineAccess, type AccessAccount } from '../../platform/http/access.ts'
import { insertCustomer } from './customer-accounts.repository.ts'
import { insertUser } from './users.repository.ts'

const adminOnly = (ok: number) => ({ anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 403, admin: ok }) as const

/** What the users rows need beyond the base accounts. */
export interface UsersFixtures {
  /** A staff account no actor signs in as: the target of /api/users/{id}. */
  targetStaff: AccessAccount
  /** A new customer opened at the desk: no password yet, so it can be invited. */
  freshDeskCustomer(): Promise<AccessAccount>
}

/** Account management is for admins only: every other signed-in role gets 403. */
export const usersAccess = defineAccess<object, UsersFixtures>({
  async fixtures(fx) {
    const email = fx.uniqueEmail()
    const row = await insertUser(fx.db, { email, name: 'Matrix Target', role: 'advisor', passwordHash: UNUSABLE_PASSWORD_HASH })
    return {
      targetStaff: { id: row.id, email },
      async freshDeskCustomer() {
        const customer = await insertCustomer(fx.db, { email: fx.uniqueEmail(), name: 'Matrix Desk', phone: null, passwordHash: UNUSABLE_PASSWORD_HASH })
        return { id: customer.id, email: customer.email }
      },
    }
  },
  rows: {
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
  },
})
