/* The customers module: the front desk's customer accounts and the seed's get_customer_vehicles. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { CUSTOMER_PERMISSIONS } from './customers.policy.ts'
import { customersAccountSubscriptions } from './account-subscriptions.ts'
import { customersAccess } from './customers.access.ts'
import { CUSTOMERS_CACHE } from './customers.cache.ts'
import { customersRoutes } from './customers.routes.ts'

export { customerVehiclesKey, CUSTOMER_VEHICLES_NAMESPACE } from './customers.cache.ts'
export { listCustomers } from './customers.repository.ts'
export { createCustomersService } from './customers.service.ts'

/** Customer accounts as the front desk sees them; the rows are the users module's. */
export const customersModule = defineModule({
  name: 'customers',
  plugins: [customersAccountSubscriptions],
  apiTags: [{ name: 'customers', description: 'Customer accounts as the front desk sees them, and their vehicles' }],
  routes: [{ prefix: '/api/customers', plugin: customersRoutes }],
  tables: {},
  cache: CUSTOMERS_CACHE,
  permissions: CUSTOMER_PERMISSIONS,
  access: customersAccess,
  errors: {},
})
