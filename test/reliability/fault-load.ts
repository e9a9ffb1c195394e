import { randomBytes } from 'node:crypto'
import { inArray } from 'drizzle-orm'
import type { Db } from '../../src/platform/db/database.ts'
import { vehicles } from '../support/tables.ts'
import { createUser, type TestUser } from '../support/factories/users.ts'
import { createVehicle, randomVin } from '../support/factories/vehicles.ts'

/** What one request of the load did, as its client saw it. */
export interface Sample {
  op: 'patch' | 'post' | 'list' | 'me' | 'read'
  user: number
  path: string
  startedMs: number
  endedMs: number
  /** 0: no response (connection refused or reset, or the client's timeout ran out). */
  status: number
  /** The network error, or 'body' when the response started but its body was cut short. */
  error?: string
  xCache: string | null
  retryAfter: string | null
  contentType: string | null
  body: unknown
  /** The mileage a PATCH asked for. */
  target?: number
  /** The VIN a POST sent. */
  vin?: string
}

/** A customer who writes: PATCHes its vehicle's mileage up by one and adds vehicles. */
export interface Writer {
  index: number
  user: TestUser
  vehicleId: number
  /** The last mileage a PATCH was acknowledged with (or the seeded one). */
  acked: number
  /** The mileage the next PATCH asks for: a failed attempt is repeated with the same value. */
  target: number
}

/** A customer who only reads entries warmed before the load. */
export interface Reader {
  index: number
  user: TestUser
  vehicleId: number
}

export interface LoadOptions {
  base: () => string
  writers: Writer[]
  readers: Reader[]
  stop: () => boolean
  /** Bounds each user's loop, whatever `stop` says. */
  maxIterations: number
  /** A request that takes longer is abandoned and recorded as a hang (status 0, error 'timeout'). */
  requestTimeoutMs: number
  pauseMs?: number
}

const now = () => performance.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function networkError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e.name === 'TimeoutError') return 'timeout'
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error)
}

/** Sends one request and records everything the checks need, the body parsed when it is JSON. */
export async function send(samples: Sample[], base: string, fields: Pick<Sample, 'op' | 'user' | 'path' | 'target' | 'vin'>, init: RequestInit, timeoutMs: number): Promise<Sample> {
  const sample: Sample = { ...fields, startedMs: now(), endedMs: 0, status: 0, xCache: null, retryAfter: null, contentType: null, body: undefined }
  samples.push(sample)
  try {
    const res = await fetch(`${base}${fields.path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    sample.status = res.status
    sample.xCache = res.headers.get('x-cache')
    sample.retryAfter = res.headers.get('retry-after')
    sample.contentType = res.headers.get('content-type')
    try {
      const text = await res.text()
      sample.body = text && sample.contentType?.includes('json') ? JSON.parse(text) : text
    } catch {
      // The status line arrived but the body did not, in full or as valid JSON: a truncated response.
      sample.error = 'body'
    }
  } catch (error) {
    sample.error = networkError(error)
  }
  sample.endedMs = now()
  return sample
}

/** A vehicle body with a VIN of its own, so a POST can be found (or not) in the database afterwards. */
export function newVehicleBody() {
  return { make: 'Skoda', model: 'Octavia', year: 2020, vin: randomVin(), licensePlate: `R-${randomBytes(3).toString('hex').toUpperCase()}`, mileage: 500, color: 'Grey' }
}

/** Runs every writer and reader loop until `stop()` or `maxIterations`; samples land in `samples`. */
export async function runLoad(samples: Sample[], options: LoadOptions): Promise<void> {
  const { writers, readers, stop, maxIterations, requestTimeoutMs } = options
  const writerLoop = async (w: Writer) => {
    const headers = { ...w.user.auth, 'content-type': 'application/json' }
    for (let i = 0; i < maxIterations && !stop(); i++) {
      if (i % 4 === 3) {
        const body = newVehicleBody()
        await send(samples, options.base(), { op: 'post', user: w.index, path: '/api/vehicles', vin: body.vin }, { method: 'POST', headers, body: JSON.stringify(body) }, requestTimeoutMs)
      } else {
        const target = w.target
        const s = await send(samples, options.base(), { op: 'patch', user: w.index, path: `/api/vehicles/${w.vehicleId}`, target }, { method: 'PATCH', headers, body: JSON.stringify({ mileage: target }) }, requestTimeoutMs)
        if (s.status === 200 && !s.error) {
          w.acked = target
          w.target = target + 1
        }
      }
      await send(samples, options.base(), { op: 'list', user: w.index, path: '/api/vehicles' }, { headers: w.user.auth }, requestTimeoutMs)
      await send(samples, options.base(), { op: 'me', user: w.index, path: '/api/auth/me' }, { headers: w.user.auth }, requestTimeoutMs)
      if (options.pauseMs) await sleep(options.pauseMs)
    }
  }
  const readerLoop = async (r: Reader) => {
    for (let i = 0; i < maxIterations && !stop(); i++) {
      for (const path of readerPaths(r)) await send(samples, options.base(), { op: 'read', user: r.index, path }, { headers: r.user.auth }, requestTimeoutMs)
      if (options.pauseMs) await sleep(options.pauseMs)
    }
  }
  await Promise.all([...writers.map(writerLoop), ...readers.map(readerLoop)])
}

/** The cached views a reader reads: its list, its vehicle, and the data-cached customer list. */
export function readerPaths(r: Reader): string[] {
  return ['/api/vehicles', `/api/vehicles/${r.vehicleId}`, `/api/customers/${r.user.id}/vehicles`]
}

/** What the database holds after the load, compared with what the clients were told. */
export interface WriteAudit {
  acknowledged: number
  /** Acknowledged writes the database does not show: must be empty. */
  lost: string[]
  /** Writes the database shows that no client could have caused, or rows unlike what was sent: must be empty. */
  inconsistent: string[]
  /** Writes without an answer (or with an unknowable one) that the database shows whole. */
  appliedUnacknowledged: number
}

/**
 * Checks every write of the load against the database. `uncertain` says which failed writes may
 * still have committed (in flight when the fault hit); every other failure must have left nothing.
 */
export async function auditWrites(db: Db, samples: Sample[], writers: Writer[], uncertain: (s: Sample) => boolean): Promise<WriteAudit> {
  const audit: WriteAudit = { acknowledged: 0, lost: [], inconsistent: [], appliedUnacknowledged: 0 }
  const ok = (s: Sample) => s.status >= 200 && s.status < 300 && !s.error
  for (const w of writers) {
    const patches = samples.filter((s) => s.op === 'patch' && s.user === w.index).sort((a, b) => a.startedMs - b.startedMs)
    audit.acknowledged += patches.filter(ok).length
    // Each user's requests run one after another and a failed value is retried as is, so after the
    // last acknowledged value only that value + 1 can have been sent.
    const afterAck = patches.slice(patches.findLastIndex(ok) + 1)
    const maybe = afterAck.some(uncertain)
    const [row] = await db.select({ mileage: vehicles.mileage }).from(vehicles).where(inArray(vehicles.id, [w.vehicleId]))
    const mileage = row?.mileage
    if (mileage === w.acked) continue
    if (mileage === w.acked + 1 && maybe) audit.appliedUnacknowledged++
    else if (mileage === undefined || mileage < w.acked) audit.lost.push(`vehicle ${w.vehicleId}: mileage ${mileage}, last acknowledged ${w.acked}`)
    else audit.inconsistent.push(`vehicle ${w.vehicleId}: mileage ${mileage}, last acknowledged ${w.acked}, an unacknowledged write ${maybe ? 'may' : 'may not'} have committed`)
  }
  const posts = samples.filter((s) => s.op === 'post')
  const vins = posts.map((s) => s.vin!)
  const rows = vins.length ? await db.select().from(vehicles).where(inArray(vehicles.vin, vins)) : []
  const byVin = new Map(rows.map((r) => [r.vin, r]))
  for (const s of posts) {
    const row = byVin.get(s.vin!)
    const owner = writers[s.user]!.user.id
    if (row && (row.ownerId !== owner || row.make !== 'Skoda' || row.mileage !== 500 || row.color !== 'Grey')) {
      audit.inconsistent.push(`POST ${s.vin}: stored row differs from what was sent`)
    }
    if (ok(s)) {
      audit.acknowledged++
      const id = (s.body as { id?: number } | undefined)?.id
      if (!row || row.id !== id) audit.lost.push(`POST ${s.vin} acknowledged as ${id}, in the database: ${row?.id ?? 'nothing'}`)
    } else if (row) {
      if (uncertain(s)) audit.appliedUnacknowledged++
      else audit.inconsistent.push(`POST ${s.vin} failed (${s.status} ${s.error ?? ''}) but vehicle ${row.id} exists`)
    }
  }
  return audit
}

/** The highest and a few order statistics of the samples' latencies, in ms. */
export function latency(samples: Sample[]): { worst: number; p99: number; worstPath: string } {
  const sorted = [...samples].sort((a, b) => a.endedMs - a.startedMs - (b.endedMs - b.startedMs))
  const ms = (s: Sample | undefined) => (s ? Math.round(s.endedMs - s.startedMs) : 0)
  const worst = sorted.at(-1)
  return { worst: ms(worst), p99: ms(sorted[Math.floor(sorted.length * 0.99)]), worstPath: worst ? `${worst.op} ${worst.path} → ${worst.status}` : '' }
}

/** Customers who write (each its own vehicle, mileage 1000) and customers who only read, inserted directly. */
export async function createLoadUsers(db: Db, counts: { writers: number; readers: number }): Promise<{ writers: Writer[]; readers: Reader[] }> {
  const writers: Writer[] = []
  for (let i = 0; i < counts.writers; i++) {
    const user = await createUser(db)
    const vehicle = await createVehicle(db, user.id, { mileage: 1000 })
    writers.push({ index: i, user, vehicleId: vehicle.id, acked: 1000, target: 1001 })
  }
  const readers: Reader[] = []
  for (let i = 0; i < counts.readers; i++) {
    const user = await createUser(db)
    readers.push({ index: i, user, vehicleId: (await createVehicle(db, user.id)).id })
  }
  return { writers, readers }
}

/**
 * Pool clients still checked out of a PostgreSQL database once nothing runs, after waiting up to
 * `settleMs` for stragglers: a client never released is lost to the pool for good, and enough of them
 * stall every query. Reads node-postgres's pool behind drizzle (`db.$client`).
 */
export async function leakedPoolClients(db: Db, settleMs = 2000): Promise<number> {
  const pool = (db as unknown as { $client: { totalCount: number; idleCount: number; waitingCount: number } }).$client
  const checkedOut = () => pool.totalCount - pool.idleCount
  const deadline = now() + settleMs
  while (checkedOut() > 0 && now() < deadline) await sleep(50)
  return checkedOut()
}
