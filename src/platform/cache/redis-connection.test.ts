import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { createRedis } from './redis-connection.ts'

// The options ioredis ends up with, without connecting (lazyConnect): a TLS URL must give a TLS socket.
function optionsFor(redisUrl: string) {
  const redis = createRedis(loadConfig({ REDIS_URL: redisUrl }), 'command', () => {})
  try {
    return redis.options
  } finally {
    redis.disconnect()
  }
}

describe('the Redis connection of a REDIS_URL', () => {
  it('uses TLS for rediss:// in any letter case', () => {
    for (const url of ['rediss://:secret@cache.internal:6380/2', 'REDISS://:secret@cache.internal:6380/2', 'RedisS://cache.internal']) {
      expect(optionsFor(url).tls, url).toBeDefined()
    }
  })

  it('uses no TLS for redis://', () => {
    expect(optionsFor('redis://127.0.0.1:6379/1').tls).toBeUndefined()
    expect(optionsFor('REDIS://127.0.0.1:6379/1').tls).toBeUndefined()
  })

  it('keeps the password and database index of an upper-case URL', () => {
    expect(optionsFor('REDISS://:secret@cache.internal:6380/2')).toMatchObject({ password: 'secret', db: 2, host: 'cache.internal', port: 6380 })
  })
})
