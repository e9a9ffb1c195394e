/*
 * The auth module's public face: sessions, sign-in limits and one-time account links. The bearer
 * check itself is platform code (src/platform/auth/auth.plugin.ts); it learns where sessions live
 * from `sessionSource`, which app.ts hands it.
 */
import type { SessionSource } from '../../platform/auth/auth.plugin.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { AUTH_PERMISSIONS } from './auth.policy.ts'
import { accountLinksRoutes } from './account-links.routes.ts'
import { authAccountSubscriptions } from './account-subscriptions.ts'
import { accountTokens } from './account-tokens.table.ts'
import { authAccess } from './auth.access.ts'
import { AuthErrors } from './auth.errors.ts'
import { AUTH_CACHE, SESSION_NAMESPACE, sessionKey, sessionTag } from './auth.cache.ts'
import { authRoutes } from './auth.routes.ts'
import { loginLimitsRoutes } from './login-limits.routes.ts'
import { findLiveSession } from './sessions.repository.ts'
import { sessions } from './sessions.table.ts'

export { accountTokens } from './account-tokens.table.ts'
export { sessions } from './sessions.table.ts'
export { AuthErrors } from './auth.errors.ts'
export { SESSION_ENCODED_BYTES, SESSION_NAMESPACE } from './auth.cache.ts'
export { InvitationCreated } from './account-links.schemas.ts'
export { createAccountLinksService, type AccountLinksService } from './account-links.service.ts'
export type { AuthFixtures } from './account-links.access.ts'

/** Where the platform's bearer check finds sessions and caches their lookups. */
export const sessionSource: SessionSource = { namespace: SESSION_NAMESPACE, key: sessionKey, tag: sessionTag, find: findLiveSession }

/** Registration, sign-in and sessions, one-time links, and the admin's unlock of sign-in limits. */
export const authModule = defineModule({
  name: 'auth',
  plugins: [authAccountSubscriptions],
  apiTags: [{ name: 'auth', description: 'Registration, sign-in and sign-out, and the signed-in account' }],
  routes: [
    { prefix: '/api/auth', plugin: authRoutes },
    { prefix: '/api/auth', plugin: accountLinksRoutes },
    { prefix: '/api/users', plugin: loginLimitsRoutes },
  ],
  tables: { sessions, accountTokens },
  cache: AUTH_CACHE,
  permissions: AUTH_PERMISSIONS,
  access: authAccess,
  errors: AuthErrors,
})
