import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { vehicles } from '../support/tables.ts'
import type { ServerProcess } from '../e2e/server-process.ts'
import { waitUntilReady } from '../e2e/server-process.ts'
import { createTestDatabase, deleteRedisPrefix, testDbKind, testRedisUrl, uniquePrefix, type TestDatabase } from '../support/app.ts'
import { faultCycles, loadMs, loadUsers } from '../support/long-run.ts'
import { startTcpProxy, viaProxy, type TcpProxy } from '../support/tcp-proxy.ts'
import { errorLines, startEcarServer } from './ecar-server.ts'
import { auditWrites, createLoadUsers, latency, runLoad, send, type Reader, type Sample, type Writer } from './fault-load.ts'

const WRITERS = loadUsers(6)
const READERS = loadUsers(2)
// close-with-grace's delay in src/main.ts: the process must be gone well within it.
const GRACE_MS = 10_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Real server processes (`npm start`'s command) on PostgreSQL and Redis, signalled mid-load:
 * SIGTERM must drain, SIGKILL must lose nothing acknowledged, and a database outage must not end
 * the process.
 */
describe.skipIf(testDbKind() !== 'postgres' || !testRedisUrl())('process faults under load', () => {
  let testDb: TestDatabase
  const prefix = uniquePrefix()
  const servers: ServerProcess[] = []
  let proxy: TcpProxy | undefined

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres')
  })
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.cleanup()
  })
  afterAll(async () => {
    await proxy?.close()
    await testDb?.drop()
    await deleteRedisPrefix(testRedisUrl()!, prefix)
  })

  async function start(databaseUrl = testDb.url!): Promise<ServerProcess> {
    const server = await startEcarServer({ DATABASE_URL: databaseUrl, REDIS_URL: testRedisUrl()!, CACHE_PREFIX: prefix })
    servers.push(server)
    await waitUntilReady(server, 60_000)
    return server
  }

  async function users() {
    const db = testDb.database.db
    return createLoadUsers(db, { writers: WRITERS, readers: READERS })
  }

  /** Starts the load against whatever `base()` names; `finish()` stops it and returns the samples. */
  function load(base: () => string, writers: Writer[], readers: Reader[]) {
    const samples: Sample[] = []
    let stopped = false
    // Bounds for a load that runs through every cycle of a test; `finish()` normally ends it long before.
    const deadline = performance.now() + 45_000 * faultCycles
    const running = runLoad(samples, {
      base,
      writers,
      readers,
      stop: () => stopped || performance.now() > deadline,
      maxIterations: 5000 * faultCycles,
      requestTimeoutMs: GRACE_MS + 5000,
      pauseMs: 5,
    })
    return {
      samples,
      async finish() {
        stopped = true
        await running
        return samples
      },
    }
  }

  const answered = (s: Sample) => s.status !== 0
  const describeSample = (s: Sample) => `${s.op} ${s.path} → ${s.status} ${s.error ?? ''}`

  it('(a) SIGTERM mid-load: in-flight requests finish whole, exit 0 within the grace period, no acknowledged write lost', async () => {
    // Each cycle is a server of its own: started, loaded, signalled.
    for (let cycle = 1; cycle <= faultCycles; cycle++) await sigtermCycle(`cycle ${cycle}/${faultCycles}`)
  }, 60_000 * faultCycles)

  async function sigtermCycle(label: string) {
    const server = await start()
    const { writers, readers } = await users()
    const run = load(() => server.baseUrl, writers, readers)
    await sleep(loadMs(1500))
    const termAt = performance.now()
    const { code, signal } = await server.stop('SIGTERM', GRACE_MS)
    const exitMs = performance.now() - termAt
    await sleep(300)
    const samples = await run.finish()

    const inFlight = samples.filter((s) => s.startedMs < termAt && s.endedMs > termAt)
    const refusedAfter = samples.filter((s) => !answered(s))
    const audit = await auditWrites(testDb.database.db, samples, writers, (s) => !answered(s) && s.error !== 'ECONNREFUSED')
    const lat = latency(samples.filter(answered))
    console.log(
      `SIGTERM (${label}, ${WRITERS} writers, ${READERS} readers): ${samples.length} requests, ${samples.filter(answered).length} answered (${inFlight.length} in flight at the signal, ` +
        `${inFlight.filter((s) => answered(s) && !s.error).length} of them completed), ${refusedAfter.length} unanswered ` +
        `(${[...new Set(refusedAfter.map((s) => s.error))].join(', ')}), exit ${code ?? signal} after ${Math.round(exitMs)} ms, worst ${lat.worst} ms; ` +
        `${audit.acknowledged} acknowledged writes, ${audit.lost.length} lost, ${audit.appliedUnacknowledged} committed without an answer`,
    )

    expect({ code, signal }, `${label}\n${server.output()}`).toEqual({ code: 0, signal: null })
    expect(exitMs, label).toBeLessThan(GRACE_MS)
    // No response cut short, and none of the requests the server had when the signal came was dropped.
    expect(samples.filter((s) => s.error === 'body').map(describeSample), label).toEqual([])
    expect(inFlight.filter((s) => !answered(s) || s.error).map(describeSample), label).toEqual([])
    expect(samples.filter((s) => answered(s) && s.status >= 500 && s.status !== 503).map(describeSample), label).toEqual([])
    // Unanswered requests come after the signal only (the listener closed); they were never acknowledged.
    expect(refusedAfter.filter((s) => s.startedMs < termAt).map(describeSample), label).toEqual([])
    expect(audit.lost, label).toEqual([])
    expect(audit.inconsistent, label).toEqual([])
    // A drained write is answered; one that committed without an answer was cut mid-write.
    expect(audit.appliedUnacknowledged, label).toBe(0)
    expect(audit.acknowledged, label).toBeGreaterThan(20)
    // Postgres and Redis closed without errors on the way out.
    expect(errorLines(server.output()), label).toEqual([])
  }

  it('(b) SIGKILL mid-load, then a restart on the same database: nothing acknowledged is lost, nothing half-applied', async () => {
    let server = await start()
    const { writers, readers } = await users()
    const run = load(() => server.baseUrl, writers, readers)
    // Several kill/restart cycles under one load when long; the restarted server takes the load at once.
    const kills: { killAt: number; readyAt: number }[] = []
    try {
      for (let cycle = 0; cycle < faultCycles; cycle++) {
        await sleep(loadMs(1500))
        const killAt = performance.now()
        await server.stop('SIGKILL', 5000)
        server = await start()
        kills.push({ killAt, readyAt: performance.now() })
      }
      await sleep(loadMs(1000))
    } finally {
      await run.finish()
    }
    const samples = run.samples
    const restartedMs = Math.max(...kills.map((k) => k.readyAt - k.killAt))

    const audit = await auditWrites(testDb.database.db, samples, writers, (s) => !answered(s) && s.error !== 'ECONNREFUSED')
    // After the restart every reader sees at least its last acknowledged write (the cache included).
    const views: Sample[] = []
    const behind: string[] = []
    const differs: string[] = []
    for (const w of writers) {
      const view = await send(views, server.baseUrl, { op: 'list', user: w.index, path: '/api/vehicles' }, { headers: w.user.auth }, 10_000)
      const items = (view.body as { items: { id: number; mileage: number }[] }).items
      const seen = items.find((v) => v.id === w.vehicleId)?.mileage ?? -1
      const [row] = await testDb.database.db.select({ mileage: vehicles.mileage }).from(vehicles).where(eq(vehicles.id, w.vehicleId))
      if (seen < w.acked) behind.push(`vehicle ${w.vehicleId}: served ${seen} (${view.xCache}), acknowledged ${w.acked}`)
      if (seen !== row?.mileage) differs.push(`vehicle ${w.vehicleId}: served ${seen} (${view.xCache}), database ${row?.mileage}`)
    }
    console.log(
      `SIGKILL ×${faultCycles} (${WRITERS} writers, ${READERS} readers): ${samples.length} requests, ${samples.filter(answered).length} answered, ` +
        `restarted and ready at worst ${(restartedMs / 1000).toFixed(1)} s after a kill; ` +
        `${audit.acknowledged} acknowledged writes, ${audit.lost.length} lost, ${audit.appliedUnacknowledged} committed without an answer, ` +
        `${differs.length} cached views differing from the database after the restart`,
    )
    if (differs.length) console.log(`views differing from the database after the restart: ${differs.join('; ')}`)

    expect(views.map((s) => s.status)).toEqual(writers.map(() => 200))
    expect(audit.lost).toEqual([])
    expect(audit.inconsistent).toEqual([])
    expect(behind).toEqual([])
    expect(audit.acknowledged).toBeGreaterThan(20)
    // A body is cut short only by a kill: the request started before the restart was ready and ended after the kill.
    const cutByKill = (s: Sample) => kills.some((k) => s.startedMs < k.readyAt && s.endedMs >= k.killAt)
    expect(samples.filter((s) => s.error === 'body' && !cutByKill(s)).map(describeSample)).toEqual([])
  }, 90_000 * faultCycles)

  it('(c) PostgreSQL cut off for 2 s under write load: the process stays up and answers 503, then 200', async () => {
    proxy = await startTcpProxy()
    const server = await start(viaProxy(testDb.url!, proxy))
    const { writers, readers } = await users()
    const run = load(() => server.baseUrl, writers, readers)
    const cuts: number[] = []
    try {
      for (let cycle = 0; cycle < faultCycles; cycle++) {
        await sleep(loadMs(1000))
        cuts.push(performance.now())
        proxy.cut()
        await sleep(2000)
        proxy.restore()
        await sleep(1500)
      }
    } finally {
      proxy.restore()
      await run.finish()
    }
    const samples = run.samples
    const alive = server.child.exitCode === null && server.child.signalCode === null
    // From 1 s after each restore until the next cut: answered as before the cut.
    const after = samples.filter((s) => cuts.some((cutAt, i) => s.startedMs > cutAt + 3000 && s.endedMs < (cuts[i + 1] ?? Infinity)))
    console.log(
      `db cut ×${faultCycles} in a real server (${WRITERS} writers, ${READERS} readers): ${samples.length} requests, ${samples.filter((s) => s.status === 503).length} 503, ` +
        `${samples.filter((s) => !answered(s)).length} unanswered, process ${alive ? 'still running' : `exited (${server.child.exitCode ?? server.child.signalCode})`}`,
    )
    expect(alive, `the server ended during a database outage:\n${server.output().slice(-4000)}`).toBe(true)
    expect(samples.filter((s) => !answered(s) || (s.status >= 500 && s.status !== 503)).map(describeSample)).toEqual([])
    expect(after.length).toBeGreaterThan(0)
    expect(after.filter((s) => s.status >= 500).map(describeSample)).toEqual([])
    // Every cycle recovered, not only the last.
    for (const [i, cutAt] of cuts.entries()) expect(after.some((s) => s.startedMs > cutAt + 3000 && s.startedMs < (cuts[i + 1] ?? Infinity)), `after cut ${i + 1}`).toBe(true)
  }, 60_000 * faultCycles)
})
