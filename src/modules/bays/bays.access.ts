import { randomBytes } from 'node:crypto'
import { defineAccess, expectAll } from '../../platform/http/access.ts'
import { insertBay } from './bays.repository.ts'

/** What the bay rows need: a bay of their own (cells rename it). */
export interface BayFixtures {
  bay: { id: number }
}

const uniqueName = () => `Matrix bay ${randomBytes(4).toString('hex')}`

/** Staff read the bays (customers 403); only admins add or change one. */
export const baysAccess = defineAccess<object, BayFixtures>({
  async fixtures(fx) {
    const row = await insertBay(fx.db, { name: uniqueName() })
    return { bay: { id: row.id } }
  },
  rows: {
    'GET /api/bays': {
      expected: { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 },
      request: () => ({ url: '/api/bays' }),
    },
    'POST /api/bays': {
      expected: expectAll(403, { anonymous: 401, admin: 201 }),
      request: () => ({ url: '/api/bays', payload: { name: uniqueName() } }),
    },
    'PATCH /api/bays/{id}': {
      expected: expectAll(403, { anonymous: 401, admin: 200 }),
      request: (fx) => ({ url: `/api/bays/${fx.bay.id}`, payload: { name: uniqueName() } }),
    },
  },
})
