import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { addPricedJob, openOrder } from '../../../test/support/factories/work-orders.ts'
import { caller, problemOf } from '../../../test/support/http.ts'
import { estimateHash } from '../../kernel/estimate-hash.ts'

describe('estimates and the customer\'s decisions', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  let vehicleId: number

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
    vehicleId = (await createVehicle(t.app.db, cast.customerA.id)).id
  })
  afterAll(async () => t?.close())

  /** An order of customer A with `count` priced jobs, sent: its id, job ids and the estimate. */
  async function sentOrder(count = 2) {
    const order = await openOrder(t.app, cast.advisor, vehicleId, { mechanicId: cast.assignedMechanic.id })
    const jobIds: number[] = []
    for (let i = 0; i < count; i++) jobIds.push(await addPricedJob(t.app, cast.advisor, order.id, { unitPriceCents: 10_000 + i }))
    const sent = await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/estimates`)
    expect(sent.statusCode, sent.body).toBe(201)
    return { id: order.id, jobIds, estimate: sent.json() }
  }
  const approvals = async (id: number) => (await call(cast.advisor, 'GET', `/api/work-orders/${id}/approvals`)).json().items as unknown[]

  it('send → the portal approves one job, the desk records a decline by phone → approved, all listed and audited', async () => {
    const { id, jobIds, estimate } = await sentOrder(2)
    expect(estimate).toMatchObject({ version: 1, jobs: [{ id: jobIds[0] }, { id: jobIds[1] }], totals: { labourCents: 20_001 } })
    expect(estimate.hash).toBe(estimateHash({ version: 1, jobs: estimate.jobs, totals: estimate.totals }))
    expect(estimate.shareUrl).toMatch(/\/estimate#token=[A-Za-z0-9_-]{43}$/)
    expect(Date.parse(estimate.expiresAt) - Date.parse(estimate.sentAt)).toBe(7 * 24 * 3600 * 1000)
    const awaiting = (await call(cast.customerA, 'GET', `/api/work-orders/${id}`)).json()
    expect(awaiting).toMatchObject({ status: 'awaiting_approval', estimate: { version: 1, hash: estimate.hash, sentAt: estimate.sentAt } })

    const portal = await call(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, { estimateHash: estimate.hash, decisions: [{ jobId: jobIds[0], decision: 'approved' }] })
    expect(portal.statusCode, portal.body).toBe(201)
    expect(portal.json().status).toBe('awaiting_approval')
    const noMethod = await call(cast.advisor, 'POST', `/api/work-orders/${id}/decisions`, { estimateHash: estimate.hash, decisions: [{ jobId: jobIds[1], decision: 'declined' }] })
    expect(noMethod.statusCode).toBe(400)
    const phone = await call(cast.advisor, 'POST', `/api/work-orders/${id}/decisions`, { estimateHash: estimate.hash, method: 'phone', decisions: [{ jobId: jobIds[1], decision: 'declined' }] })
    expect(phone.statusCode, phone.body).toBe(201)
    const order = phone.json()
    expect(order.status).toBe('approved')
    expect(order.jobs.map((j: { status: string }) => j.status)).toEqual(['approved', 'declined'])
    expect(order.jobs[0].decision).toMatchObject({ decision: 'approved', method: 'portal', byUserId: cast.customerA.id, estimateVersion: 1, estimateHash: estimate.hash })
    expect(order.totals.labourCents).toBe(10_000)
    expect(await approvals(id)).toEqual([
      expect.objectContaining({ jobId: jobIds[0], decision: 'approved', method: 'portal', byUserId: cast.customerA.id }),
      expect.objectContaining({ jobId: jobIds[1], decision: 'declined', method: 'phone', byUserId: cast.advisor.id }),
    ])
    const audit = (await call(cast.advisor, 'GET', `/api/audit?entity=job&entityId=${jobIds[1]}`)).json().items
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['decision.recorded', 'job.decided']))
    const again = await call(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, { estimateHash: estimate.hash, decisions: [{ jobId: jobIds[0], decision: 'declined' }] })
    expect(problemOf(again)).toEqual({ status: 409, code: 'ECAR_ERR_JOB_ALREADY_DECIDED' })
  })

  it('a stale hash (a newer version went out) is 409 estimate-changed and records nothing', async () => {
    const { id, jobIds, estimate } = await sentOrder(1)
    const v2 = (await call(cast.advisor, 'POST', `/api/work-orders/${id}/estimates`)).json()
    expect(v2.version).toBe(2)
    expect(v2.hash).not.toBe(estimate.hash)
    const stale = await call(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, { estimateHash: estimate.hash, decisions: [{ jobId: jobIds[0], decision: 'approved' }] })
    expect(problemOf(stale)).toEqual({ status: 409, code: 'ECAR_ERR_ESTIMATE_CHANGED' })
    expect(await approvals(id)).toEqual([])
    expect((await call(cast.advisor, 'GET', `/api/work-orders/${id}`)).json()).toMatchObject({ status: 'awaiting_approval', estimate: { version: 2 } })
  })

  it('a change to a sent line after sending supersedes the estimate: 409 estimate-changed, nothing recorded, a new one can be decided', async () => {
    const { id, jobIds, estimate } = await sentOrder(1)
    const order = (await call(cast.advisor, 'GET', `/api/work-orders/${id}`)).json()
    const lineId = order.jobs[0].lines[0].id
    const patched = await call(cast.advisor, 'PATCH', `/api/work-orders/${id}/jobs/${jobIds[0]}/lines/${lineId}`, { quantity: 2 })
    expect(patched.statusCode, patched.body).toBe(200)
    const body = { estimateHash: estimate.hash, decisions: [{ jobId: jobIds[0], decision: 'approved' }] }
    expect(problemOf(await call(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, body))).toEqual({ status: 409, code: 'ECAR_ERR_ESTIMATE_CHANGED' })
    expect(await approvals(id)).toEqual([])
    const v2 = (await call(cast.advisor, 'POST', `/api/work-orders/${id}/estimates`)).json()
    const ok = await call(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, { ...body, estimateHash: v2.hash })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json().status).toBe('approved')
  })

  it('every job declined → declined; nothing to send → 409; a job not on the estimate → 409', async () => {
    const { id, jobIds, estimate } = await sentOrder(2)
    const unsent = await addPricedJob(t.app, cast.advisor, id)
    const off = await call(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, { estimateHash: estimate.hash, decisions: [{ jobId: unsent, decision: 'approved' }] })
    expect(problemOf(off)).toEqual({ status: 409, code: 'ECAR_ERR_JOB_NOT_ON_ESTIMATE' })
    const res = await call(cast.admin, 'POST', `/api/work-orders/${id}/decisions`, {
      estimateHash: estimate.hash,
      method: 'in_person',
      decisions: jobIds.map((jobId) => ({ jobId, decision: 'declined' })),
    })
    expect(res.statusCode, res.body).toBe(201)
    // The job added after sending was never sent: it does not hold the order back.
    expect(res.json().status).toBe('declined')
    const empty = await openOrder(t.app, cast.advisor, vehicleId)
    expect(problemOf(await call(cast.advisor, 'POST', `/api/work-orders/${empty.id}/estimates`))).toEqual({ status: 409, code: 'ECAR_ERR_NOTHING_TO_SEND' })
    expect((await call(cast.advisor, 'GET', `/api/work-orders/${empty.id}`)).json()).toMatchObject({ status: 'draft', estimate: null })
  })

  it('two decisions of one job at once: one 201, one 409, one decision stored', async () => {
    // Two jobs: the order stays awaiting after the first decision, so the loser meets the decided job, not a closed order.
    const { id, jobIds, estimate } = await sentOrder(2)
    const decide = (decision: string) => call(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, { estimateHash: estimate.hash, decisions: [{ jobId: jobIds[0], decision }] })
    const results = await Promise.all([decide('approved'), decide('declined')])
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409])
    expect(results.map((r) => problemOf(r).code).filter(Boolean)).toEqual(['ECAR_ERR_JOB_ALREADY_DECIDED'])
    expect(await approvals(id)).toHaveLength(1)
  })

  it('the customer decides only their own orders; a mechanic cannot decide', async () => {
    const { id, jobIds, estimate } = await sentOrder(1)
    const body = { estimateHash: estimate.hash, decisions: [{ jobId: jobIds[0], decision: 'approved' }] }
    expect((await call(cast.customerB, 'POST', `/api/work-orders/${id}/decisions`, body)).statusCode).toBe(404)
    expect((await call(cast.assignedMechanic, 'POST', `/api/work-orders/${id}/decisions`, { ...body, method: 'phone' })).statusCode).toBe(403)
    expect((await call(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, { ...body, method: 'phone' })).statusCode).toBe(400)
    expect(await approvals(id)).toEqual([])
  })
})

describe('the estimate\'s share link', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  let vehicleId: number

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
    vehicleId = (await createVehicle(t.app.db, cast.customerA.id)).id
  })
  afterAll(async () => t?.close())

  const anonymous = async (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({ method, url, ...(payload ? { payload: payload as object } : {}) })

  it('shows the estimate without a sign-in and records decisions in the name given; unknown 404, expired 410', async () => {
    const order = await openOrder(t.app, cast.advisor, vehicleId)
    const jobId = await addPricedJob(t.app, cast.advisor, order.id)
    const sent = (await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/estimates`)).json()
    const token = /#token=(.+)$/.exec(sent.shareUrl)![1]!
    const seen = await anonymous('GET', `/api/estimates/${token}`)
    expect(seen.statusCode, seen.body).toBe(200)
    expect(seen.json()).toMatchObject({ version: 1, hash: sent.hash, workOrderNumber: order.number, jobs: [{ id: jobId, decision: null }] })
    const stale = await anonymous('POST', `/api/estimates/${token}/decisions`, { estimateHash: 'a'.repeat(64), name: 'Alex', decisions: [{ jobId, decision: 'approved' }] })
    expect(problemOf(stale)).toEqual({ status: 409, code: 'ECAR_ERR_ESTIMATE_CHANGED' })
    const res = await anonymous('POST', `/api/estimates/${token}/decisions`, { estimateHash: sent.hash, name: ' Alex Driver ', decisions: [{ jobId, decision: 'approved' }] })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().jobs[0].decision).toBe('approved')
    const detail = (await call(cast.customerA, 'GET', `/api/work-orders/${order.id}`)).json()
    expect(detail.status).toBe('approved')
    expect(detail.jobs[0].decision).toMatchObject({ method: 'share_link', byUserId: null, byName: 'Alex Driver' })

    expect(problemOf(await anonymous('GET', `/api/estimates/${'x'.repeat(43)}`))).toEqual({ status: 404, code: 'ECAR_ERR_ESTIMATE_LINK_NOT_FOUND' })
    await t.app.db.execute(sql`update work_order_estimates set share_expires_at = now() - interval '1 second' where work_order_id = ${order.id}`)
    expect(problemOf(await anonymous('GET', `/api/estimates/${token}`))).toEqual({ status: 410, code: 'ECAR_ERR_ESTIMATE_LINK_EXPIRED' })
  })
})
