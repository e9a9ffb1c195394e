import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { caller } from '../../../test/support/http.ts'

type Owner = { id: number; name: string; phone: string | null }

/**
 * Staff vehicle answers show the owner's current name and phone: warms every staff view on
 * `reader` (MISS, then HIT), changes the customer through every write that can on `writer` (an
 * admin's PATCH /api/users/:id, the customer's own PATCH /api/auth/me, the front desk's PATCH /api/customers/:id) and expects the next read
 * to show the change. `reader` and `writer` may be one app or two instances on one cache.
 */
export async function expectOwnerFreshAfterCustomerWrites(reader: FastifyInstance, writer: FastifyInstance): Promise<void> {
  const read = caller(reader)
  const write = caller(writer)
  const db = reader.db
  const advisor = await createUser(db, { role: 'advisor' })
  const admin = await createUser(db, { role: 'admin' })
  const customer: TestUser = await createUser(db, { name: 'Before Rename' })
  const vehicle = await createVehicle(db, customer.id)
  const views = [`/api/vehicles?ownerId=${customer.id}`, '/api/vehicles?limit=200', `/api/vehicles/${vehicle.id}`, `/api/customers/${customer.id}/vehicles`]

  const ownersSeen = async (expectedCache: string[]) => {
    const owners: Owner[] = []
    for (const url of views) {
      const res = await read(advisor, 'GET', url)
      expect(res.statusCode, url).toBe(200)
      expect([url, res.headers['x-cache']]).toEqual([url, expectedCache[views.indexOf(url)]])
      const body = res.json()
      const item = 'items' in body ? body.items.find((v: { id: number }) => v.id === vehicle.id) : body
      owners.push(item.owner)
    }
    return owners
  }
  const expectOwner = async (owner: Owner) => {
    // The write must invalidate: the first read after it is a MISS showing the change, the next a HIT.
    expect(await ownersSeen(['MISS', 'MISS', 'MISS', 'MISS'])).toEqual([owner, owner, owner, owner])
    expect(await ownersSeen(['HIT', 'HIT', 'HIT', 'HIT'])).toEqual([owner, owner, owner, owner])
  }

  await expectOwner({ id: customer.id, name: 'Before Rename', phone: null })

  const renamed = await write(admin, 'PATCH', `/api/users/${customer.id}`, { name: 'After Admin Rename' })
  expect(renamed.statusCode).toBe(200)
  await expectOwner({ id: customer.id, name: 'After Admin Rename', phone: null })

  const phoned = await write(customer, 'PATCH', '/api/auth/me', { phone: '07700 900555' })
  expect(phoned.statusCode).toBe(200)
  await expectOwner({ id: customer.id, name: 'After Admin Rename', phone: '07700 900555' })

  const self = await write(customer, 'PATCH', '/api/auth/me', { name: 'Own Rename' })
  expect(self.statusCode).toBe(200)
  await expectOwner({ id: customer.id, name: 'Own Rename', phone: '07700 900555' })

  const adminPhone = await write(admin, 'PATCH', `/api/users/${customer.id}`, { phone: null })
  expect(adminPhone.statusCode).toBe(200)
  await expectOwner({ id: customer.id, name: 'Own Rename', phone: null })

  const desk = await write(advisor, 'PATCH', `/api/customers/${customer.id}`, { name: 'Desk Rename', phone: '07700 900666' })
  expect(desk.statusCode).toBe(200)
  await expectOwner({ id: customer.id, name: 'Desk Rename', phone: '07700 900666' })
}
