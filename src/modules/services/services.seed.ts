import type { Executor } from '../../platform/db/database.ts'
import { insertMissingServices, listServices, type ServiceValues } from './services.repository.ts'
import type { ServiceRow } from './services.table.ts'

const service = (code: string, name: string, labourHours: number, description: string, intervalMonths: number | null = null, intervalKm: number | null = null): ServiceValues => ({
  code,
  name,
  labourHours,
  description,
  parts: [],
  intervalMonths,
  intervalKm,
  active: true,
})

/** The demo garage's catalogue: common jobs of an independent garage, with book times and intervals. */
export const DEMO_SERVICES: readonly ServiceValues[] = [
  service('OIL-FILTER', 'Oil and filter change', 0.5, 'Drain and refill engine oil to spec, new oil filter, reset the service light.', 12, 15_000),
  service('INTERIM', 'Interim service', 1.5, 'Oil and filter, fluid levels, lights, tyres, brakes and wipers checked.', 6, 10_000),
  service('FULL-SERVICE', 'Full service', 3, 'Interim service plus air, cabin and fuel filters, spark plugs where due, a full safety inspection.', 12, 20_000),
  service('MOT', 'MOT / annual inspection', 1, 'The annual roadworthiness test, with a report of advisories.', 12),
  service('BRAKE-PADS-F', 'Brake pads (front)', 1, 'Replace front brake pads, clean and grease the calipers, check the discs.'),
  service('BRAKE-PADS-R', 'Brake pads (rear)', 1, 'Replace rear brake pads, clean and grease the calipers, check the discs.'),
  service('BRAKE-DISCS', 'Brake discs and pads (per axle)', 1.5, 'Replace both discs and the pads of one axle.'),
  service('TYRE-FIT', 'Tyre fitting (each)', 0.5, 'Fit, balance and valve one tyre; old tyre disposed of.'),
  service('ALIGNMENT', 'Wheel alignment', 1, 'Four-wheel alignment check and adjustment to the maker\'s settings.'),
  service('DIAG', 'Diagnostics (per hour)', 1, 'Fault-code reading and diagnosis, charged by the hour.'),
  service('AIRCON', 'Air-con regas', 1, 'Evacuate, leak-test and recharge the air-conditioning.', 24),
  service('BATTERY', 'Battery replacement', 0.5, 'Test the charging system and fit a new battery, codes and memory kept.'),
  service('TIMING-BELT', 'Timing belt replacement', 4, 'Timing belt, tensioner and idlers; water pump where driven by the belt.', 60, 100_000),
  service('CLUTCH', 'Clutch replacement', 5, 'Clutch kit (plate, cover, release bearing); flywheel checked.'),
  service('COOLANT', 'Coolant flush', 1, 'Drain, flush and refill the cooling system with the specified antifreeze.', 48, 60_000),
]

/**
 * Inserts the demo services whose codes do not exist yet and returns the whole catalogue. For the
 * demo garage, on a database nothing has cached yet: it touches no tag.
 */
export async function seedCatalogue(tx: Executor): Promise<ServiceRow[]> {
  await insertMissingServices(tx, DEMO_SERVICES)
  return listServices(tx)
}
