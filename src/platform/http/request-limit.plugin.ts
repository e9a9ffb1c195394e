import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { Config } from '../config.ts'
import { createRateLimiter, type RateLimiter } from '../auth/rate-limiter.ts'
import { addressKey } from './client-address.ts'
import { tooManyRequests } from './errors.ts'

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void

/**
 * A store for @fastify/rate-limit on our counters: Redis shared by every instance, per-process
 * counting while Redis is down (the library's own Redis store fails the request instead, or lets
 * it through with skipOnError), and in-process counters that refuse rather than evict when full.
 */
function storeFor(limiter: RateLimiter) {
  return class CounterStore {
    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      limiter.hit({ name: 'req', limit: max, windowMs: timeWindow }, key).then(
        (decision) => callback(null, { current: decision.count, ttl: decision.retryAfterSeconds * 1000 }),
        (error: Error) => callback(error),
      )
    }

    child(): CounterStore {
      return this
    }
  }
}

/**
 * The general request limit (RATE_LIMIT_PER_MINUTE; off when unset): every request, per client
 * address (IPv6 by /64), before authentication, so floods of bad tokens are limited too.
 * Counters live under `<CACHE_PREFIX>:rl:req:` in Redis, apart from the cache's keys, each named by
 * the hash of the deployment id and the address: two deployments sharing a Redis and a prefix do not
 * spend each other's limits.
 */
export const requestLimitPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const perMinute = opts.config.requestRateLimitPerMinute
    if (perMinute === undefined) return
    const limiter = createRateLimiter({ redis: app.redis, prefix: opts.config.cache.prefix, breakerMs: opts.config.redis.breakerMs })
    const deployment = app.cache.keys.deploymentId ?? ''
    await app.register(rateLimit, {
      global: false,
      max: perMinute,
      timeWindow: 60_000,
      store: storeFor(limiter),
      keyGenerator: (request) => `${deployment}/${addressKey(request.ip)}`,
      // Probes are not clients: a 429 on them would get a healthy instance restarted.
      allowList: (request) => request.url === '/healthz' || request.url === '/readyz',
      errorResponseBuilder: (_request, context) =>
        tooManyRequests(`More than ${context.max} requests a minute from this address; try again later.`, Math.max(1, Math.ceil(context.ttl / 1000))),
    })
    // An app-level hook, registered before the auth plugin's: it runs first on every request.
    app.addHook('onRequest', app.rateLimit())
  },
  { name: 'ecar-request-limit', dependencies: ['ecar-cache'] },
)
