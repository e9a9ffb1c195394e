import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../platform/auth/principal.ts'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { reachableVehicleIds, reachesVehicle } from './vehicles.policy.ts'

const actor = (user: TestUser, grant: Actor['grant']): Actor => ({ userId: user.id, role: user.role, email: user.email, name: user.name, sessionId: 'x', grant })

describe('the vehicles access function', () => {
  let t: TestApp
  let owner: TestUser
  let other: TestUser
  let ids: number[]
  beforeAll(async () => {
    t = await buildTestApp()
    ;[owner, other] = await Promise.all([createUser(t.app.db), createUser(t.app.db)])
    const rows = await Promise.all([createVehicle(t.app.db, owner.id), createVehicle(t.app.db, owner.id), createVehicle(t.app.db, other.id)])
    ids = rows.map((row) => row.id)
  })
  afterAll(async () => t?.close())

  it('answers for many ids in one call: an own grant reaches the owner\'s vehicles only, any reaches every existing one', async () => {
    const unknown = 2_000_000_000
    expect(await reachableVehicleIds(t.app.db, actor(owner, 'own'), [...ids, unknown])).toEqual(new Set([ids[0], ids[1]]))
    expect(await reachableVehicleIds(t.app.db, actor(other, 'own'), ids)).toEqual(new Set([ids[2]]))
    expect(await reachableVehicleIds(t.app.db, actor(other, 'any'), [...ids, unknown])).toEqual(new Set(ids))
    expect(await reachableVehicleIds(t.app.db, actor(other, 'assigned'), ids)).toEqual(new Set())
    expect(await reachableVehicleIds(t.app.db, actor(other, 'any'), [])).toEqual(new Set())
  })

  it('says the same for a row already loaded', () => {
    expect(reachesVehicle(actor(owner, 'own'), owner.id)).toBe(true)
    expect(reachesVehicle(actor(owner, 'own'), other.id)).toBe(false)
    expect(reachesVehicle(actor(owner, 'any'), other.id)).toBe(true)
    expect(reachesVehicle(actor(owner, 'assigned'), owner.id)).toBe(false)
  })
})
