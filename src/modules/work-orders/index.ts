/* The work-orders module's public face: its registry entry and what other modules and flows may use. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { estimatesShareRoutes } from './estimates-share.routes.ts'
import { estimatesRoutes } from './estimates.routes.ts'
import { workOrderDecisions, workOrderEstimates } from './estimates.table.ts'
import { jobsRoutes } from './jobs.routes.ts'
import { workOrdersAccess } from './work-orders.access.ts'
import { WORK_ORDERS_CACHE } from './work-orders.cache.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { WORK_ORDER_PERMISSIONS } from './work-orders.policy.ts'
import { workOrdersRoutes } from './work-orders.routes.ts'
import { workOrderVehicleSubscriptions } from './vehicle-subscriptions.ts'
import { workOrderInspections, workOrderJobs, workOrderLines, workOrders, workOrderTimeEntries } from './work-orders.table.ts'

export { OPEN_WORK_ORDER_STATUSES, WORK_ORDER_STATUSES, workOrderMachine, type WorkOrderStatus } from './work-order.machine.ts'
export { hasOpenWorkOrders } from './work-orders.repository.ts'
export { assertVehicleDeletable } from './vehicle-subscriptions.ts'
export { reachableWorkOrderIds } from './work-orders.policy.ts'
export { workOrderTag, allWorkOrdersTag, customerWorkOrdersTag, mechanicWorkOrdersTag, vehicleWorkOrdersTag } from './work-orders.cache.ts'
export { workOrderHistoryOf, type InspectionOfVehicle, type Recommendation, type VisitOfVehicle, type WorkOrderHistory } from './vehicle-history.ts'
export { WorkOrderErrors } from './work-orders.errors.ts'
export { WorkOrderStatusSchema } from './work-orders.schemas.ts'
export { seedEstimate } from './estimates.seed.ts'
export { createWorkOrderFromCheckIn, type CheckInAppointment } from './work-orders.flows.ts'
export { seedWorkOrders, type SeedWorkOrdersInput } from './work-orders.seed.ts'
export { workOrders, workOrderJobs, workOrderLines, type WorkOrderRow, type JobRow, type LineRow } from './work-orders.table.ts'
export type { WorkOrderFixtures } from './work-orders.access.ts'

/** Work orders: jobs, lines, the clock and the inspection. */
export const workOrdersModule = defineModule({
  name: 'work-orders',
  plugins: [workOrderVehicleSubscriptions],
  apiTags: [{ name: 'work-orders', description: 'Work orders (repair orders): jobs, lines, status, the mechanics\' clock and the inspection' }],
  routes: [
    { prefix: '/api/work-orders', plugin: workOrdersRoutes },
    { prefix: '/api/work-orders', plugin: jobsRoutes },
    { prefix: '/api/work-orders', plugin: estimatesRoutes },
    { prefix: '/api/estimates', plugin: estimatesShareRoutes },
  ],
  tables: { workOrders, workOrderJobs, workOrderLines, workOrderTimeEntries, workOrderInspections, workOrderEstimates, workOrderDecisions },
  cache: WORK_ORDERS_CACHE,
  permissions: WORK_ORDER_PERMISSIONS,
  access: workOrdersAccess,
  errors: WorkOrderErrors,
})
