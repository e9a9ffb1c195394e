import { Redis, type RedisOptions } from 'ioredis'
import type { Config } from '../config.ts'

/**
 * ioredis options that fail fast (measured in ../shared/caching-notes.md): a dead Redis rejects
 * at once instead of after ~10 s, a hung one times out after commandTimeout, and the client keeps
 * reconnecting in the background. The URL carries user, password, database index and rediss:// TLS.
 */
export function failFastOptions(config: Config): RedisOptions {
  return {
    connectTimeout: config.redis.connectTimeoutMs,
    commandTimeout: config.redis.commandTimeoutMs,
    keepAlive: config.redis.keepAliveMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, config.redis.maxReconnectDelayMs),
    // After a failover the old primary answers READONLY: reconnect and resend.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    lazyConnect: true,
    // ioredis turns TLS on only for a literal lower-case "rediss://"; asked for explicitly, it cannot be lost.
    ...(config.redisTls ? { tls: {} } : {}),
  }
}

/** A new Redis connection for `role` (a separate one is needed for pub/sub). Errors are reported, never thrown. */
export function createRedis(config: Config, role: 'command' | 'subscriber', onError: (error: Error) => void): Redis {
  if (!config.redisUrl) throw new Error('createRedis needs REDIS_URL')
  const options = failFastOptions(config)
  const redis = new Redis(config.redisUrl, {
    ...options,
    connectionName: `ecar:${config.cache.prefix}:${role}`,
    // A subscriber waits for messages indefinitely: a command timeout would not apply to it.
    ...(role === 'subscriber' ? { commandTimeout: undefined, enableOfflineQueue: true, enableAutoPipelining: false } : {}),
  })
  redis.on('error', onError)
  return redis
}
