import type { AccessRows } from '../../platform/http/access.ts'

const signedIn = (ok: number) => ({ anonymous: 401, customerA: ok, customerB: ok, mechanic: ok, advisor: ok, admin: ok }) as const
const anyone = (ok: number) => ({ ...signedIn(ok), anonymous: ok }) as const

/** Registration and sign-in are public (a token sent along changes nothing); the rest needs a session. */
export const authAccess: AccessRows = {
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
}
