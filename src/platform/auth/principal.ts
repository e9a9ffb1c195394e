import { unauthorized } from '../http/errors.ts'
import type { Role } from './roles.ts'

/** The signed-in user a request acts for. */
export interface Principal {
  userId: number
  role: Role
  email: string
  name: string
  /** SHA-256 of the bearer token: identifies the session without holding the token. */
  sessionId: string
}

/** The signed-in principal of a request; 401 if there is none (a route wrongly marked public). */
export function actorOf(principal: Principal | null): Principal {
  if (!principal) throw unauthorized()
  return principal
}

/** A live session as the auth plugin caches it: the principal and when the session ends. */
export interface SessionLookup extends Principal {
  /** Epoch milliseconds: checked on every request, since a cached lookup may outlive the session. */
  expiresAt: number
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin; null for anonymous requests to public routes. */
    principal: Principal | null
  }
  interface FastifyContextConfig {
    /** Routes are signed-in only unless marked public. */
    public?: boolean
    /** When set, only these roles may call the route (403 otherwise). */
    roles?: readonly Role[]
  }
}
