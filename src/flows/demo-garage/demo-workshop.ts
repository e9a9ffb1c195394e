import { seedAppointments } from '../../modules/appointments/index.ts'
import { seedBays } from '../../modules/bays/index.ts'
import { seedReadings } from '../../modules/odometer/index.ts'
import { seedCatalogue } from '../../modules/services/index.ts'
import { readShop } from '../../modules/shop/index.ts'
import { seedWorkOrders } from '../../modules/work-orders/index.ts'
import type { Executor } from '../../platform/db/database.ts'

const DAY = 86_400_000

/** What the workshop part of the demo adds. */
export interface DemoWorkshop {
  bays: number
  services: number
  appointments: number
  workOrders: number
}

/**
 * The shop floor of the demo garage, mid-week: its bays and catalogue, each vehicle's odometer
 * history (a reading a year ago and one a month ago, the last its current mileage), appointments
 * from yesterday to a week ahead in every status, and a work order in every status with jobs,
 * lines, time entries and an inspection. Runs in the demo's transaction on an empty database, so
 * nothing is cached yet and nothing is touched.
 */
export async function seedDemoWorkshop(
  tx: Executor,
  input: { accounts: readonly { id: number; role: string }[]; vehicles: readonly { id: number; ownerId: number; mileage: number }[]; now: Date },
): Promise<DemoWorkshop> {
  const bays = await seedBays(tx)
  const services = await seedCatalogue(tx)
  const now = input.now.getTime()
  await seedReadings(
    tx,
    input.vehicles.flatMap((v) => [
      { vehicleId: v.id, value: Math.max(0, v.mileage - 12_000), unit: 'km' as const, recordedAt: new Date(now - 365 * DAY) },
      { vehicleId: v.id, value: v.mileage, unit: 'km' as const, recordedAt: new Date(now - 30 * DAY) },
    ]),
  )
  const mechanics = input.accounts.filter((a) => a.role === 'mechanic')
  const customers = input.accounts.filter((a) => a.role === 'customer')
  const advisor = input.accounts.find((a) => a.role === 'advisor') ?? input.accounts.find((a) => a.role === 'admin')
  const appointments = await seedAppointments(tx, { customers, vehicles: input.vehicles, bays, mechanics, now: input.now })
  const shop = await readShop(tx)
  // The orders take the second half of the vehicles, so a car is not both booked and on a lift in two stories at once.
  const orderVehicles = input.vehicles.slice(Math.floor(input.vehicles.length / 2))
  const workOrders = advisor
    ? await seedWorkOrders(tx, { vehicles: orderVehicles, mechanicIds: mechanics.map((m) => m.id), advisorId: advisor.id, labourRateCents: shop.labourRateCents })
    : []
  return { bays: bays.length, services: services.length, appointments: appointments.length, workOrders: workOrders.length }
}
