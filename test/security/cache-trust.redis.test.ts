import { createHash, randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { Packr } from 'msgpackr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run-cli.ts'
import { newToken } from '../../src/platform/auth/tokens.ts'
import { AppError } from '../../src/platform/http/errors.ts'
import { buildTestApp, createTestDatabase, testCacheKind, testDbKind, testRedisUrl, type TestApp } from '../support/app.ts'
import { dropPrefix, eventually, makeCache } from '../support/cache.ts'
import { castOf } from '../support/actors.ts'
import { createUser, type TestUser } from '../support/factories/users.ts'
import { createVehicle } from '../support/factories/vehicles.ts'

// What an attacker with write access to Redis (and ECAR's source) does: no secret, no database.
const packr = new Packr({ useRecords: false, mapsAsObjects: true })
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

interface Entry {
  v: unknown
  t: string[]
  x: number
}

/** Decodes a stored entry whatever its framing: bare MessagePack (the old format) or behind a 32-byte MAC. */
function decodeStored(raw: Buffer): Entry {
  for (const body of [raw, raw.subarray(32)]) {
    try {
      const entry = packr.unpack(body) as Entry
      if (entry && Array.isArray(entry.t)) return entry
    } catch {
      // try the next framing
    }
  }
  throw new Error('not an entry')
}

/** Every physical key under the prefix, found the way anyone with Redis access finds them. */
async function scanAll(redis: Redis, match: string): Promise<string[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000)
    cursor = next
    keys.push(...found)
  } while (cursor !== '0')
  return keys
}

/** The root of a deployment's keys (`<prefix>:v<n>:<id>:`), read off a tag key it made. */
async function rootOf(redis: Redis, prefix: string): Promise<string> {
  const tagKey = (await scanAll(redis, `${prefix}:*#t:#epoch`))[0]
  if (!tagKey) throw new Error('no epoch tag yet')
  return tagKey.slice(0, -'#t:#epoch'.length)
}

const rejected = (t: TestApp, reason: string) => t.app.cache.stats.rejected.get(reason) ?? 0

describe.skipIf(testDbKind() !== 'postgres' || testCacheKind() !== 'redis')('a Redis writer cannot become anyone', () => {
  let t: TestApp
  let attacker: Redis
  let admin: TestUser
  let customer: TestUser
  let root = ''

  beforeAll(async () => {
    // L1 off: every read goes to Redis, where the attacker writes.
    t = await buildTestApp({ env: { CACHE_L1_MAX_ENTRIES: '0' } })
    attacker = new Redis(testRedisUrl()!)
    ;({ admin, customerA: customer } = await castOf(t.app.db))
    await createVehicle(t.app.db, customer.id)
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: admin.auth })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })).statusCode).toBe(200)
    root = await rootOf(attacker, t.config.cache.prefix)
  })
  afterAll(async () => {
    attacker?.disconnect()
    await t?.close()
  })

  it('a forged session lookup and its tag key do not sign a random token in as the admin', async () => {
    const token = newToken()
    const hash = sha256(token)
    const epoch = (await attacker.get(`${root}#t:#epoch`)) ?? 'e'
    const lookup = { userId: admin.id, role: 'admin', email: admin.email, name: admin.name, sessionId: hash, expiresAt: Date.now() + 3_600_000 }
    const entry = packr.pack({ v: lookup, t: [epoch, 'forged'], x: Date.now() + 3_600_000 })
    await attacker.set(`${root}#t:session:${hash}`, 'forged', 'PX', 3_600_000)
    // Bare, and behind a MAC-sized prefix the attacker cannot compute.
    for (const raw of [entry, Buffer.concat([randomBytes(32), entry])]) {
      await attacker.set(`${root}session_${hash}`, raw, 'PX', 3_600_000)
      const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })
      expect(me.statusCode).toBe(401)
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { authorization: `Bearer ${token}` },
        payload: { email: `evil-${randomBytes(3).toString('hex')}@example.test`, name: 'Evil', role: 'admin', password: 'correct horse battery' },
      })
      expect(created.statusCode).toBe(401)
    }
  })

  it('keeps no session lookup in Redis at all, so none can be restored after a logout', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: customer.auth })).statusCode).toBe(200)
    expect(await scanAll(attacker, `${root}session_${sha256(customer.token)}`)).toEqual([])
  })

  it('a forged cached response is refused: the user gets the real one', async () => {
    const real = await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })
    expect(real.headers['x-cache']).toBe('HIT')
    const [key] = await scanAll(attacker, `${root}vehicle_list_u${customer.id}_*`)
    expect(key).toBeDefined()
    const genuine = (await attacker.getBuffer(key!))!
    const entry = decodeStored(genuine)
    const forgedBody = JSON.stringify({ items: [{ id: 666, make: 'Forged' }], nextCursor: null })
    const forged = packr.pack({ ...entry, v: { body: forgedBody, etag: '"forged"' } })
    const before = rejected(t, 'entry_mac')
    // Bare, and behind the genuine entry's own MAC (which covers other bytes).
    for (const raw of [forged, Buffer.concat([genuine.subarray(0, 32), forged])]) {
      await attacker.set(key!, raw, 'PX', 3_600_000)
      const answer = await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })
      expect(answer.statusCode).toBe(200)
      expect(answer.body).toBe(real.body)
      expect(answer.headers['x-cache']).toBe('MISS')
    }
    expect(rejected(t, 'entry_mac')).toBe(before + 2)
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toMatch(/ecar_cache_rejected_total\{reason="entry_mac"\} [1-9]/)
  })

  it('a genuine entry copied to another user’s key is refused: no one is served someone else’s vehicle', async () => {
    const vehicle = await createVehicle(t.app.db, customer.id, { make: 'Private' })
    const url = `/api/vehicles/${vehicle.id}`
    expect((await t.app.inject({ method: 'GET', url, headers: customer.auth })).body).toContain('Private')
    const [mine] = await scanAll(attacker, `${root}vehicle_detail_u${customer.id}_*`)
    const stranger = await createUser(t.app.db)
    // The key the stranger's request looks up, built as responseKey builds it: same tags, so the
    // tag tokens in the copied entry match; only the MAC over the physical key tells them apart.
    const theirs = `${root}vehicle_detail_u${stranger.id}_customer_/api/vehicles/:id|{"id":${vehicle.id}}|{}`
    await attacker.set(theirs, (await attacker.getBuffer(mine!))!, 'PX', 3_600_000)
    const answer = await t.app.inject({ method: 'GET', url, headers: stranger.auth })
    expect(answer.statusCode).toBe(404)
    expect(answer.body).not.toContain('Private')
  })
})

describe.skipIf(testDbKind() !== 'postgres' || testCacheKind() !== 'redis')('forged and replayed bus messages', () => {
  let t: TestApp
  let other: TestApp
  let attacker: Redis
  let listener: Redis
  let customer: TestUser
  let admin: TestUser
  let root = ''
  const heard: string[] = []

  beforeAll(async () => {
    t = await buildTestApp()
    // A second instance of the same deployment, whose genuine messages the attacker records.
    other = await buildTestApp({ testDb: t.testDb, env: { CACHE_PREFIX: t.config.cache.prefix } })
    attacker = new Redis(testRedisUrl()!)
    listener = new Redis(testRedisUrl()!)
    ;({ customerA: customer, admin } = await castOf(t.app.db))
    await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })
    root = await rootOf(attacker, t.config.cache.prefix)
    await listener.subscribe(`${root}#bus`)
    listener.on('message', (_channel: string, message: string) => heard.push(message))
    await eventually(() => t.app.cache.health() === 'up', 5000, 'cache up')
  })
  afterAll(async () => {
    attacker?.disconnect()
    listener?.disconnect()
    await other?.close()
    await t?.close()
  })

  const warm = async () => {
    await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })
    expect((await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })).headers['x-cache']).toBe('HIT')
    return t.app.cache.l1!.size
  }

  it('a forged clear does not empty the L1, and is counted', async () => {
    const size = await warm()
    expect(size).toBeGreaterThan(0)
    const before = rejected(t, 'message_mac')
    const clear = JSON.stringify({ kind: 'clear', from: 'attacker', root })
    await attacker.publish(`${root}#bus`, clear)
    await attacker.publish(`${root}#bus`, `${randomBytes(32).toString('base64url')}.${JSON.stringify({ kind: 'clear', from: 'attacker', root, at: Date.now(), n: 0 })}`)
    await eventually(() => rejected(t, 'message_mac') === before + 2, 5000, 'both forgeries refused')
    expect(t.app.cache.l1!.size).toBe(size)
    expect((await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })).headers['x-cache']).toBe('HIT')
  })

  it('a genuine clear replayed later does not empty the L1 again', async () => {
    heard.length = 0
    expect((await other.app.inject({ method: 'DELETE', url: '/api/admin/cache', headers: admin.auth })).statusCode).toBe(200)
    const fromOther = (m: string) => m.includes('"clear"') && m.includes(other.app.cache.instanceId)
    await eventually(() => heard.some(fromOther), 5000, 'the genuine clear on the bus')
    const genuine = heard.find(fromOther)!
    // The instance has taken the genuine message (its L1 emptied) before the attacker replays it.
    await eventually(() => t.app.cache.l1!.size === 0, 5000, 'the genuine clear applied')
    const size = await warm()
    const before = rejected(t, 'message_replay')
    await attacker.publish(`${root}#bus`, genuine)
    await eventually(() => rejected(t, 'message_replay') === before + 1, 5000, 'the replay refused')
    expect(t.app.cache.l1!.size).toBe(size)
  })
})

describe.skipIf(testDbKind() !== 'postgres' || testCacheKind() !== 'redis')('two deployments on one Redis and one CACHE_PREFIX', () => {
  let a: TestApp
  let b: TestApp
  let redis: Redis
  const prefix = `ecar-test-shared-${randomBytes(4).toString('hex')}`

  beforeAll(async () => {
    // Different databases, the same Redis and the same prefix (as two deployments left at the default).
    a = await buildTestApp({ env: { CACHE_PREFIX: prefix } })
    b = await buildTestApp({ env: { CACHE_PREFIX: prefix } })
    redis = new Redis(testRedisUrl()!)
  })
  afterAll(async () => {
    redis?.disconnect()
    await a?.close()
    await b?.close()
  })

  it('use different key roots', () => {
    expect(a.app.cache.keys.root).not.toBe(b.app.cache.keys.root)
    expect(a.app.cache.keys.root.startsWith(`${prefix}:`)).toBe(true)
  })

  it('a token of one is 401 on the other, and cached data of one is never served by the other', async () => {
    // The same ids on both sides: each database numbers its users from the same start.
    const staffA = await createUser(a.app.db, { role: 'admin' })
    const staffB = await createUser(b.app.db, { role: 'admin' })
    const custA = await createUser(a.app.db)
    const custB = await createUser(b.app.db)
    expect([staffA.id, custA.id]).toEqual([staffB.id, custB.id])
    await createVehicle(a.app.db, custA.id, { make: 'OnlyInA' })
    await createVehicle(b.app.db, custB.id, { make: 'OnlyInB' })
    // A caches the list and the session; B's session row has the same id but another token.
    const fromA = await a.app.inject({ method: 'GET', url: `/api/customers/${custA.id}/vehicles`, headers: staffA.auth })
    expect(fromA.body).toContain('OnlyInA')
    expect((await b.app.inject({ method: 'GET', url: '/api/auth/me', headers: staffA.auth })).statusCode).toBe(401)
    const fromB = await b.app.inject({ method: 'GET', url: `/api/customers/${custB.id}/vehicles`, headers: staffB.auth })
    expect(fromB.body).toContain('OnlyInB')
    expect(fromB.body).not.toContain('OnlyInA')
    const ownA = await a.app.inject({ method: 'GET', url: '/api/vehicles', headers: custA.auth })
    const ownB = await b.app.inject({ method: 'GET', url: '/api/vehicles', headers: custB.auth })
    expect(ownA.body).toContain('OnlyInA')
    expect(ownB.body).toContain('OnlyInB')
    expect(ownB.body).not.toContain('OnlyInA')
  })

  it('the CLI works on the same root as the servers of its database', async () => {
    const staff = await createUser(a.app.db, { role: 'admin' })
    const cust = await createUser(a.app.db)
    await a.app.inject({ method: 'GET', url: `/api/customers/${cust.id}/vehicles`, headers: staff.auth })
    const cached = await scanAll(redis, `${a.app.cache.keys.root}customer_vehicles_*`)
    expect(cached.length).toBeGreaterThan(0)
    const keysOfB = (await scanAll(redis, `${b.app.cache.keys.root}*`)).length
    const out: string[] = []
    const code = await runCli(['cache', 'clear', '--pattern', 'customer_vehicles_*'], {
      env: { DATABASE_URL: a.testDb.url, REDIS_URL: testRedisUrl(), CACHE_PREFIX: prefix, LOG_LEVEL: 'silent' },
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    })
    expect(code).toBe(0)
    expect(out.join('\n')).toMatch(new RegExp(`^Cleared ${cached.length} Redis keys`))
    expect(await scanAll(redis, `${a.app.cache.keys.root}customer_vehicles_*`)).toEqual([])
    expect((await scanAll(redis, `${b.app.cache.keys.root}*`)).length).toBe(keysOfB)
  })

  it('clearing one leaves the other’s keys', async () => {
    const keysOfB = async () => (await scanAll(redis, `${b.app.cache.keys.root}*`)).length
    const before = await keysOfB()
    expect(before).toBeGreaterThan(0)
    const adminA = await createUser(a.app.db, { role: 'admin' })
    expect((await a.app.inject({ method: 'DELETE', url: '/api/admin/cache', headers: adminA.auth })).statusCode).toBe(200)
    expect(await keysOfB()).toBe(before)
    expect(await scanAll(redis, `${a.app.cache.keys.root}customer_vehicles_*`)).toEqual([])
  })
})

describe.skipIf(testDbKind() !== 'postgres' || testCacheKind() !== 'redis')('an entry kept alive in Redis past its sealed expiry', () => {
  it('answers as stale-if-error only within CACHE_STALE_IF_ERROR of its expiry, whatever the Redis key’s TTL', async () => {
    const testDb = await createTestDatabase('postgres')
    const c = await makeCache(testDb, { CACHE_STALE_IF_ERROR: '1s', CACHE_L1_MAX_ENTRIES: '0' })
    const attacker = new Redis(testRedisUrl()!)
    const opts = { namespace: 'replay', ttlMs: 200, tags: ['replay'] }
    const down = async (): Promise<string> => {
      throw new AppError(503, 'ECAR_ERR_DATABASE_UNAVAILABLE', 'down')
    }
    try {
      await c.cache.getOrSet('k_recent', async () => 'v-recent', opts)
      await c.cache.getOrSet('k_old', async () => 'v-old', opts)
      // The attacker keeps both keys alive far beyond the entry's expiry plus the grace.
      for (const key of ['k_recent', 'k_old']) expect(await attacker.pexpire(c.cache.keys.entry(key), 3_600_000)).toBe(1)
      await new Promise((r) => setTimeout(r, 400))
      expect(await c.cache.getOrSet('k_recent', down, opts)).toEqual({ value: 'v-recent', status: 'STALE' })
      await new Promise((r) => setTimeout(r, 1200))
      await expect(c.cache.getOrSet('k_old', down, opts)).rejects.toThrow('down')
    } finally {
      attacker.disconnect()
      await c.close()
      await dropPrefix(c.config)
      await testDb.drop()
    }
  })
})
