import { randomBytes } from 'node:crypto'
import { defineAccess, expectAll } from '../../platform/http/access.ts'
import { insertService } from './services.repository.ts'

/** What the catalogue rows need: an active service (cells rename it, never deactivate it). */
export interface ServiceFixtures {
  service: { id: number }
  /** A service code no service has. */
  uniqueServiceCode(): string
}

const uniqueServiceCode = () => `MX-${randomBytes(5).toString('hex').toUpperCase()}`

/** Everyone signed in reads the catalogue; advisors and admins maintain it (customers and mechanics 403). */
export const servicesAccess = defineAccess<object, ServiceFixtures>({
  async fixtures(fx) {
    const row = await insertService(fx.db, { code: uniqueServiceCode(), name: 'Matrix service', description: '', labourHours: 1, parts: [], intervalMonths: null, intervalKm: null, active: true })
    return { service: { id: row.id }, uniqueServiceCode }
  },
  rows: {
    'GET /api/services': {
      expected: expectAll(200, { anonymous: 401 }),
      request: () => ({ url: '/api/services' }),
    },
    'POST /api/services': {
      expected: expectAll(403, { anonymous: 401, advisor: 201, admin: 201 }),
      request: (fx) => ({ url: '/api/services', payload: { code: fx.uniqueServiceCode(), name: 'Matrix job', labourHours: 0.75 } }),
    },
    'GET /api/services/{id}': {
      expected: expectAll(200, { anonymous: 401 }),
      request: (fx) => ({ url: `/api/services/${fx.service.id}` }),
    },
    'PATCH /api/services/{id}': {
      expected: expectAll(403, { anonymous: 401, advisor: 200, admin: 200 }),
      request: (fx) => ({ url: `/api/services/${fx.service.id}`, payload: { name: `Matrix service ${randomBytes(3).toString('hex')}` } }),
    },
  },
})
