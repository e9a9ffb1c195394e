import { defineAccess, expectAll, type AccessActor, type BaseFixtures } from '../../platform/http/access.ts'
import { insertBay } from '../bays/index.ts'
import type { VehicleFixtures } from '../vehicles/index.ts'
import { insertAppointment } from './appointments.repository.ts'

/** What the appointment rows need beyond the vehicles' fixtures. */
export interface AppointmentFixtures {
  /** Customer A's confirmed appointment, assigned to the assignedMechanic: reads only. */
  appointmentA: { id: number }
  /** A new confirmed appointment of customer A (assigned to the assignedMechanic), for cells that change one. */
  freshAppointmentA(): Promise<{ id: number }>
  /** A bookable [startsAt, endsAt) no other cell uses (a different day each call: every cell books in its own slot). */
  freshSlot(): { startsAt: string; endsAt: string }
}

const DAY_MS = 86_400_000

/**
 * A slot on a weekday of the default hours (Europe/London, 08:00-17:30): 10:00-10:30 local, in the
 * winter (UTC = London), days ahead; `n` moves to the next such day.
 */
function slotDaysAhead(n: number): { startsAt: Date; endsAt: Date } {
  let day = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) + 2 * DAY_MS
  let found = 0
  for (;;) {
    const weekday = new Date(day).getUTCDay()
    if (weekday >= 1 && weekday <= 5 && found++ === n) break
    day += DAY_MS
  }
  // 10:00 London: 10:00 UTC in winter, 09:00 UTC in summer; 10:00 UTC is 10:00 or 11:00 local, both inside the hours.
  return { startsAt: new Date(day + 10 * 3_600_000), endsAt: new Date(day + 10.5 * 3_600_000) }
}

const STAFF_EDIT = { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403, advisor: 200, admin: 200 }

/**
 * Appointments: customers their own (another's is 404), mechanics read those assigned to them, the
 * desk everything; mechanics never write.
 */
export const appointmentsAccess = defineAccess<VehicleFixtures, AppointmentFixtures>({
  async fixtures(fx: BaseFixtures & VehicleFixtures) {
    const bays = await Promise.all(Array.from({ length: 8 }, (_, i) => insertBay(fx.db, { name: `Matrix bay ${i + 1}` })))
    let slot = 0
    let fresh = 0
    // Cells that change an appointment each get their own half hour on bay 2, one after another (inserted directly: no hours rule).
    const freshBase = slotDaysAhead(50).startsAt.getTime()
    const freshAppointmentA = async () => {
      const startsAt = new Date(freshBase + fresh++ * 30 * 60_000)
      const row = await insertAppointment(fx.db, {
        customerId: fx.customerA.id,
        vehicleId: fx.vehicleA.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 30 * 60_000),
        status: 'confirmed',
        bayId: bays[1]!.id,
        mechanicId: fx.assignedMechanic.id,
        serviceIds: [],
        requestedWork: 'Matrix',
        notes: null,
      })
      return { id: row.id }
    }
    const first = await insertAppointment(fx.db, {
      customerId: fx.customerA.id,
      vehicleId: fx.vehicleA.id,
      ...slotDaysAhead(40),
      status: 'confirmed',
      bayId: bays[0]!.id,
      mechanicId: fx.assignedMechanic.id,
      serviceIds: [],
      requestedWork: 'Brakes squeak',
      notes: null,
    })
    return {
      appointmentA: { id: first.id },
      freshAppointmentA,
      freshSlot() {
        const { startsAt, endsAt } = slotDaysAhead(1 + (slot++ % 30))
        return { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() }
      },
    }
  },
  rows: {
    'GET /api/availability': {
      expected: expectAll(200, { anonymous: 401 }),
      request: () => ({ url: `/api/availability?date=${slotDaysAhead(3).startsAt.toISOString().slice(0, 10)}` }),
    },
    'GET /api/appointments': {
      expected: expectAll(200, { anonymous: 401 }),
      request: () => ({ url: '/api/appointments' }),
    },
    'POST /api/appointments': {
      expected: { anonymous: 401, customerA: 201, customerB: 201, assignedMechanic: 403, mechanic: 403, advisor: 201, admin: 201 },
      request: (fx, actor: AccessActor) => ({ url: '/api/appointments', payload: { vehicleId: actor === 'customerB' ? fx.vehicleB.id : fx.vehicleA.id, ...fx.freshSlot() } }),
    },
    'GET /api/appointments/{id}': {
      expected: { anonymous: 401, customerA: 200, customerB: 404, assignedMechanic: 200, mechanic: 404, advisor: 200, admin: 200 },
      request: (fx) => ({ url: `/api/appointments/${fx.appointmentA.id}` }),
    },
    'PATCH /api/appointments/{id}': {
      expected: STAFF_EDIT,
      request: async (fx) => ({ url: `/api/appointments/${(await fx.freshAppointmentA()).id}`, payload: { notes: 'Call before starting' } }),
    },
    'POST /api/appointments/{id}/status': {
      expected: { anonymous: 401, customerA: 200, customerB: 404, assignedMechanic: 403, mechanic: 403, advisor: 200, admin: 200 },
      request: async (fx) => ({ url: `/api/appointments/${(await fx.freshAppointmentA()).id}/status`, payload: { status: 'cancelled' } }),
    },
  },
})
