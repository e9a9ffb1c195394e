import { rateLimitCounters } from '../auth/rate-limit.table.ts'
import { cacheIdentity } from '../cache/cache-identity.table.ts'
import { idempotencyKeys } from '../http/idempotency-keys.table.ts'

/** The tables platform code owns (every other table belongs to a module of the registry). */
export const PLATFORM_TABLES = { rateLimitCounters, cacheIdentity, idempotencyKeys } as const
