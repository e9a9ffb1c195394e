/* The vehicles module's public face: what other modules may use of vehicles, and its registry entry. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { VEHICLE_PERMISSIONS } from './vehicles.policy.ts'
import { vehiclesAccountSubscriptions } from './account-subscriptions.ts'
import { vehicleEventsPlugin } from './vehicle-events.ts'
import { vehiclesAccess } from './vehicles.access.ts'
import { VEHICLES_CACHE } from './vehicles.cache.ts'
import { VehicleErrors } from './vehicles.errors.ts'
import { vehiclesRoutes } from './vehicles.routes.ts'
import { vehicles } from './vehicles.table.ts'

export { VehicleErrors } from './vehicles.errors.ts'
export { vehicles, type OdometerUnit, type VehicleRow } from './vehicles.table.ts'
export { VehicleSchema, OwnerSchema, OdometerUnitSchema, MAX_MILEAGE, toVehicle, type Owner, type Vehicle } from './vehicles.schemas.ts'
export { insertVehicle, insertVehicles, listOwnerVehicles, lockVehicle } from './vehicles.repository.ts'
export { setMileageFromReading } from './vehicle-mileage.ts'
export type { MileageChange, MileageChangeHandler, VehicleDeletingCheck, VehicleEvents } from './vehicle-events.ts'
export { ALL_VEHICLES_TAG, allVehiclesTag, customerVehiclesTag, vehicleTag } from './vehicles.cache.ts'
export type { VehicleFixtures } from './vehicles.access.ts'
export { reachableVehicleIds, reachesVehicle } from './vehicles.policy.ts'
export { vehicleNotFound } from './vehicles.service.ts'

/** Customers' vehicles: the seed's VehicleListView and update_vehicle. */
export const vehiclesModule = defineModule({
  name: 'vehicles',
  plugins: [vehicleEventsPlugin, vehiclesAccountSubscriptions],
  apiTags: [{ name: 'vehicles', description: 'Vehicles: customers see their own, staff all of them' }],
  routes: [{ prefix: '/api/vehicles', plugin: vehiclesRoutes }],
  tables: { vehicles },
  cache: VEHICLES_CACHE,
  permissions: VEHICLE_PERMISSIONS,
  access: vehiclesAccess,
  errors: VehicleErrors,
})
