import type { Db } from '../../src/platform/db/database.ts'
import type { AccessActor } from '../../src/platform/http/access.ts'
import type { Role } from '../../src/platform/auth/roles.ts'
import { createUser, type TestUser } from './factories/users.ts'

/** A member of the cast: the signed-in actors of the access matrix. */
export type CastMember = Exclude<AccessActor, 'anonymous'>

/**
 * One signed-in user per actor, built once per test file (or per app) in `beforeAll`.
 *
 * Cast members are shared by every test of the file: a test may read and write the data they own
 * (vehicles, …), but a test that changes the actor itself (role, active, name or email, password,
 * logout, its sessions) must make its own user with `createUser`, or the tests after it meet a
 * different actor. Likewise a test that needs an account with nothing yet (an empty list, a cold
 * cache entry) makes its own.
 */
export type Cast = Readonly<Record<CastMember, TestUser>>

const ROLES: Readonly<Record<CastMember, Role>> = {
  customerA: 'customer',
  customerB: 'customer',
  mechanic: 'mechanic',
  assignedMechanic: 'mechanic',
  advisor: 'advisor',
  admin: 'admin',
}

/** Names or emails a file's assertions rely on (`{ customerA: { name: 'Jane Whitfield' } }`); the rest are unique. */
export type CastFields = Partial<Record<CastMember, { name?: string; email?: string }>>

/** The cast on `db`: two customers, two mechanics (the second for work assigned to a mechanic), an advisor and an admin, each with a live session. */
export async function castOf(db: Db, fields: CastFields = {}): Promise<Cast> {
  const members = Object.keys(ROLES) as CastMember[]
  const users = await Promise.all(members.map((member) => createUser(db, { role: ROLES[member], ...fields[member] })))
  return Object.freeze(Object.fromEntries(members.map((member, i) => [member, users[i]!])) as Record<CastMember, TestUser>)
}
