import { defineAccess, expectAll } from '../../platform/http/access.ts'

/** Every signed-in actor decodes VINs; anonymous callers get 401. */
export const vinAccess = defineAccess({
  rows: {
    'GET /api/vin/{vin}': {
      expected: expectAll(200, { anonymous: 401 }),
      request: () => ({ url: '/api/vin/1HGCM82633A004352' }),
    },
  },
})
