import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/** A fixed-window limit: at most `limit` counted events per `windowMs` for one id. */
export interface RateRule {
  /** Part of the counter key, e.g. `login-account`. */
  name: string
  limit: number
  windowMs: number
}

/** Where a counter lives: the database or Redis (shared by every instance), or this process (while Redis is away). */
export type CounterStore = 'redis' | 'memory' | 'database'

/** The outcome of counting one event. */
export interface RateDecision {
  /** False once the count is over the limit. */
  allowed: boolean
  count: number
  /** Whole seconds until the window ends (at least 1), for `Retry-After`. */
  retryAfterSeconds: number
  store: CounterStore
}

/** Counters for rate limits, shared through Redis when there is one. */
export interface RateLimiter {
  /** Counts one event for `id` and says whether it is within the rule. */
  hit(rule: RateRule, id: string): Promise<RateDecision>
  /** Takes back one event counted by `hit` in `store` (an attempt that turned out not to count). */
  undo(rule: RateRule, id: string, store: CounterStore): Promise<void>
  /** Clears the counter of `id`, in both stores. */
  reset(rule: RateRule, id: string): Promise<void>
}

export interface RateLimiterOptions {
  /** A fail-fast ioredis client; without one the counters live in this process only. */
  redis?: Redis | undefined
  /** The deployment prefix: keys are `<prefix>:rl:<rule>:<hashed id>`, outside the cache's versioned space. */
  prefix: string
  /** After a Redis failure, how long to count in memory before trying Redis again. */
  breakerMs?: number
  /** Bound of the in-process counters; when they are all live, a new id is refused (fail closed). */
  maxMemoryCounters?: number
  now?: () => number
}

// INCR and the expiry in one step, so a crash between them cannot leave a counter that never expires.
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`

// DECR would recreate an expired counter at -1 without expiry; such a counter is dropped instead.
const UNDO_SCRIPT = `
local n = redis.call('DECR', KEYS[1])
if n <= 0 then redis.call('DEL', KEYS[1]) end
return n`

interface MemoryCounter {
  count: number
  resetAt: number
}

/** Ids are hashed: emails and addresses are personal data and do not belong in key names. */
export function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 32)
}

/** Whole seconds for Retry-After, at least 1. */
export function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}

/**
 * Rate-limit counters (the general request limit's). With Redis they are shared by every instance;
 * when a Redis command fails they fall back to bounded in-process counters for `breakerMs`, so limits
 * keep holding (per instance) and requests keep being answered while Redis is down.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { redis, prefix } = options
  const now = options.now ?? Date.now
  const breakerMs = options.breakerMs ?? 1000
  const maxMemory = options.maxMemoryCounters ?? 100_000
  // Not an LRU: evicting a live counter would reset it, so a flood of fresh ids could wipe the
  // counters of the ids it targets (fail open). Full of live counters, a new id is refused instead.
  const memory = new Map<string, MemoryCounter>()
  let lastSweep = 0
  const roomFor = (at: number): boolean => {
    if (memory.size < maxMemory) return true
    // A sweep is linear: at most one per second, so a flood cannot make every hit pay for one.
    if (at - lastSweep >= 1000) {
      lastSweep = at
      for (const [key, counter] of memory) if (counter.resetAt <= at) memory.delete(key)
    }
    return memory.size < maxMemory
  }
  let redisSkippedUntil = 0

  const keyOf = (rule: RateRule, id: string) => `${prefix}:rl:${rule.name}:${hashId(id)}`
  const useRedis = () => redis !== undefined && now() >= redisSkippedUntil
  const tripBreaker = () => {
    redisSkippedUntil = now() + breakerMs
  }

  const memoryHit = (rule: RateRule, key: string): RateDecision => {
    const at = now()
    let counter = memory.get(key)
    if (counter && counter.resetAt <= at) {
      counter.count = 0
      counter.resetAt = at + rule.windowMs
    }
    if (!counter) {
      if (!roomFor(at)) return { allowed: false, count: rule.limit + 1, retryAfterSeconds: 1, store: 'memory' }
      counter = { count: 0, resetAt: at + rule.windowMs }
      memory.set(key, counter)
    }
    counter.count++
    return { allowed: counter.count <= rule.limit, count: counter.count, retryAfterSeconds: seconds(counter.resetAt - at), store: 'memory' }
  }

  return {
    async hit(rule, id) {
      const key = keyOf(rule, id)
      if (useRedis()) {
        try {
          const [count, ttl] = (await redis!.eval(HIT_SCRIPT, 1, key, rule.windowMs)) as [number, number]
          return { allowed: count <= rule.limit, count, retryAfterSeconds: seconds(ttl), store: 'redis' }
        } catch {
          tripBreaker()
        }
      }
      return memoryHit(rule, key)
    },

    async undo(rule, id, store) {
      const key = keyOf(rule, id)
      if (store === 'memory') {
        const counter = memory.get(key)
        if (counter && counter.count > 0) counter.count--
        return
      }
      if (!useRedis()) return
      try {
        await redis!.eval(UNDO_SCRIPT, 1, key)
      } catch {
        tripBreaker()
      }
    },

    async reset(rule, id) {
      const key = keyOf(rule, id)
      memory.delete(key)
      if (!useRedis()) return
      try {
        await redis!.del(key)
      } catch {
        tripBreaker()
      }
    },
  }
}
