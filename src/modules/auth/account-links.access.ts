import type { AccessRows } from '../../platform/http/access.ts'

const anyone = (ok: number) => ({ anonymous: ok, customerA: ok, customerB: ok, mechanic: ok, advisor: ok, admin: ok }) as const

/** The one-time link routes are public: the link (or, for a reset request, nothing) is the credential. */
export const accountLinksAccess: AccessRows = {
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
