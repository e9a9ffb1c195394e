import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { castOf, type Cast, type CastMember } from './actors.ts'
import { buildTestApp, type TestApp } from './app.ts'
import { caller } from './http.ts'

describe('test support: the cast', () => {
  let t: TestApp
  let cast: Cast
  beforeAll(async () => {
    t = await buildTestApp()
    cast = await castOf(t.app.db, { customerA: { name: 'Named Customer' }, admin: { email: 'Cast-Admin@Example.TEST' } })
  })
  afterAll(async () => t?.close())

  it('has one distinct, signed-in user per actor, with the actor’s role', async () => {
    const roles: Record<CastMember, string> = {
      customerA: 'customer',
      customerB: 'customer',
      mechanic: 'mechanic',
      assignedMechanic: 'mechanic',
      advisor: 'advisor',
      admin: 'admin',
    }
    expect(Object.keys(cast).sort()).toEqual(Object.keys(roles).sort())
    expect(new Set(Object.values(cast).map((u) => u.id)).size).toBe(6)
    for (const [member, user] of Object.entries(cast) as [CastMember, Cast[CastMember]][]) {
      const me = await caller(t.app)(user, 'GET', '/api/auth/me')
      expect(me.statusCode, member).toBe(200)
      expect(me.json()).toMatchObject({ id: user.id, email: user.email, name: user.name, role: roles[member] })
    }
  })

  it('takes the names and emails a file relies on (emails lower-cased, as sign-up stores them)', () => {
    expect(cast.customerA.name).toBe('Named Customer')
    expect(cast.admin.email).toBe('cast-admin@example.test')
  })

  it('is frozen: a test cannot swap a member for the tests after it', () => {
    expect(Object.isFrozen(cast)).toBe(true)
  })
})
