import type { FastifyRequest } from 'fastify'
import type { Tag } from './cache-declaration.ts'

/** The per-route response cache option: `config: { cache: { … } }` on a GET route. */
export interface ResponseCacheRouteOptions {
  /** Namespace of the entries, for stats, metrics and pattern clears (e.g. `vehicle_list`). */
  namespace: string
  /** Defaults to the CACHE_TTL_RESPONSE setting. */
  ttlMs?: number
  /** `user`: one entry per principal (user id and role); never served to anyone else. */
  scope: 'user'
  /** The tags whose invalidation must drop this response, from the authenticated request (declared families only). */
  tags(request: FastifyRequest): Tag[]
}

declare module 'fastify' {
  interface FastifyContextConfig {
    cache?: ResponseCacheRouteOptions
  }
}
