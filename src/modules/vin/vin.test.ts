import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { caller, problemOf } from '../../../test/support/http.ts'

describe('GET /api/vin/:vin', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  const CASES: [vin: string, expected: Record<string, unknown>][] = [
    [
      '1HGCM82633A004352',
      { vin: '1HGCM82633A004352', valid: true, checkDigit: { applies: true, expected: '3', actual: '3' }, region: 'North America', country: 'United States', manufacturer: 'Honda', modelYears: [2003], problems: [] },
    ],
    // A wrong check digit is reported, not refused.
    ['1hgcm82643a004352', { vin: '1HGCM82643A004352', valid: true, checkDigit: { applies: true, expected: '3', actual: '4' }, manufacturer: 'Honda' }],
    // 7 is North America on SAE's chart, but the contract applies the check digit to 1–5 only.
    ['7SAYGDEE2PA123456', { valid: true, region: 'North America', checkDigit: { applies: false, expected: '1', actual: '2' } }],
    ['WVWZZZ1JZ3W386752', { valid: true, region: 'Europe', country: 'Germany', manufacturer: 'Volkswagen', checkDigit: { applies: false, expected: '9', actual: 'Z' } }],
    [
      'WVWZZZ1JZ3W38675O',
      { valid: false, checkDigit: { applies: false, expected: null, actual: null }, region: null, country: null, manufacturer: null, modelYears: [], problems: ['I, O and Q are never used in a VIN (they pass for 1, 0 and 9): position 17'] },
    ],
    ['ABC', { vin: 'ABC', valid: false, problems: ['must be 17 characters long, not 3'] }],
  ]

  it.each(CASES)('decodes %s', async (vin, expected) => {
    const res = await call(cast.customerA, 'GET', `/api/vin/${encodeURIComponent(vin)}`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject(expected)
    // Not cached: no X-Cache, the same answer every time.
    expect(res.headers['x-cache']).toBeUndefined()
  })

  it('answers every signed-in role, and 401 without a sign-in', async () => {
    for (const user of [cast.customerB, cast.mechanic, cast.advisor, cast.admin]) expect((await call(user, 'GET', '/api/vin/1HGCM82633A004352')).statusCode).toBe(200)
    expect((await call(undefined, 'GET', '/api/vin/1HGCM82633A004352')).statusCode).toBe(401)
  })

  it('refuses a path longer than 64 characters with a 400 problem', async () => {
    const res = await call(cast.customerA, 'GET', `/api/vin/${'A'.repeat(65)}`)
    expect(problemOf(res)).toEqual({ status: 400, code: 'ECAR_ERR_VALIDATION' })
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
