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
