import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { totals, type LineInput } from '../../kernel/money.ts'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { decide, openOrder } from '../../../test/support/factories/work-orders.ts'
import { caller, problemOf } from '../../../test/support/http.ts'

const lineArb = fc.record({
  kind: fc.constantFrom('labour', 'part', 'fee') as fc.Arbitrary<LineInput['kind']>,
  quantity: fc.integer({ min: 1, max: 99_999 }).map((h) => h / 100),
  unitPriceCents: fc.integer({ min: 0, max: 250_000 }),
  discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
})
const jobArb = fc.record({ lines: fc.array(lineArb, { minLength: 0, maxLength: 4 }), decision: fc.constantFrom('approved', 'declined') as fc.Arbitrary<'approved' | 'declined'> })

describe('work orders: totals are the kernel\'s over the jobs not declined', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  let vehicleId: number

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
    vehicleId = (await createVehicle(t.app.db, cast.customerA.id)).id
    // Rates that round: 19.25 %, 7 %, 0 %.
    expect((await call(cast.admin, 'PATCH', '/api/shop', { taxRates: { labourBp: 1925, partsBp: 700, feesBp: 0 } })).statusCode).toBe(200)
  })
  afterAll(async () => t?.close())

  it('for random jobs and lines, GET shows line figures and totals as src/kernel/money.ts computes them', async () => {
    const rates = { labourBp: 1925, partsBp: 700, feesBp: 0 }
    await fc.assert(
      fc.asyncProperty(fc.array(jobArb, { minLength: 1, maxLength: 3 }), async (jobs) => {
        const order = await openOrder(t.app, cast.advisor, vehicleId)
        const counted: LineInput[] = []
        const decisions: { jobId: number; decision: 'approved' | 'declined' }[] = []
        for (const job of jobs) {
          const jobId = (await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/jobs`, { title: 'J' })).json().id as number
          decisions.push({ jobId, decision: job.decision })
          for (const line of job.lines) {
            const amount = Math.round(line.quantity * line.unitPriceCents)
            const discountCents = Math.floor(amount * line.discountShare * 0.5)
            const res = await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/jobs/${jobId}/lines`, { kind: line.kind, description: 'L', quantity: line.quantity, unitPriceCents: line.unitPriceCents, discountCents })
            expect(res.statusCode, res.body).toBe(201)
            if (job.decision === 'approved') counted.push({ kind: line.kind, quantity: line.quantity, unitPriceCents: line.unitPriceCents, discountCents })
          }
        }
        await decide(t.app, order.id, decisions)
        const detail = (await call(cast.advisor, 'GET', `/api/work-orders/${order.id}`)).json()
        expect(detail.totals).toEqual(totals(counted, rates))
        const listed = (await call(cast.advisor, 'GET', `/api/work-orders?vehicleId=${vehicleId}&limit=200`)).json().items.find((o: { id: number }) => o.id === order.id)
        expect(listed.totals).toEqual(detail.totals)
      }),
      { numRuns: 12 },
    )
  })

  it('a discount above the line amount is 400 and adds nothing', async () => {
    const order = await openOrder(t.app, cast.advisor, vehicleId)
    const jobId = (await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/jobs`, { title: 'J' })).json().id as number
    const res = await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/jobs/${jobId}/lines`, { kind: 'part', description: 'L', quantity: 1.5, unitPriceCents: 1000, discountCents: 1501 })
    expect(problemOf(res)).toEqual({ status: 400, code: 'ECAR_ERR_VALIDATION' })
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.discountCents' })])
    const bad = await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/jobs/${jobId}/lines`, { kind: 'part', description: 'L', quantity: 1.005, unitPriceCents: 1000 })
    expect(bad.statusCode).toBe(400)
    expect((await call(cast.advisor, 'GET', `/api/work-orders/${order.id}`)).json().jobs[0].lines).toEqual([])
  })
})
