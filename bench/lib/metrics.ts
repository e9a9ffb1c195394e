import { readFileSync } from 'node:fs'
import http from 'node:http'

/** Counters summed over their labels, for one process. */
export interface ProcessCounters {
  queries: number | undefined
  hits: number | undefined
  misses: number | undefined
  requests: number | undefined
}

/** Counters per worker, keyed by the instance id of `ecar_instance_info`. */
export type Snapshot = Map<string, ProcessCounters>

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A new connection each time, so that the cluster's round-robin hands it to the next worker.
    const request = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    request.once('error', reject)
  })
}

function sum(text: string, name: string): number | undefined {
  let total: number | undefined
  for (const line of text.split('\n')) {
    if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) {
      total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1))
    }
  }
  return total
}

/** Scrapes /metrics `tries` times on fresh connections; with several workers each answers in turn. */
export async function snapshot(port: number, tries: number): Promise<Snapshot> {
  const result: Snapshot = new Map()
  for (let i = 0; i < tries; i++) {
    const { status, body } = await get(port, '/metrics').catch(() => ({ status: 0, body: '' }))
    if (status !== 200) continue
    // Not process_start_time_seconds: workers forked in the same second share it.
    const key = /^ecar_instance_info\{[^}]*instance_id="([^"]+)"/m.exec(body)?.[1] ?? 'single'
    result.set(key, {
      queries: sum(body, 'ecar_db_queries_total'),
      hits: sum(body, 'ecar_cache_hits_total'),
      misses: sum(body, 'ecar_cache_misses_total'),
      requests: sum(body, 'ecar_http_requests_total'),
    })
  }
  return result
}

export interface CounterDelta {
  queries: number | undefined
  hitRatio: number | undefined
  /** Workers seen in both snapshots. */
  processes: number
}

export function delta(before: Snapshot, after: Snapshot): CounterDelta {
  return deltaOver([[before, after]])
}

/** The counters' deltas summed over several measured windows of one server (runs taken by turns with another load). */
export function deltaOver(windows: readonly (readonly [Snapshot, Snapshot])[]): CounterDelta {
  let queries: number | undefined
  let hits: number | undefined
  let misses: number | undefined
  let processes = Number.POSITIVE_INFINITY
  for (const [before, after] of windows) {
    let seen = 0
    for (const [key, a] of after) {
      const b = before.get(key)
      if (!b) continue
      seen++
      if (a.queries !== undefined && b.queries !== undefined) queries = (queries ?? 0) + a.queries - b.queries
      if (a.hits !== undefined && b.hits !== undefined) hits = (hits ?? 0) + a.hits - b.hits
      if (a.misses !== undefined && b.misses !== undefined) misses = (misses ?? 0) + a.misses - b.misses
    }
    processes = Math.min(processes, seen)
  }
  const lookups = (hits ?? 0) + (misses ?? 0)
  return { queries, hitRatio: hits === undefined || lookups === 0 ? undefined : (hits ?? 0) / lookups, processes: windows.length === 0 ? 0 : processes }
}

/** `count` concurrent GETs, each on its own connection; statuses and X-Cache values counted. */
export async function burst(port: number, path: string, token: string, count: number): Promise<{ statuses: Record<string, number>; xcache: Record<string, number>; ms: number }> {
  const statuses: Record<string, number> = {}
  const xcache: Record<string, number> = {}
  const started = performance.now()
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const request = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { authorization: `Bearer ${token}` } }, (response) => {
            statuses[response.statusCode ?? 0] = (statuses[response.statusCode ?? 0] ?? 0) + 1
            const x = String(response.headers['x-cache'] ?? 'none')
            xcache[x] = (xcache[x] ?? 0) + 1
            response.resume()
            response.on('end', () => resolve())
          })
          request.once('error', () => {
            statuses.error = (statuses.error ?? 0) + 1
            resolve()
          })
        }),
    ),
  )
  return { statuses, xcache, ms: Math.round(performance.now() - started) }
}

/**
 * GET `pathFor(id)` once for every customer of the tokens file (`id token` per line), with its own
 * token, `concurrency` at a time on keep-alive connections: brings a cache to the state a long-running
 * server would be in. Returns how long it took and the statuses seen.
 */
export async function visitEveryCustomer(
  port: number,
  tokensFile: string,
  pathFor: (id: string) => string,
  scheme: 'Bearer' | 'Token' = 'Bearer',
  concurrency = 32,
): Promise<{ ms: number; statuses: Record<string, number> }> {
  const customers = readFileSync(tokensFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ').slice(0, 2) as [string, string])
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const statuses: Record<string, number> = {}
  const started = performance.now()
  let next = 0
  const worker = async () => {
    while (next < customers.length) {
      const [id, token] = customers[next++]!
      const status = await new Promise<number>((resolve) => {
        const request = http.get({ host: '127.0.0.1', port, path: pathFor(id), agent, headers: { authorization: `${scheme} ${token}` } }, (response) => {
          response.resume()
          response.on('end', () => resolve(response.statusCode ?? 0))
        })
        request.once('error', () => resolve(0))
      })
      statuses[status] = (statuses[status] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  agent.destroy()
  return { ms: Math.round(performance.now() - started), statuses }
}
