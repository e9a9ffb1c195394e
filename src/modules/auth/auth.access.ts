import { newToken, tokenHash } from '../../platform/auth/tokens.ts'
import { defineAccess } from '../../platform/http/access.ts'
import type { UsersFixtures } from '../users/index.ts'
import { accountLinksRows, type AuthFixtures } from './account-links.access.ts'
import { insertAccountToken } from './account-tokens.repository.ts'

const signedIn = (ok: number) => ({ anonymous: 401, customerA: ok, customerB: ok, assignedMechanic: ok, mechanic: ok, advisor: ok, admin: ok }) as const
const anyone = (ok: number) => ({ ...signedIn(ok), anonymous: ok }) as const

/** Registration and sign-in are public (a token sent along changes nothing); the rest needs a session. */
export const authAccess = defineAccess<UsersFixtures, AuthFixtures>({
  async fixtures(fx) {
    return {
      async freshLinkToken(purpose) {
        const token = newToken()
        const customer = await fx.freshDeskCustomer()
        await insertAccountToken(fx.db, { tokenHash: tokenHash(token), userId: customer.id, purpose, expiresAt: new Date(Date.now() + 3_600_000) })
        return token
      },
    }
  },
  rows: {
    'POST /api/auth/register': {
      expected: anyone(201),
      request: (fx) => ({ url: '/api/auth/register', payload: { email: fx.uniqueEmail(), password: fx.password, name: 'Matrix Registrant' } }),
    },
    'POST /api/auth/login': {
      expected: anyone(200),
      request: (fx) => ({ url: '/api/auth/login', payload: { email: fx.customerA.email, password: fx.password } }),
    },
    'POST /api/auth/logout': { expected: signedIn(204), request: () => ({ url: '/api/auth/logout' }) },
    'GET /api/auth/me': { expected: signedIn(200), request: () => ({ url: '/api/auth/me' }) },
    'PATCH /api/auth/me': { expected: signedIn(200), request: () => ({ url: '/api/auth/me', payload: { phone: '+1 555 0100' } }) },
    ...accountLinksRows,
    // Under /api/users, but the counters it clears are this module's.
    'DELETE /api/users/{id}/login-limits': {
      expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 403, admin: 204 },
      request: (fx) => ({ url: `/api/users/${fx.targetStaff.id}/login-limits` }),
    },
  },
})
