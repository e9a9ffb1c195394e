import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { AccessActor } from '../../src/platform/http/access.ts'
import { buildTestApp } from '../support/app.ts'
import { fuzzRuns } from '../support/long-run.ts'
import { createFuzzRunner, type FuzzFailure, type FuzzRequest } from './fuzz-cases.ts'
import { nasties } from './nasties.ts'
import { hostileBodyArb, hostileValueArb, NASTY_STRINGS, validArb, wireEncode } from './schema-arbitraries.ts'
import { createSecurityFixtures, specOperations, type JsonSchema, type SpecOperation } from './security-fixtures.ts'

const RUNS_PER_OPERATION = fuzzRuns
// The default 30 s per operation, grown with the runs (10× when long).
const OPERATION_TIMEOUT_MS = 30_000 * Math.max(1, RUNS_PER_OPERATION / 40)

// Built at collection time so that each operation of the served spec gets a test of its own.
const t = await buildTestApp({
  // The limits would turn most fuzzed logins and registrations into 429s and hide what is behind them.
  env: { LOGIN_FAILURES_PER_ADDRESS: '1000000', LOGIN_FAILURES_PER_ACCOUNT: '1000000', REGISTRATIONS_PER_ADDRESS: '1000000' },
})
// Check-in is 503 until a work-order flow registers its handler: stand in for one, so a fuzzed check-in is judged on its input.
if (!t.app.appointmentCheckIn.handler()) t.app.appointmentCheckIn.register(async () => ({ workOrderId: 1 }))
const fx = await createSecurityFixtures(t.app.db)
const runner = createFuzzRunner(t.app, fx)
const operations = specOperations(t.app)

afterAll(async () => {
  await t.close()
})

/**
 * Ids of real rows (and one that does not exist). Users and vehicles number from 1 alike, so for
 * /api/users only user ids of non-actors are used: a fuzzed PATCH must not deactivate or demote the
 * admin or customer A whose sessions the fuzzer signs in with.
 */
function idPool(op: SpecOperation): number[] {
  if (op.path.startsWith('/api/users')) return [fx.customerB.id, fx.targetStaff.id, 999_999]
  return [fx.vehicleA.id, fx.vehicleB.id, fx.customerA.id, fx.customerB.id, fx.targetStaff.id, 999_999]
}

const hostileSegment = fc.oneof(
  fc.constantFrom('0', '-1', '2147483648', '99999999999999999999', '1.5', '1e3', '0x10', 'abc', ' 1', '1 ', '%00', '%2e%2e', '%2F', 'null', '[]', '%', '%zz'),
  fc.constantFrom(...NASTY_STRINGS).map(wireEncode),
  fc.string({ maxLength: 20 }).map(wireEncode),
)

const hostileQueryValue = fc.oneof(fc.constantFrom(...NASTY_STRINGS), hostileValueArb().map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')))

function queryArb(op: SpecOperation): fc.Arbitrary<string> {
  const params = (op.operation.parameters ?? []).filter((p) => p.in === 'query')
  const entries = params.map((p) =>
    fc
      .oneof(
        { weight: 2, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: validArb(p.schema).map((v) => String(v)) },
        { weight: 3, arbitrary: hostileQueryValue },
      )
      .map((v) => (v === undefined ? undefined : `${p.name}=${wireEncode(v)}`)),
  )
  const extra = fc.option(fc.tuple(fc.constantFrom('id', 'x', 'q[]', '__proto__', 'pattern'), hostileQueryValue).map(([k, v]) => `${wireEncode(k)}=${wireEncode(v)}`), {
    freq: 5,
    nil: undefined,
  })
  return fc.tuple(fc.tuple(...entries), extra).map(([values, more]) => {
    const parts = [...values, more].filter((x): x is string => x !== undefined)
    return parts.length > 0 ? `?${parts.join('&')}` : ''
  })
}

/**
 * Whether a hostile path segment would be read as the id of an account the fuzzer signs in with: the
 * schema coerces strings the way `"…" == +"…"` does, so " 1", "0x10" or "1e3" name users 1, 16 and 1000.
 * A fuzzed PATCH /api/users/%201 {active: false} as the admin deactivates customer A (id 1 here): in a
 * long CI run every later request of customer A was a 401.
 */
function namesAnActor(segment: string): boolean {
  let text: string
  try {
    text = decodeURIComponent(segment)
  } catch {
    return false
  }
  const id = text.trim() === '' ? Number.NaN : Number(text)
  return id === fx.admin.id || id === fx.customerA.id
}

function pathArb(op: SpecOperation): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
  if (names.length === 0) return fc.constant(op.path)
  const hostile = op.path.startsWith('/api/users') ? hostileSegment.filter((s) => !namesAnActor(s)) : hostileSegment
  const segment = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...idPool(op)).map(String) }, { weight: 2, arbitrary: hostile })
  return fc.array(segment, { minLength: names.length, maxLength: names.length }).map((values) => {
    let url = op.path
    names.forEach((name, i) => (url = url.replace(`{${name}}`, values[i]!)))
    return url
  })
}

function bodyArb(op: SpecOperation): fc.Arbitrary<FuzzRequest['body']> {
  const schema: JsonSchema | undefined = op.operation.requestBody?.content['application/json']?.schema
  if (!schema) return fc.option(fc.constant({ json: { unexpected: true } }), { freq: 6, nil: undefined })
  return fc.oneof({ weight: 2, arbitrary: validArb(schema) }, { weight: 3, arbitrary: hostileBodyArb(schema) }).map((json) => ({ json }))
}

function requestArb(op: SpecOperation): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      actor: fc.constantFrom<AccessActor>('admin', 'customerA'),
      path: pathArb(op),
      query: queryArb(op),
      body: bodyArb(op),
    })
    .map(({ actor, path, query, body }) => ({ actor, method: op.method, url: `${path}${query}`, ...(body === undefined ? {} : { body }) }))
}

describe('fuzzing every operation of the OpenAPI document (admin and customer)', () => {
  it('covers a non-trivial spec', () => {
    expect(operations.length).toBeGreaterThan(10)
  })

  it.each(operations.map((op) => [op.key, op] as const))('%s: never a 5xx, 4xx always problem+json and changing nothing', async (_key, op) => {
    const failures: FuzzFailure[] = []
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
    // Failures are collected rather than thrown: every distinct bad request shows in one report,
    // without shrinking runs that each cost database round trips.
    await fc.assert(
      fc.asyncProperty(requestArb(op), async (request) => {
        const failure = await runner.send(request)
        if (failure) failures.push(failure)
      }),
      { numRuns: RUNS_PER_OPERATION, seed },
    )
    expect(failures.slice(0, 10), `replay with FUZZ_SEED=${seed} FUZZ_RUNS=${RUNS_PER_OPERATION}`).toEqual([])
  }, OPERATION_TIMEOUT_MS)
})

describe('hand-picked nasties', () => {
  it.each(nasties().map((n) => [n.name, n] as const))('%s', async (_name, nasty) => {
    const request = await nasty.request(fx, t.config.bodyLimitBytes)
    const failure = await runner.send(request)
    expect(failure).toBeUndefined()
    const [status] = [...runner.lastStatus()]
    if (typeof nasty.expect === 'number') expect(status).toBe(nasty.expect)
    else if (nasty.expect === '4xx') expect(status).toBeGreaterThanOrEqual(400)
  })
})
