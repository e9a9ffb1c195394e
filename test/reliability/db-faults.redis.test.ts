import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/platform/db/database.ts'
import { createUser } from '../support/factories/users.ts'
import { createVehicle } from '../support/factories/vehicles.ts'
import { buildTestApp, createTestDatabase, testDbKind, type TestApp, type TestDatabase } from '../support/app.ts'
import { faultCycles, loadMs, loadUsers } from '../support/long-run.ts'
import { startTcpProxy, viaProxy, type TcpProxy } from '../support/tcp-proxy.ts'
import { auditWrites, createLoadUsers, latency, leakedPoolClients, runLoad, send, type Sample } from './fault-load.ts'

const WRITERS = loadUsers(6)
const READERS = loadUsers(3)
const CUT_MS = 2000
// The cut is played `faultCycles` times under one load, with `LOAD_MS` of load before each cut and after the last recovery.
const LOAD_MS = loadMs(800)
// Each cycle: load, cut, at most ~5 s to recover; the load's own deadline and the test's timeout follow.
const LOAD_DEADLINE_MS = 30_000 + (faultCycles - 1) * (LOAD_MS + CUT_MS + 5000) + (LOAD_MS - 800) * 2
const TIMEOUT_MS = LOAD_DEADLINE_MS + 30_000
// pg's connectionTimeoutMillis (database.ts) is the longest a query can wait for a connection; a
// request must never outlast it by more than a margin for two shared cores.
const LATENCY_BOUND_MS = 5000 + 1000
const RECOVERY_BOUND_MS = 5000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * PostgreSQL cut off (every connection reset, new ones refused) for ~2 s under a load of reads and
 * writes over real HTTP, through a TCP proxy in front of the test database. The app must fail fast
 * with 503 + Retry-After, keep answering what it may answer from the cache, and lose nothing.
 */
describe.skipIf(testDbKind() !== 'postgres')('database faults under load', () => {
  let proxy: TcpProxy
  let direct: TestDatabase
  let proxied: Database
  let testDb: TestDatabase
  let t: TestApp
  let base = ''
  // An 'error' event no one listens to: in a server, close-with-grace takes it as a crash and exits.
  const uncaught: string[] = []
  const onUncaught = (error: Error) => uncaught.push(`${error.message}\n${error.stack?.split('\n').slice(1, 6).join('\n')}`)

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught)
    proxy = await startTcpProxy()
    direct = await createTestDatabase('postgres')
    const url = viaProxy(direct.url!, proxy)
    proxied = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 10 })
    // The app's pool and its LISTEN connection both go through the proxy; the checks use `direct`.
    testDb = { database: proxied, url, drop: async () => {} }
    t = await buildTestApp({ testDb })
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    process.off('uncaughtException', onUncaught)
    await t?.close()
    // A pool connection never released (the load test reports it) would keep pool.end() waiting for good.
    await Promise.race([proxied?.close(), sleep(5000)])
    await direct?.drop()
    await proxy?.close()
  })

  it('fails fast with 503 + Retry-After, keeps cached reads, loses nothing acknowledged', async () => {
    const db = direct.database.db
    const { writers, readers } = await createLoadUsers(db, { writers: WRITERS, readers: READERS })
    // Warm every reader's entries (and the sessions of all users) before anything goes wrong.
    const warm: Sample[] = []
    for (const r of readers) for (const path of ['/api/vehicles', `/api/vehicles/${r.vehicleId}`, `/api/customers/${r.user.id}/vehicles`]) {
      await send(warm, base, { op: 'read', user: r.index, path }, { headers: r.user.auth }, 5000)
    }
    for (const w of writers) await send(warm, base, { op: 'me', user: w.index, path: '/api/auth/me' }, { headers: w.user.auth }, 5000)
    expect(warm.map((s) => s.status)).toEqual(warm.map(() => 200))

    const samples: Sample[] = []
    let stopped = false
    const deadline = performance.now() + LOAD_DEADLINE_MS
    const load = runLoad(samples, {
      base: () => base,
      writers,
      readers,
      stop: () => stopped || performance.now() > deadline,
      maxIterations: 5000,
      requestTimeoutMs: 15_000,
      pauseMs: 5,
    })
    const cuts: { cutAt: number; restoredAt: number; recoveredAt: number }[] = []
    try {
      for (let cycle = 0; cycle < faultCycles; cycle++) {
        await sleep(LOAD_MS)
        const cutAt = performance.now()
        proxy.cut()
        await sleep(CUT_MS)
        const restoredAt = performance.now()
        proxy.restore()
        // Recovered: the first uncached request (a write or /me) that starts after the restore and succeeds.
        let recoveredAt = Number.NaN
        for (let i = 0; i < 200 && Number.isNaN(recoveredAt); i++) {
          await sleep(25)
          const ok = samples.find((s) => s.startedMs >= restoredAt && (s.op === 'me' || s.op === 'patch') && s.status === 200)
          if (ok) recoveredAt = ok.endedMs
        }
        cuts.push({ cutAt, restoredAt, recoveredAt })
      }
      await sleep(LOAD_MS)
    } finally {
      proxy.restore()
      stopped = true
      await load
    }

    const during = (s: Sample) => cuts.some((c) => s.startedMs >= c.cutAt && s.endedMs <= c.restoredAt)
    const uncached = samples.filter((s) => s.op === 'me' || s.op === 'patch' || s.op === 'post')
    const unavailable = samples.filter((s) => s.status === 503)
    const lat = latency(samples)
    const audit = await auditWrites(db, samples, writers, (s) => cuts.some((c) => s.startedMs < c.cutAt && s.endedMs >= c.cutAt))
    // The slowest recovery of the cycles (NaN, and so a failure, if one never came).
    const recoverSeconds = Math.max(...cuts.map((c) => (c.recoveredAt - c.restoredAt) / 1000))
    // The load is over: every pooled connection the app took must be back (a leaked one never is).
    const leaked = await leakedPoolClients(proxied.db)
    // Back to normal: after each recovery, until the next cut (or the end).
    const afterRecovery = (s: Sample) => cuts.some((c, i) => s.startedMs > c.recoveredAt && s.endedMs < (cuts[i + 1]?.cutAt ?? Infinity))
    console.log(
      `db cut ${CUT_MS} ms ×${faultCycles} (${WRITERS} writers, ${READERS} readers): ${samples.length} requests (${samples.filter((s) => s.status === 200 || s.status === 201).length} 2xx), ` +
        `${unavailable.length} 503, worst ${lat.worst} ms (${lat.worstPath}), p99 ${lat.p99} ms, recovered ${recoverSeconds.toFixed(2)} s after restore; ` +
        `${audit.acknowledged} acknowledged writes, ${audit.lost.length} lost, ${audit.appliedUnacknowledged} committed without an answer (in flight at the cut); ` +
        `${leaked} pool connections never released`,
    )

    // Nothing hangs, nothing answers 500: every failure is the documented 503.
    expect(samples.filter((s) => s.status === 0 || s.error).map((s) => `${s.op} ${s.path}: ${s.error}`)).toEqual([])
    expect(lat.worst).toBeLessThan(LATENCY_BOUND_MS)
    expect(samples.filter((s) => s.status >= 500 && s.status !== 503).map((s) => `${s.op} ${s.path} → ${s.status} ${JSON.stringify(s.body)}`)).toEqual([])
    for (const s of unavailable) {
      expect(s.contentType).toMatch(/^application\/problem\+json/)
      expect(Number(s.retryAfter)).toBeGreaterThan(0)
      expect(s.body).toMatchObject({ status: 503, code: expect.stringMatching(/^ECAR_ERR_/) })
    }
    // Uncached reads and writes that ran entirely inside the cut could not reach the database.
    const cutOff = uncached.filter(during)
    expect(cutOff.length).toBeGreaterThan(0)
    expect(cutOff.filter((s) => s.status !== 503).map((s) => `${s.op} ${s.path} → ${s.status}`)).toEqual([])
    // Entries no write touched answered from the cache all along, the cut included.
    const reads = samples.filter((s) => s.op === 'read')
    expect(reads.filter(during).length).toBeGreaterThan(0)
    expect(reads.filter((s) => s.status !== 200 || s.xCache !== 'HIT').map((s) => `${s.path} → ${s.status} ${s.xCache}`)).toEqual([])
    // The writers' own lists: a 200 never shows a mileage older than the last acknowledged PATCH.
    expect(samples.filter((s) => s.op === 'list' && s.status !== 200 && s.status !== 503)).toEqual([])
    expect(recoverSeconds).toBeLessThan(RECOVERY_BOUND_MS / 1000)
    expect(samples.filter((s) => afterRecovery(s) && s.status >= 500).map((s) => `${s.op} ${s.path} → ${s.status}`)).toEqual([])
    // After the restore: every acknowledged write is there; no failed one left anything behind.
    expect(audit.lost).toEqual([])
    expect(audit.inconsistent).toEqual([])
    expect(audit.acknowledged).toBeGreaterThan(20)
    // Checked out and never released: pool.end() in afterAll would wait for them forever.
    expect(leaked, 'pool connections never released after the load').toBe(0)
    // Last, so the checks above still report: the outage raised no uncaught error. pg emits 'error' on
    // a checked-out client whose socket dies; unheard, in a server close-with-grace takes it for a crash.
    expect(uncaught, 'uncaught errors during the cut').toEqual([])
  }, TIMEOUT_MS)

  it('serves an expired, untouched entry as X-Cache: STALE while the database is down, never a touched one', async () => {
    const db = direct.database.db
    // A second app on the same proxied database whose entries expire after 1 s.
    const short = await buildTestApp({ testDb, env: { CACHE_TTL_RESPONSE: '1s', CACHE_TTL_CUSTOMER_VEHICLES: '1s' } })
    try {
      const kept = await createUser(db)
      const keptVehicle = await createVehicle(db, kept.id, { mileage: 7000 })
      const touched = await createUser(db)
      const touchedVehicle = await createVehicle(db, touched.id, { mileage: 100 })
      const get = (user: { auth: { authorization: string } }, url: string) => short.app.inject({ method: 'GET', url, headers: user.auth })
      const keptUrls = ['/api/vehicles', `/api/vehicles/${keptVehicle.id}`, `/api/customers/${kept.id}/vehicles`]
      const before = []
      for (const url of keptUrls) before.push(await get(kept, url))
      expect(before.map((r) => r.statusCode)).toEqual([200, 200, 200])
      expect((await get(touched, '/api/vehicles')).statusCode).toBe(200)
      // The write invalidates the touched user's entry; nobody reads it again before the cut.
      const patch = await short.app.inject({ method: 'PATCH', url: `/api/vehicles/${touchedVehicle.id}`, headers: touched.auth, payload: { mileage: 150 } })
      expect(patch.statusCode).toBe(200)
      await sleep(1300)

      proxy.cut()
      try {
        for (const [i, url] of keptUrls.entries()) {
          const res = await get(kept, url)
          expect(res.statusCode, url).toBe(200)
          expect(res.headers['x-cache'], url).toBe('STALE')
          expect(res.json(), url).toEqual(before[i]!.json())
        }
        const refused = await get(touched, '/api/vehicles')
        expect(refused.statusCode).toBe(503)
        expect(refused.headers['retry-after']).toBeDefined()
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
      } finally {
        proxy.restore()
      }
      const fresh = await get(touched, '/api/vehicles')
      expect(fresh.statusCode).toBe(200)
      expect(fresh.json().items[0].mileage).toBe(150)
    } finally {
      await short.close()
    }
  }, 30_000)
})
