import type { AccessRows, BaseFixtures } from '../../platform/http/access.ts'
import type { UsersFixtures } from '../users/index.ts'

/** What the auth rows need beyond the base accounts and the users fixtures. */
export interface AuthFixtures {
  /** The token of a new, live one-time link of a new desk customer. */
  freshLinkToken(purpose: 'password_reset' | 'invitation'): Promise<string>
}

const anyone = (ok: number) => ({ anonymous: ok, customerA: ok, customerB: ok, assignedMechanic: ok, mechanic: ok, advisor: ok, admin: ok }) as const

/** The one-time link routes are public: the link (or, for a reset request, nothing) is the credential. */
export const accountLinksRows: AccessRows<BaseFixtures & UsersFixtures & AuthFixtures> = {
  'POST /api/auth/password-reset': {
    expected: anyone(202),
    request: (fx) => ({ url: '/api/auth/password-reset', payload: { email: fx.uniqueEmail() } }),
  },
  'POST /api/auth/password-reset/{token}': {
    expected: anyone(204),
    request: async (fx) => ({ url: `/api/auth/password-reset/${await fx.freshLinkToken('password_reset')}`, payload: { password: fx.password } }),
  },
  'POST /api/auth/invitations/{token}': {
    expected: anyone(200),
    request: async (fx) => ({ url: `/api/auth/invitations/${await fx.freshLinkToken('invitation')}`, payload: { password: fx.password } }),
  },
}
