import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { addPricedJob, openOrder } from '../../../test/support/factories/work-orders.ts'
import { caller, problemOf } from '../../../test/support/http.ts'
import { SHARE_LINK_RATE } from './estimates-share.service.ts'

/**
 * The estimate link is a credential anyone may try: every request on /api/estimates/:token, known token
 * or not, counts against its address (SHARE_LINK_RATE: 60 per 10 minutes), then 429 with Retry-After
 * and nothing looked up or recorded. Other addresses are not held back.
 */
describe('estimate links: requests per address', () => {
  let t: TestApp
  let cast: Cast
  let host = 0
  /** A fresh IPv4 address per use: the counters live in PostgreSQL and outlast a test. */
  const address = () => `10.77.${(host >> 8) & 255}.${host++ & 255}`

  beforeAll(async () => {
    t = await buildTestApp()
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  async function sentLink() {
    const order = await openOrder(t.app, cast.advisor, (await createVehicle(t.app.db, cast.customerA.id)).id)
    const jobId = await addPricedJob(t.app, cast.advisor, order.id)
    const sent = (await caller(t.app)(cast.advisor, 'POST', `/api/work-orders/${order.id}/estimates`)).json() as { hash: string; shareUrl: string }
    return { orderId: order.id, jobId, hash: sent.hash, token: sent.shareUrl.split('#token=')[1]! }
  }
  const view = (token: string, remoteAddress: string) => t.app.inject({ method: 'GET', url: `/api/estimates/${token}`, remoteAddress })

  it('is the documented figure', () => {
    expect(SHARE_LINK_RATE).toMatchObject({ limit: 60, windowMs: 10 * 60 * 1000 })
  })

  it('answers the limit, then 429 with Retry-After; another address still sees the estimate', async () => {
    const { token } = await sentLink()
    const from = address()
    for (let i = 0; i < SHARE_LINK_RATE.limit; i++) expect((await view(token, from)).statusCode, `request ${i + 1}`).toBe(200)
    const refused = await view(token, from)
    expect(problemOf(refused)).toEqual({ status: 429, code: 'ECAR_ERR_RATE_LIMITED' })
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(SHARE_LINK_RATE.windowMs / 1000)
    expect((await view(token, address())).statusCode).toBe(200)
  })

  it('counts unknown tokens too, so guessing is held back as reading is', async () => {
    const { token } = await sentLink()
    const from = address()
    for (let i = 0; i < SHARE_LINK_RATE.limit; i++) {
      expect((await view(`guess${i.toString().padStart(38, '0')}`, from)).statusCode).toBe(404)
    }
    expect(problemOf(await view(token, from)).status).toBe(429)
  })

  it('refuses a decision past the limit with 429, and records nothing', async () => {
    const { orderId, jobId, hash, token } = await sentLink()
    const from = address()
    for (let i = 0; i < SHARE_LINK_RATE.limit; i++) await view(token, from)
    const decide = await t.app.inject({
      method: 'POST',
      url: `/api/estimates/${token}/decisions`,
      remoteAddress: from,
      payload: { estimateHash: hash, name: 'Jane Doe', decisions: [{ jobId, decision: 'approved' }] },
    })
    expect(problemOf(decide)).toEqual({ status: 429, code: 'ECAR_ERR_RATE_LIMITED' })
    const approvals = await caller(t.app)(cast.advisor, 'GET', `/api/work-orders/${orderId}/approvals`)
    expect(approvals.json().items).toEqual([])
    expect((await caller(t.app)(cast.advisor, 'GET', `/api/work-orders/${orderId}`)).json().status).toBe('awaiting_approval')
  })
})
