/* The vehicles module's public face: what other modules may use of vehicles, and its registry entry. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { VEHICLE_PERMISSIONS } from './vehicles.policy.ts'
import { vehiclesAccountSubscriptions } from './account-subscriptions.ts'
import { vehiclesAccess } from './vehicles.access.ts'
import { VEHICLES_CACHE } from './vehicles.cache.ts'
import { VehicleErrors } from './vehicles.errors.ts'
import { vehiclesRoutes } from './vehicles.routes.ts'
import { vehicles } from './vehicles.table.ts'

export { vehicles, type VehicleRow } from './vehicles.table.ts'
export { VehicleErrors } from './vehicles.errors.ts'
export { VehicleSchema, OwnerSchema, toVehicle, type Owner, type Vehicle } from './vehicles.schemas.ts'
export { insertVehicle, insertVehicles, listOwnerVehicles } from './vehicles.repository.ts'
export { ALL_VEHICLES_TAG, allVehiclesTag, customerVehiclesTag, vehicleTag } from './vehicles.cache.ts'
export type { VehicleFixtures } from './vehicles.access.ts'
export { reachableVehicleIds } from './vehicles.policy.ts'

/** Customers' vehicles: the seed's VehicleListView and update_vehicle. */
export const vehiclesModule = defineModule({
  name: 'vehicles',
  plugins: [vehiclesAccountSubscriptions],
  apiTags: [{ name: 'vehicles', description: 'Vehicles: customers see their own, staff all of them' }],
  routes: [{ prefix: '/api/vehicles', plugin: vehiclesRoutes }],
  tables: { vehicles },
  cache: VEHICLES_CACHE,
  permissions: VEHICLE_PERMISSIONS,
  access: vehiclesAccess,
  errors: VehicleErrors,
})
