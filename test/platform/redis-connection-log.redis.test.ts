import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionStateLog } from '../../src/platform/cache/connection-log.ts'
import { createRedis } from '../../src/platform/cache/redis-connection.ts'
import { loadConfig } from '../../src/platform/config.ts'
import { buildTestApp, testRedisUrl } from '../support/app.ts'
import { freePort, redisServerBinary, spawnRedis, type SpawnedRedis } from '../support/services.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A log that records level and message. */
function recorder() {
  const lines: { level: 'warn' | 'info'; msg: string; data: Record<string, unknown> }[] = []
  return {
    lines,
    warn: (data: Record<string, unknown>, msg: string) => void lines.push({ level: 'warn', msg, data }),
    info: (data: Record<string, unknown>, msg: string) => void lines.push({ level: 'info', msg, data }),
  }
}

describe.skipIf(!redisServerBinary())('the Redis connection log while Redis is down', () => {
  let spawned: SpawnedRedis | undefined
  afterEach(async () => {
    await spawned?.stop()
    spawned = undefined
  })

  it('logs one line when lost, a periodic summary, and one line when back, not one per reconnection attempt', async () => {
    const port = await freePort()
    // Reconnection attempts every ~20 ms: dozens during the outage below.
    const config = loadConfig({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_MAX_RECONNECT_DELAY_MS: '20', REDIS_CONNECT_TIMEOUT_MS: '100' })
    const log = recorder()
    const state = new ConnectionStateLog(log, 'redis', 400)
    let attempts = 0
    const redis = createRedis(config, 'command', (error) => {
      attempts++
      state.error(error)
    })
    redis.on('ready', () => state.ready())
    try {
      const started = performance.now()
      redis.connect().catch(() => {})
      await sleep(1000)
      // A loaded machine may wake late: the summaries are bounded by the time that really passed.
      const elapsed = performance.now() - started
      expect(attempts).toBeGreaterThan(10)
      const lost = log.lines.filter((l) => l.msg.startsWith('redis connection lost'))
      expect(lost).toHaveLength(1)
      const summaries = log.lines.filter((l) => l.msg === 'redis still unreachable')
      expect(summaries.length).toBeGreaterThanOrEqual(1)
      // One per 400 ms period (3 in the nominal second), never one per attempt.
      expect(summaries.length).toBeLessThanOrEqual(Math.floor(elapsed / 400) + 1)
      expect(summaries.length).toBeLessThan(attempts / 3)
      expect(summaries.at(-1)!.data.failedAttempts).toBeGreaterThan(5)

      spawned = await spawnRedis(port)
      const deadline = Date.now() + 5000
      while (redis.status !== 'ready' && Date.now() < deadline) await sleep(20)
      expect(redis.status).toBe('ready')
      const back = log.lines.filter((l) => l.msg === 'redis connection back')
      expect(back).toHaveLength(1)
      expect(back[0]!.level).toBe('info')
      const before = log.lines.length
      await sleep(900)
      // Back up: no more summaries.
      expect(log.lines.length).toBe(before)
    } finally {
      state.stop()
      redis.disconnect()
    }
  })
})

describe.skipIf(!testRedisUrl())('a clean shutdown', () => {
  it('does not log "cache invalidation path lost" (operators look for that line when data is stale)', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const t = await buildTestApp({ env: { LOG_LEVEL: 'info' }, logStream: stream })
    // Until both paths (Redis bus and PostgreSQL LISTEN) are up, closing could not lose them.
    await sleep(1000)
    await t.close()
    await sleep(200)
    expect(lines.join('')).not.toContain('cache invalidation path lost')
  })
})

describe('a server whose Redis is down', () => {
  it('logs the lost connection once, not at every reconnection attempt', async () => {
    const lines: { msg: string; level: number }[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { msg: string; level: number })
        done()
      },
    })
    const port = await freePort()
    const t = await buildTestApp({
      env: { LOG_LEVEL: 'warn', REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_MAX_RECONNECT_DELAY_MS: '20', REDIS_CONNECT_TIMEOUT_MS: '100' },
      logStream: stream,
    })
    try {
      await sleep(1000)
      const connection = lines.filter((l) => /redis connection/.test(l.msg))
      expect(connection.map((l) => l.msg)).toEqual(['redis connection lost: reads go to the database; reconnecting in the background'])
    } finally {
      await t.close()
    }
  })
})
