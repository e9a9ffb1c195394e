import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { addPricedJob, openOrder } from '../../../test/support/factories/work-orders.ts'
import { caller, problemOf } from '../../../test/support/http.ts'
import { messages } from '../messages/index.ts'

/** Sending an estimate mails its link to the customer through the outbox, in the send's transaction. */
describe('the estimate mail', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  const mailsOf = (orderId: number) =>
    t.app.db.select().from(messages).where(and(eq(messages.kind, 'estimate'), eq(messages.relatedType, 'work_order'), eq(messages.relatedId, orderId)))

  async function pricedOrderOf(customer: TestUser) {
    const order = await openOrder(t.app, cast.advisor, (await createVehicle(t.app.db, customer.id)).id)
    await addPricedJob(t.app, cast.advisor, order.id, { unitPriceCents: 12_000 })
    return order
  }

  it("mails the link to the customer's address: the mailed token opens the estimate; the outbox shows it redacted", async () => {
    const customer = await createUser(t.app.db)
    const order = await pricedOrderOf(customer)
    const sent = await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/estimates`)
    expect(sent.statusCode, sent.body).toBe(201)
    expect(sent.json().mailedTo).toBe(customer.email)

    const [mail, ...more] = await mailsOf(order.id)
    expect(more).toEqual([])
    expect(mail).toMatchObject({ recipient: customer.email, status: 'recorded' })
    expect(mail!.subject).toContain(order.number)
    const { currency } = (await call(cast.advisor, 'GET', '/api/shop')).json() as { currency: string }
    expect(mail!.textBody).toContain(`Front brakes: ${currency} 120.00 before tax`)
    expect(mail!.textBody).toContain(sent.json().shareUrl)
    const token = sent.json().shareUrl.split('#token=')[1] as string
    expect((await t.app.inject({ method: 'GET', url: `/api/estimates/${token}` })).statusCode).toBe(200)

    const listed = (await call(cast.advisor, 'GET', `/api/messages?to=${encodeURIComponent(customer.email)}`)).json().items as { kind: string; text: string }[]
    expect(listed.map((m) => m.kind)).toEqual(['estimate'])
    expect(listed[0]!.text).not.toContain(token)
    expect(listed[0]!.text).toContain('token=[redacted]')
  })

  it('mails each version; a refused send mails nothing', async () => {
    const customer = await createUser(t.app.db)
    const unpriced = await openOrder(t.app, cast.advisor, (await createVehicle(t.app.db, customer.id)).id)
    expect((await call(cast.advisor, 'POST', `/api/work-orders/${unpriced.id}/jobs`, { title: 'Diagnose noise' })).statusCode).toBe(201)
    expect(problemOf(await call(cast.advisor, 'POST', `/api/work-orders/${unpriced.id}/estimates`))).toEqual({ status: 409, code: 'ECAR_ERR_NOTHING_TO_SEND' })
    expect(await mailsOf(unpriced.id)).toEqual([])

    const order = await pricedOrderOf(customer)
    expect((await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/estimates`)).statusCode).toBe(201)
    await addPricedJob(t.app, cast.advisor, order.id, { unitPriceCents: 4_500 })
    expect((await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/estimates`)).json().version).toBe(2)
    const subjects = (await mailsOf(order.id)).map((m) => m.subject)
    expect(subjects).toHaveLength(2)
    expect(subjects.filter((s) => s.includes('(version 2)'))).toHaveLength(1)
  })

  it('mails no deactivated account, and says so', async () => {
    const customer = await createUser(t.app.db)
    const order = await pricedOrderOf(customer)
    expect((await call(cast.admin, 'PATCH', `/api/users/${customer.id}`, { active: false })).statusCode).toBe(200)
    const sent = await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/estimates`)
    expect(sent.statusCode, sent.body).toBe(201)
    expect(sent.json().mailedTo).toBeNull()
    expect(await mailsOf(order.id)).toEqual([])
  })
})
