import type { FastifyRequest } from 'fastify'
import { unauthorized } from '../http/errors.ts'
import type { Scope } from './permissions.ts'
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

/** Who acts in a service call: the principal and how far its role holds the route's permission. */
export interface Actor extends Principal {
  grant: Scope
}

/** The actor of a signed-in request; 401 if there is none (a route wrongly marked public). */
export function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal
  if (!principal || request.grant === null) throw unauthorized()
  return { ...principal, grant: request.grant }
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
  }
}
