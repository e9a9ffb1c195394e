/* The odometer module's public face: readings of vehicles, what the check-in flow and the demo use, and its registry entry. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { odometerAccess } from './odometer.access.ts'
import { ODOMETER_CACHE } from './odometer.cache.ts'
import { OdometerErrors } from './odometer.errors.ts'
import { ODOMETER_PERMISSIONS } from './odometer.policy.ts'
import { odometerRoutes } from './odometer.routes.ts'
import { odometerReadings } from './odometer.table.ts'
import { odometerVehicleSubscriptions } from './vehicle-subscriptions.ts'

export { odometerReadings, type ReadingRow, type ReadingSource } from './odometer.table.ts'
export { recordReading, type NewReading, type RecordedReading } from './odometer.service.ts'
export { convertDistance, toKm } from './odometer-units.ts'
export { vehicleOdometerTag } from './odometer.cache.ts'
export { reachableReadings } from './odometer.policy.ts'
export { seedReadings, type SeedReading } from './odometer-seed.ts'

/** Odometer readings: GET and POST /api/vehicles/:id/odometer; the vehicle's mileage follows its latest reading. */
export const odometerModule = defineModule({
  name: 'odometer',
  plugins: [odometerVehicleSubscriptions],
  apiTags: [{ name: 'odometer', description: "Odometer readings of vehicles: the vehicle's mileage is its latest reading" }],
  routes: [{ prefix: '/api/vehicles/:id/odometer', plugin: odometerRoutes }],
  tables: { odometerReadings },
  cache: ODOMETER_CACHE,
  permissions: ODOMETER_PERMISSIONS,
  access: odometerAccess,
  errors: OdometerErrors,
})
