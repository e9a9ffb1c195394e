/* The vin module: the offline VIN decoder, served as GET /api/vin/:vin and used by vehicles for the check-digit warning. */
import { NO_CACHE } from '../../platform/cache/cache-declaration.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { vinAccess } from './vin.access.ts'
import { VIN_PERMISSIONS } from './vin.policy.ts'
import { vinRoutes } from './vin.routes.ts'

export { checkDigitWarning, decodeVin, vinCheckDigit, type VinDecoding } from './vin-decode.ts'

/** GET /api/vin/:vin (anyone signed in). */
export const vinModule = defineModule({
  name: 'vin',
  apiTags: [{ name: 'vin', description: 'VIN decoding from offline tables: region, country, manufacturer, model years, check digit' }],
  routes: [{ prefix: '/api/vin', plugin: vinRoutes }],
  tables: {},
  // Not cached: decoding is a pure computation over tables in memory.
  cache: NO_CACHE,
  permissions: VIN_PERMISSIONS,
  access: vinAccess,
  errors: {},
})
