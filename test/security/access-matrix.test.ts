import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccessActor, AccessRow } from '../../src/platform/http/access.ts'
import { MODULES } from '../../src/modules/index.ts'
import { buildTestApp, type TestApp } from '../support/app.ts'
import { ACTORS, createSecurityFixtures, specOperations, type SecurityFixtures } from './security-fixtures.ts'

type Row = AccessRow<SecurityFixtures>

/** Every registry module's rows in one table; a key claimed by two modules is itself an error. */
function allRows(): { rows: Map<string, Row>; duplicates: string[] } {
  const rows = new Map<string, Row>()
  const duplicates: string[] = []
  for (const module of MODULES) {
    for (const [key, row] of Object.entries(module.access.rows as Record<string, Row>)) {
      if (rows.has(key)) duplicates.push(`${key} (again in ${module.name})`)
      rows.set(key, row)
    }
  }
  return { rows, duplicates }
}

interface Mismatch {
  route: string
  actor: AccessActor
  expected: number
  got: number
  detail?: string
}

const format = (m: Mismatch) => `${m.route} as ${m.actor}: expected ${m.expected}, got ${m.got}${m.detail ? ` (${m.detail})` : ''}`

/** Runs one cell; problem+json is checked for every refusal so a 4xx from the wrong layer shows. */
async function runCell(t: TestApp, fx: SecurityFixtures, route: string, row: Row, actor: AccessActor): Promise<Mismatch | undefined> {
  const [method, path] = route.split(' ') as [string, string]
  const { url, payload } = await row.request(fx, actor)
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    headers: await fx.authFor(actor),
    ...(payload === undefined ? {} : { payload }),
  })
  const expected = row.expected[actor]
  if (res.statusCode !== expected) {
    let detail: string | undefined
    try {
      detail = (res.json() as { code?: string }).code
    } catch {
      detail = undefined
    }
    return { route: `${method} ${path} (${url})`, actor, expected, got: res.statusCode, detail }
  }
  if (expected >= 400 && !/^application\/problem\+json/.test(String(res.headers['content-type']))) {
    return { route: `${method} ${path} (${url})`, actor, expected, got: res.statusCode, detail: `content-type ${res.headers['content-type']}` }
  }
  return undefined
}

describe('authorization matrix: every operation of the OpenAPI document × every actor', () => {
  let t: TestApp
  let fx: SecurityFixtures
  beforeAll(async () => {
    t = await buildTestApp()
    fx = await createSecurityFixtures(t.app.db)
  })
  afterAll(async () => t?.close())

  it('has exactly one row per operation of the served spec, and no row for an operation it lacks', () => {
    const { rows, duplicates } = allRows()
    const specKeys = specOperations(t.app).map((op) => op.key)
    expect(specKeys.length).toBeGreaterThan(10)
    const missing = specKeys.filter((key) => !rows.has(key))
    const unknown = [...rows.keys()].filter((key) => !specKeys.includes(key))
    expect({ missing, unknown, duplicates }).toEqual({ missing: [], unknown: [], duplicates: [] })
  })

  it('gives every actor the expected status on every operation', async () => {
    const { rows } = allRows()
    const mismatches: Mismatch[] = []
    let cells = 0
    for (const op of specOperations(t.app)) {
      const row = rows.get(op.key)
      if (!row) continue // reported by the coverage test above
      for (const actor of ACTORS) {
        cells++
        const mismatch = await runCell(t, fx, op.key, row, actor)
        if (mismatch) mismatches.push(mismatch)
      }
    }
    expect(cells).toBe(specOperations(t.app).length * ACTORS.length)
    expect(mismatches.map(format)).toEqual([])
  })

  it('answers 401 to anonymous callers on every /api operation but register, login and the one-time link routes', () => {
    // A policy check on the table itself, so a row cannot quietly make a route public.
    const { rows } = allRows()
    const publicApi = [...rows].filter(([key, row]) => key.includes(' /api/') && row.expected.anonymous !== 401).map(([key]) => key)
    // The link routes are public by the contract ("anyone", "anyone with the link").
    expect(publicApi.sort()).toEqual([
      'POST /api/auth/invitations/{token}',
      'POST /api/auth/login',
      'POST /api/auth/password-reset',
      'POST /api/auth/password-reset/{token}',
      'POST /api/auth/register',
      // The contract: "anyone" (the booking page shows opening hours before anyone signs in).
      'GET /api/shop',
      // "Without a sign-in, through the link" (api-garage.md, estimates).
      'GET /api/estimates/{token}',
      'POST /api/estimates/{token}/decisions',
    ].sort())
  })
})

// /metrics depends on a setting (METRICS_TOKEN) the matrix's app does not set: its open default is a
// matrix row (health.access.ts), and both settings are run here.
const METRICS_TOKEN = 'matrix-metrics-token-0123456789'
const metricsRows: { name: string; token: string | undefined; headers: (fx: SecurityFixtures) => Promise<Record<string, string>>; expected: number }[] = [
  { name: 'no token set, anonymous', token: undefined, headers: async () => ({}), expected: 200 },
  { name: 'no token set, a customer session', token: undefined, headers: (fx) => fx.authFor('customerA'), expected: 200 },
  { name: 'token set, anonymous', token: METRICS_TOKEN, headers: async () => ({}), expected: 401 },
  { name: 'token set, an admin session token (not the metrics token)', token: METRICS_TOKEN, headers: (fx) => fx.authFor('admin'), expected: 401 },
  { name: 'token set, a wrong token', token: METRICS_TOKEN, headers: async () => ({ authorization: `Bearer ${METRICS_TOKEN}x` }), expected: 401 },
  { name: 'token set, the token as Basic', token: METRICS_TOKEN, headers: async () => ({ authorization: `Basic ${METRICS_TOKEN}` }), expected: 401 },
  { name: 'token set, the right token', token: METRICS_TOKEN, headers: async () => ({ authorization: `Bearer ${METRICS_TOKEN}` }), expected: 200 },
]

describe('authorization of /metrics, with and without METRICS_TOKEN', () => {
  const apps: Partial<Record<'open' | 'protected', TestApp>> = {}
  const fixtures: Partial<Record<'open' | 'protected', SecurityFixtures>> = {}
  beforeAll(async () => {
    apps.open = await buildTestApp()
    apps.protected = await buildTestApp({ env: { METRICS_TOKEN } })
    fixtures.open = await createSecurityFixtures(apps.open.app.db)
    fixtures.protected = await createSecurityFixtures(apps.protected.app.db)
  })
  afterAll(async () => {
    await apps.open?.close()
    await apps.protected?.close()
  })

  it.each(metricsRows)('$name → $expected', async (row) => {
    const which = row.token === undefined ? 'open' : 'protected'
    const res = await apps[which]!.app.inject({ method: 'GET', url: '/metrics', headers: await row.headers(fixtures[which]!) })
    expect(res.statusCode).toBe(row.expected)
    if (row.expected === 200) expect(res.body).toContain('# TYPE')
    else expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
