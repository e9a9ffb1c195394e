import { register as globalRegistry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildTestApp, testCacheKind, type TestApp } from '../../../test/support/app.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle, randomVin } from '../../../test/support/factories/vehicles.ts'

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** Parses Prometheus text format (what a scraper reads), failing on any line it cannot read. */
function parse(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match) throw new Error(`unparsable metrics line: ${line}`)
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!
    samples.push({ name: match[1]!, labels, value: Number(match[3]) })
  }
  return samples
}

/** The value of the one sample with exactly these labels, or undefined. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.keys(s.labels).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} appears ${found.length} times`)
  return found[0]?.value
}

const sumOf = (samples: Sample[], name: string) => samples.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0)

/** onResponse runs once the response is finished, which may be just after inject resolves. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('GET /metrics', () => {
  let t: TestApp
  let user: TestUser
  let listRoute: string

  const scrape = async () => {
    await settle()
    const res = await t.app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    return parse(res.body)
  }

  beforeAll(async () => {
    t = await buildTestApp()
    user = await createUser(t.app.db, { role: 'customer' })
    await createVehicle(t.app.db, user.id)
    listRoute = '/api/vehicles'
  })
  afterAll(async () => t?.close())

  it('exposes every named series, in Prometheus text format, from the app registry', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: user.auth })
    const second = await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: user.auth })
    expect([first.statusCode, second.statusCode]).toEqual([200, 200])
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT'])
    expect((await t.app.inject({ method: 'GET', url: '/api/nothing-here' })).statusCode).toBe(404)

    await settle()
    const res = await t.app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    const s = parse(res.body)

    const ok = { method: 'GET', route: listRoute, status: '200' }
    expect(valueOf(s, 'ecar_http_requests_total', ok)).toBe(2)
    expect(valueOf(s, 'ecar_http_request_duration_seconds_count', ok)).toBe(2)
    expect(valueOf(s, 'ecar_http_request_duration_seconds_bucket', { ...ok, le: '+Inf' })).toBe(2)
    expect(valueOf(s, 'ecar_http_request_duration_seconds_sum', ok)).toBeGreaterThan(0)
    // Unknown URLs share one series: raw paths would make the label set unbounded.
    expect(valueOf(s, 'ecar_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1)
    expect(s.some((x) => x.name === 'ecar_http_requests_total' && x.labels.route === '/api/nothing-here')).toBe(false)

    // The first list request missed and the second hit; both looked up the session first.
    expect(valueOf(s, 'ecar_cache_misses_total', { namespace: 'vehicle_list' })).toBe(1)
    expect(valueOf(s, 'ecar_cache_hits_total', { namespace: 'vehicle_list' })).toBe(1)
    expect(valueOf(s, 'ecar_cache_stale_total', { namespace: 'vehicle_list' })).toBe(0)
    expect(valueOf(s, 'ecar_cache_errors_total', { namespace: 'vehicle_list' })).toBe(0)
    expect(valueOf(s, 'ecar_cache_hits_total', { namespace: 'session' })).toBeGreaterThanOrEqual(1)
    // Declared namespaces are exported before their first lookup.
    expect(valueOf(s, 'ecar_cache_misses_total', { namespace: 'vehicle_detail' })).toBe(0)

    expect(valueOf(s, 'ecar_cache_l1_entries')).toBe(t.app.cache.l1?.size ?? 0)
    expect(valueOf(s, 'ecar_cache_l1_bytes')).toBe(t.app.cache.l1?.bytes ?? 0)
    expect(valueOf(s, 'ecar_cache_backend', { backend: testCacheKind() })).toBe(1)
    expect(valueOf(s, 'ecar_cache_health')).toBe(1)
    expect(valueOf(s, 'ecar_instance_info', { instance_id: t.app.cache.instanceId, pid: String(process.pid) })).toBe(1)

    expect(valueOf(s, 'ecar_db_queries_total')).toBe(t.app.database.queries.count)
    expect(valueOf(s, 'ecar_db_queries_total')).toBeGreaterThan(0)
    expect(valueOf(s, 'ecar_db_query_duration_seconds_count')).toBeGreaterThan(0)
    expect(valueOf(s, 'ecar_db_query_duration_seconds_bucket', { le: '+Inf' })).toBe(valueOf(s, 'ecar_db_query_duration_seconds_count'))

    if (testCacheKind() === 'redis') {
      expect(valueOf(s, 'ecar_redis_up')).toBe(1)
      expect(sumOf(s, 'ecar_redis_command_duration_seconds_count')).toBeGreaterThan(0)
    } else {
      expect(valueOf(s, 'ecar_redis_up')).toBeUndefined()
    }

    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(s.some((x) => x.name === name), name).toBe(true)
    }
    // Each app owns its registry: nothing lands in prom-client's process-wide default one.
    expect(globalRegistry.getSingleMetric('ecar_http_requests_total')).toBeUndefined()
  })

  it('histogram buckets are cumulative and end at the count', async () => {
    const s = await scrape()
    const buckets = s.filter((x) => x.name === 'ecar_http_request_duration_seconds_bucket' && x.labels.route === listRoute && x.labels.status === '200')
    expect(buckets.length).toBeGreaterThan(2)
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value)
    expect(buckets.at(-1)!.labels.le).toBe('+Inf')
  })

  it('counters move as requests are made', async () => {
    const before = await scrape()
    const healthz = { method: 'GET', route: '/healthz', status: '200' }
    for (let i = 0; i < 3; i++) expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    // A new query string is a new response-cache key: one more miss, and the database answers it.
    const res = await t.app.inject({ method: 'GET', url: '/api/vehicles?limit=7', headers: user.auth })
    expect(res.headers['x-cache']).toBe('MISS')
    const after = await scrape()

    expect((valueOf(after, 'ecar_http_requests_total', healthz) ?? 0) - (valueOf(before, 'ecar_http_requests_total', healthz) ?? 0)).toBe(3)
    expect(valueOf(after, 'ecar_cache_misses_total', { namespace: 'vehicle_list' })! - valueOf(before, 'ecar_cache_misses_total', { namespace: 'vehicle_list' })!).toBe(1)
    expect(valueOf(after, 'ecar_db_queries_total')!).toBeGreaterThan(valueOf(before, 'ecar_db_queries_total')!)
    expect(valueOf(after, 'ecar_db_query_duration_seconds_count')!).toBeGreaterThan(valueOf(before, 'ecar_db_query_duration_seconds_count')!)
    // The previous scrape itself is counted by now.
    const scrapes = { method: 'GET', route: '/metrics', status: '200' }
    expect(valueOf(after, 'ecar_http_requests_total', scrapes)!).toBeGreaterThan(valueOf(before, 'ecar_http_requests_total', scrapes) ?? 0)
    if (testCacheKind() === 'redis') {
      expect(sumOf(after, 'ecar_redis_command_duration_seconds_count')).toBeGreaterThan(sumOf(before, 'ecar_redis_command_duration_seconds_count'))
    }
  })

  it('a signed-in route rejected before its handler still counts under its pattern', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/vehicles/12345' })
    expect(res.statusCode).toBe(401)
    const s = await scrape()
    expect(valueOf(s, 'ecar_http_requests_total', { method: 'GET', route: '/api/vehicles/:id', status: '401' })).toBe(1)
  })

  it('a module root with and without its trailing slash is one series', async () => {
    const unauthorized = { method: 'GET', route: listRoute, status: '401' }
    expect((await t.app.inject({ method: 'GET', url: '/api/vehicles/' })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: '/api/vehicles' })).statusCode).toBe(401)
    const s = await scrape()
    expect(valueOf(s, 'ecar_http_requests_total', unauthorized)).toBe(2)
    expect(s.some((x) => x.name === 'ecar_http_requests_total' && x.labels.route === '/api/vehicles/')).toBe(false)
  })

  it('times the statements inside a write transaction too', async () => {
    const before = await scrape()
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/vehicles',
      headers: user.auth,
      payload: { make: 'Opel', model: 'Astra', year: 2020, vin: randomVin(), licensePlate: 'M-1234', mileage: 10, color: 'Red' },
    })
    expect(res.statusCode).toBe(201)
    const after = await scrape()
    const drizzle = valueOf(after, 'ecar_db_queries_total')! - valueOf(before, 'ecar_db_queries_total')!
    const timed = valueOf(after, 'ecar_db_query_duration_seconds_count')! - valueOf(before, 'ecar_db_query_duration_seconds_count')!
    expect(drizzle).toBeGreaterThan(0)
    // Every Drizzle query ran on a timed method (PGlite runs a transaction's on a separate object).
    expect(timed).toBeGreaterThanOrEqual(drizzle)
  })

  it.runIf(testCacheKind() === 'redis')('ecar_redis_up follows the connection state', async () => {
    expect(valueOf(await scrape(), 'ecar_redis_up')).toBe(1)
    const other = await buildTestApp({ testDb: t.testDb })
    try {
      other.app.redis!.disconnect()
      await vi.waitFor(() => expect(other.app.redis!.status).toBe('end'))
      const res = await other.app.inject({ method: 'GET', url: '/metrics' })
      expect(valueOf(parse(res.body), 'ecar_redis_up')).toBe(0)
    } finally {
      await other.close()
    }
  })

  it('is public when no METRICS_TOKEN is set', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer anything-at-all-here' } })
    expect(res.statusCode).toBe(200)
  })
})

describe('GET /metrics with METRICS_TOKEN', () => {
  const TOKEN = 'scrape+token/with=odd-chars_0123456789'
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp({ env: { METRICS_TOKEN: TOKEN } })
  })
  afterAll(async () => t?.close())

  it.each([
    ['no header', undefined],
    ['a wrong token', 'Bearer not-the-token'],
    ['a wrong token of the same length', `Bearer ${'x'.repeat(TOKEN.length)}`],
    ['the token with a suffix', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s with a 401 problem', async (_case, authorization) => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } })
    expect(res.statusCode).toBe(401)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ status: 401, code: 'ECAR_ERR_UNAUTHORIZED' })
    expect(res.body).not.toContain('ecar_')
  })

  it('answers the right token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.statusCode).toBe(200)
    expect(valueOf(parse(res.body), 'ecar_cache_health')).toBe(1)
  })
})
