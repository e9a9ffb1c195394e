/*
 * The module registry: every feature module, once, in dependency order (a module's plugins may use
 * what an earlier one decorates, and its access fixtures build on the earlier ones'). app.ts mounts
 * each entry; drizzle-kit, the CLI's cache commands, the authorization matrix, the error-code check
 * and docs/caching.md read the same list. A new module is its folder plus one line here.
 */
import type { ModuleDefinition } from '../platform/registry/module-definition.ts'
import { adminModule } from './admin/index.ts'
import { appointmentsModule } from './appointments/index.ts'
import { auditModule } from './audit/index.ts'
import { authModule } from './auth/index.ts'
import { baysModule } from './bays/index.ts'
import { customersModule } from './customers/index.ts'
import { healthModule } from './health/index.ts'
import { historyModule } from './history/index.ts'
import { mechanicsModule } from './mechanics/index.ts'
import { messagesModule } from './messages/index.ts'
import { odometerModule } from './odometer/index.ts'
import { servicesModule } from './services/index.ts'
import { shopModule } from './shop/index.ts'
import { usersModule } from './users/index.ts'
import { vehiclesModule } from './vehicles/index.ts'
import { vinModule } from './vin/index.ts'
import { workOrdersModule } from './work-orders/index.ts'

/** Every module, in the order it is registered. */
export const MODULES: readonly ModuleDefinition[] = [
  healthModule,
  usersModule,
  messagesModule,
  authModule,
  auditModule,
  shopModule,
  vinModule,
  vehiclesModule,
  odometerModule,
  customersModule,
  baysModule,
  mechanicsModule,
  servicesModule,
  appointmentsModule,
  workOrdersModule,
  historyModule,
  adminModule,
]
