import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testCacheKind, testRedisUrl, type TestApp } from '../support/app.ts'
import { freePort } from '../support/services.ts'

type Inject = TestApp['app']['inject']
let seq = 0
const address = () => `10.9.${Math.floor(seq / 250) % 250}.${(seq++ % 250) + 1}`
const get = (app: TestApp['app'], remoteAddress: string, headers: Record<string, string> = {}, url = '/api/auth/me') =>
  (app.inject as Inject)({ method: 'GET', url, remoteAddress, headers })

describe('general request limit', () => {
  it('is off by default', async () => {
    const t = await buildTestApp()
    try {
      const from = address()
      for (let i = 0; i < 30; i++) expect((await get(t.app, from)).statusCode).toBe(401)
    } finally {
      await t.close()
    }
  })

  describe('with RATE_LIMIT_PER_MINUTE=5', () => {
    let t: TestApp
    beforeAll(async () => {
      t = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } })
    })
    afterAll(async () => t?.close())

    it('answers the 6th request of a minute from one address with 429 problem+json and Retry-After, before authentication', async () => {
      const from = address()
      for (let i = 0; i < 5; i++) expect((await get(t.app, from, { authorization: 'Bearer not-a-token-at-all' })).statusCode).toBe(401)
      const refused = await get(t.app, from)
      expect(refused.statusCode).toBe(429)
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(refused.json()).toMatchObject({ status: 429, code: 'ECAR_ERR_RATE_LIMITED' })
      const retryAfter = Number(refused.headers['retry-after'])
      expect(retryAfter).toBeGreaterThan(0)
      expect(retryAfter).toBeLessThanOrEqual(60)
      // Another address has its own count; probes are never limited.
      expect((await get(t.app, address())).statusCode).toBe(401)
      expect((await get(t.app, from, {}, '/healthz')).statusCode).toBe(200)
    })

    it('counts an IPv6 /64 as one address', async () => {
      const net = `2001:db8:9:${(seq++ % 60000).toString(16)}`
      for (let i = 1; i <= 5; i++) expect((await get(t.app, `${net}::${i}`)).statusCode).toBe(401)
      expect((await get(t.app, `${net}:abcd::6`)).statusCode).toBe(429)
    })
  })

  it.skipIf(testCacheKind() !== 'redis')('shares one count between two instances on one Redis, under its own key prefix', async () => {
    const a = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } })
    const b = await buildTestApp({ testDb: a.testDb, env: { RATE_LIMIT_PER_MINUTE: '5', CACHE_PREFIX: a.config.cache.prefix } })
    const redis = new Redis(testRedisUrl()!)
    try {
      const from = address()
      for (let i = 0; i < 3; i++) expect((await get(a.app, from)).statusCode).toBe(401)
      for (let i = 0; i < 2; i++) expect((await get(b.app, from)).statusCode).toBe(401)
      expect((await get(a.app, from)).statusCode).toBe(429)
      expect((await get(b.app, from)).statusCode).toBe(429)
      const keys = await redis.keys(`${a.config.cache.prefix}:rl:req:*`)
      expect(keys.length).toBeGreaterThan(0)
      expect(keys.join(' ')).not.toContain(from)
    } finally {
      redis.disconnect()
      await b.app.close()
      await a.close()
    }
  })

  it.skipIf(testCacheKind() !== 'redis')('keeps two deployments on one Redis and one CACHE_PREFIX apart: the clients of one do not spend the limit of the other', async () => {
    const a = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } })
    // Another database: another deployment id, the same prefix.
    const b = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3', CACHE_PREFIX: a.config.cache.prefix } })
    try {
      const from = address()
      for (let i = 0; i < 3; i++) expect((await get(a.app, from)).statusCode).toBe(401)
      expect((await get(a.app, from)).statusCode).toBe(429)
      for (let i = 0; i < 3; i++) expect((await get(b.app, from)).statusCode).toBe(401)
    } finally {
      await b.close()
      await a.close()
    }
  })

  it('keeps limiting per process, answering at once, while Redis is unreachable', async () => {
    const port = await freePort()
    const t = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3', REDIS_URL: `redis://127.0.0.1:${port}` } })
    try {
      const from = address()
      const started = performance.now()
      const codes: number[] = []
      for (let i = 0; i < 5; i++) codes.push((await get(t.app, from)).statusCode)
      expect(codes).toEqual([401, 401, 401, 429, 429])
      expect(performance.now() - started).toBeLessThan(2000)
    } finally {
      await t.close()
    }
  })
})

describe('TRUST_PROXY with a proxy that appends to X-Forwarded-For', () => {
  // The proxy at 127.0.0.1 appends the address it saw; whatever the client wrote comes before it.
  const viaProxy = (app: TestApp['app'], chain: string) => get(app, '127.0.0.1', { 'x-forwarded-for': chain })

  for (const setting of ['true', '1', '127.0.0.1/8']) {
    it(`TRUST_PROXY=${setting}: the client address is the one the proxy appended, not one the client wrote`, async () => {
      const t = await buildTestApp({ env: { TRUST_PROXY: setting, RATE_LIMIT_PER_MINUTE: '3' } })
      try {
        for (let i = 0; i < 3; i++) expect((await viaProxy(t.app, `192.0.2.${i + 1}, 198.51.100.7`)).statusCode).toBe(401)
        // A new forged left-most address does not buy a fresh count...
        expect((await viaProxy(t.app, '192.0.2.99, 198.51.100.7')).statusCode).toBe(429)
        // ...nor can forging someone else's address spend theirs.
        expect((await viaProxy(t.app, '198.51.100.8')).statusCode).toBe(401)
      } finally {
        await t.close()
      }
    })
  }

  it('TRUST_PROXY=2 trusts two hops and no more', async () => {
    const t = await buildTestApp({ env: { TRUST_PROXY: '2', RATE_LIMIT_PER_MINUTE: '2' } })
    try {
      for (let i = 0; i < 2; i++) expect((await viaProxy(t.app, `192.0.2.${i + 1}, 198.51.100.7, 10.0.0.5`)).statusCode).toBe(401)
      expect((await viaProxy(t.app, '192.0.2.50, 198.51.100.7, 10.0.0.5')).statusCode).toBe(429)
    } finally {
      await t.close()
    }
  })

  it('without TRUST_PROXY the header is ignored', async () => {
    const t = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '2' } })
    try {
      const from = address()
      for (let i = 0; i < 2; i++) expect((await get(t.app, from, { 'x-forwarded-for': `192.0.2.${i + 1}` })).statusCode).toBe(401)
      expect((await get(t.app, from, { 'x-forwarded-for': '192.0.2.77' })).statusCode).toBe(429)
    } finally {
      await t.close()
    }
  })
})
