import { randomBytes } from 'node:crypto'
import type { createRunClient } from './full-run.ts'

type Call = ReturnType<typeof createRunClient>['call']
type ExpectStatus = (res: { status: number; body: unknown }, status: number, what: string) => void

/** What the workshop part of the full run needs from the run before it. */
export interface WorkshopRun {
  call: Call
  expectStatus: ExpectStatus
  tokens: { admin: string; advisor: string; mechanic: string; customer: string }
  mechanicId: number
  vehicle: { id: number; vin: string; mileage: number }
}

// The shop's defaults, which the run does not change: Mon–Fri 08:00–17:30 in Europe/London, 30-minute slots.
const SHOP_TIMEZONE = 'Europe/London'

/** A Monday-to-Friday shop date (YYYY-MM-DD) at least `daysAhead` days after today in the shop's timezone. */
function weekdayAhead(now: Date, daysAhead: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: SHOP_TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  const date = new Date(`${today}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + daysAhead)
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString().slice(0, 10)
}

/**
 * The workshop's day through its routes, each answering 2xx at least once: the admin sets up a bay and
 * a service, the desk looks at its lists, the customer decodes the VIN, reads the odometer and books a
 * slot the availability offers, the desk confirms, opens a work order with jobs and lines, and the
 * assigned mechanic moves it into progress, clocks a job, fills the inspection and completes it, and the
 * customer reads the car's history.
 * Check-in (`checked_in`) is not asked: the check-in flow is not registered yet.
 */
export async function driveWorkshop(run: WorkshopRun): Promise<void> {
  const { call, expectStatus, tokens, mechanicId, vehicle } = run
  const tag = randomBytes(3).toString('hex').toUpperCase()

  // The admin sets up the floor and the catalogue.
  const bay = await call<{ id: number }>('POST', '/api/bays', { token: tokens.admin, json: { name: `Log Bay ${tag}` } })
  expectStatus(bay, 201, 'create bay')
  expectStatus(await call('PATCH', `/api/bays/${bay.body.id}`, { token: tokens.admin, json: { name: `Log Lift ${tag}` } }), 200, 'rename bay')
  const serviceBody = { code: `LOG-OIL-${tag}`, name: 'Oil and filter change', labourHours: 0.5, intervalMonths: 12, intervalKm: 15_000 }
  const service = await call<{ id: number }>('POST', '/api/services', { token: tokens.admin, json: serviceBody })
  expectStatus(service, 201, 'create service')
  const serviceId = service.body.id
  expectStatus(await call('PATCH', `/api/services/${serviceId}`, { token: tokens.admin, json: { description: 'Drain and refill, new filter' } }), 200, 'change service')

  // The desk's lists; the customer sees the catalogue too.
  expectStatus(await call('GET', '/api/bays?active=true', { token: tokens.advisor }), 200, 'list bays')
  expectStatus(await call('GET', '/api/mechanics', { token: tokens.advisor }), 200, 'list mechanics')
  expectStatus(await call('GET', '/api/services', { token: tokens.advisor }), 200, 'list services')
  expectStatus(await call('GET', '/api/services', { token: tokens.customer }), 200, 'customer lists services')
  expectStatus(await call('GET', `/api/services/${serviceId}`, { token: tokens.advisor }), 200, 'get service')

  // The customer's car: its VIN decoded, and a new odometer reading.
  expectStatus(await call('GET', `/api/vin/${vehicle.vin}`, { token: tokens.customer }), 200, 'decode VIN')
  const odometer = vehicle.mileage + 150
  expectStatus(await call('POST', `/api/vehicles/${vehicle.id}/odometer`, { token: tokens.customer, json: { value: odometer } }), 201, 'record odometer')
  expectStatus(await call('GET', `/api/vehicles/${vehicle.id}/odometer`, { token: tokens.customer }), 200, 'odometer readings')

  // A booking a few days ahead, in an hour-long slot the availability offers.
  const date = weekdayAhead(new Date(), 3)
  type Slots = { slots: { startsAt: string; endsAt: string; freeBays: number }[] }
  const availability = await call<Slots>('GET', `/api/availability?date=${date}&durationMinutes=60`, { token: tokens.customer })
  expectStatus(availability, 200, `availability of ${date}`)
  const slot = availability.body.slots.find((s) => s.freeBays > 0)
  if (!slot) throw new Error(`no free hour on ${date}: ${JSON.stringify(availability.body)}`)
  const booking = { vehicleId: vehicle.id, startsAt: slot.startsAt, endsAt: slot.endsAt, serviceIds: [serviceId], requestedWork: 'Oil change, and a squeak from the front' }
  const appointment = await call<{ id: number }>('POST', '/api/appointments', {
    token: tokens.customer,
    headers: { 'idempotency-key': `log-secrets-${tag}` },
    json: booking,
  })
  expectStatus(appointment, 201, 'book appointment')
  const appointmentId = appointment.body.id
  expectStatus(await call('GET', '/api/appointments', { token: tokens.customer }), 200, 'customer lists appointments')
  expectStatus(await call('GET', `/api/appointments?from=${encodeURIComponent(slot.startsAt)}`, { token: tokens.advisor }), 200, 'desk lists appointments')
  expectStatus(await call('GET', `/api/appointments/${appointmentId}`, { token: tokens.advisor }), 200, 'get appointment')
  const assign = { mechanicId, notes: 'Customer waits' }
  expectStatus(await call('PATCH', `/api/appointments/${appointmentId}`, { token: tokens.advisor, json: assign }), 200, 'assign appointment')
  const confirm = { status: 'confirmed' }
  expectStatus(await call('POST', `/api/appointments/${appointmentId}/status`, { token: tokens.advisor, json: confirm }), 200, 'confirm appointment')

  // The desk opens a work order for the assigned mechanic.
  const orderBody = { vehicleId: vehicle.id, odometerIn: odometer, concerns: ['Squeak from the front'], mechanicId, bayId: bay.body.id }
  const order = await call<{ id: number }>('POST', '/api/work-orders', { token: tokens.advisor, json: orderBody })
  expectStatus(order, 201, 'open work order')
  const wo = `/api/work-orders/${order.body.id}`
  expectStatus(await call('GET', wo, { token: tokens.advisor }), 200, 'get work order')
  expectStatus(await call('GET', '/api/work-orders?status=draft', { token: tokens.advisor }), 200, 'list work orders')
  expectStatus(await call('GET', '/api/work-orders', { token: tokens.mechanic }), 200, 'mechanic lists work orders')
  expectStatus(await call('PATCH', wo, { token: tokens.advisor, json: { label: 'Quality check', notes: 'Keys in the box' } }), 200, 'change work order')

  // Jobs and lines: one from the catalogue, one priced by hand, one dropped.
  const oil = await call<{ id: number }>('POST', `${wo}/jobs`, { token: tokens.advisor, json: { title: 'Oil service', serviceId } })
  expectStatus(oil, 201, 'job from a service')
  const brakes = await call<{ id: number }>('POST', `${wo}/jobs`, { token: tokens.advisor, json: { title: 'Front brakes', concern: 'Squeak' } })
  expectStatus(brakes, 201, 'job')
  const brakesUrl = `${wo}/jobs/${brakes.body.id}`
  const labour = await call<{ id: number }>('POST', `${brakesUrl}/lines`, { token: tokens.advisor, json: { kind: 'labour', description: 'Brake pads', quantity: 1 } })
  expectStatus(labour, 201, 'labour line')
  expectStatus(await call('PATCH', `${brakesUrl}/lines/${labour.body.id}`, { token: tokens.advisor, json: { quantity: 1.5, discountCents: 500 } }), 200, 'change line')
  const fee = await call<{ id: number }>('POST', `${brakesUrl}/lines`, { token: tokens.advisor, json: { kind: 'fee', description: 'Disposal', quantity: 1, unitPriceCents: 450 } })
  expectStatus(fee, 201, 'fee line')
  expectStatus(await call('DELETE', `${brakesUrl}/lines/${fee.body.id}`, { token: tokens.advisor }), 204, 'delete line')
  expectStatus(await call('PATCH', brakesUrl, { token: tokens.advisor, json: { concern: 'Squeak when braking' } }), 200, 'change job')
  const wipers = await call<{ id: number }>('POST', `${wo}/jobs`, { token: tokens.advisor, json: { title: 'Wiper blades' } })
  expectStatus(wipers, 201, 'job to drop')
  expectStatus(await call('DELETE', `${wo}/jobs/${wipers.body.id}`, { token: tokens.advisor }), 204, 'delete job')

  const cabin = await call<{ id: number }>('POST', `${wo}/jobs`, { token: tokens.advisor, json: { title: 'Cabin filter' } })
  expectStatus(cabin, 201, 'job the customer declines')
  expectStatus(await call('POST', `${wo}/jobs/${cabin.body.id}/lines`, { token: tokens.advisor, json: { kind: 'part', description: 'Filter', quantity: 1, unitPriceCents: 1_900 } }), 201, 'part line')

  // The estimate goes out; the customer approves the oil service on the portal and the brakes through the link,
  // and declines the cabin filter on the phone, which the desk records.
  const estimate = await call<{ hash: string; shareUrl: string }>('POST', `${wo}/estimates`, { token: tokens.advisor })
  expectStatus(estimate, 201, 'send estimate')
  const link = `/api/estimates/${estimate.body.shareUrl.split('#token=')[1]}`
  expectStatus(await call('GET', link, {}), 200, 'see the estimate through its link')
  const portal = { estimateHash: estimate.body.hash, decisions: [{ jobId: oil.body.id, decision: 'approved' }] }
  expectStatus(await call('POST', `${wo}/decisions`, { token: tokens.customer, json: portal }), 201, 'customer approves on the portal')
  const shared = { estimateHash: estimate.body.hash, name: 'Sam Driver', decisions: [{ jobId: brakes.body.id, decision: 'approved' }] }
  expectStatus(await call('POST', `${link}/decisions`, { json: shared }), 201, 'customer approves through the link')
  const phone = { estimateHash: estimate.body.hash, method: 'phone', decisions: [{ jobId: cabin.body.id, decision: 'declined' }] }
  expectStatus(await call('POST', `${wo}/decisions`, { token: tokens.advisor, json: phone }), 201, 'advisor records a phone decline')
  expectStatus(await call('GET', `${wo}/approvals`, { token: tokens.customer }), 200, 'customer lists approvals')

  // The assigned mechanic starts, clocks the brakes, fills the inspection and finishes.
  expectStatus(await call('POST', `${wo}/status`, { token: tokens.mechanic, json: { status: 'in_progress' } }), 200, 'start work order')
  expectStatus(await call('POST', `${brakesUrl}/clock`, { token: tokens.mechanic, json: { action: 'start' } }), 200, 'clock in')
  expectStatus(await call('POST', `${brakesUrl}/clock`, { token: tokens.mechanic, json: { action: 'stop' } }), 200, 'clock out')
  const inspection = { items: [{ name: 'Brake pads front', result: 'attention', note: '3 mm' }, { name: 'Tyre tread', result: 'ok' }] }
  expectStatus(await call('PUT', `${wo}/inspection`, { token: tokens.mechanic, json: inspection }), 200, 'fill inspection')
  expectStatus(await call('GET', `${wo}/inspection`, { token: tokens.advisor }), 200, 'read inspection')
  for (const jobId of [oil.body.id, brakes.body.id]) {
    const done = { cause: 'Worn', correction: 'Replaced', completed: true }
    expectStatus(await call('PATCH', `${wo}/jobs/${jobId}`, { token: tokens.mechanic, json: done }), 200, 'complete job')
  }
  expectStatus(await call('POST', `${wo}/status`, { token: tokens.mechanic, json: { status: 'completed', odometerOut: odometer + 5 } }), 200, 'complete work order')
  expectStatus(await call('GET', wo, { token: tokens.customer }), 200, 'customer reads work order')
  expectStatus(await call('GET', `/api/vehicles/${vehicle.id}/history`, { token: tokens.customer }), 200, "customer reads the car's history")
}
