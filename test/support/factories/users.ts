import { randomBytes } from 'node:crypto'
import type { Db } from '../../../src/platform/db/database.ts'
import type { Role } from '../../../src/platform/auth/roles.ts'
import { hashPassword, UNUSABLE_PASSWORD_HASH } from '../../../src/platform/auth/password.ts'
import { newToken, tokenHash } from '../../../src/platform/auth/tokens.ts'
import { TEST_PASSWORD_HASH_COST } from '../app.ts'
import { bearer } from '../http.ts'
import { sessions, users } from '../tables.ts'

/** The password every factory user has. */
export const TEST_PASSWORD = 'correct horse battery'

let seq = 0
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(2).toString('hex')}`

/** A user inserted straight into the database, with a live session token. */
export interface TestUser {
  id: number
  email: string
  name: string
  role: Role
  token: string
  /** `{ authorization: 'Bearer …' }` for app.inject. */
  auth: { authorization: string }
}

// One hash for every factory user: hashing is bounded per process (PASSWORD_HASH_QUEUE), and 200
// users made at once would be refused, as a burst of 200 sign-ins is.
let testPasswordHash: Promise<string> | undefined

/** Inserts a user (customer by default) and a session for it. */
export async function createUser(db: Db, fields: { role?: Role; name?: string; email?: string } = {}): Promise<TestUser> {
  const role = fields.role ?? 'customer'
  const email = (fields.email ?? `${role}-${unique()}@example.test`).toLowerCase()
  const name = fields.name ?? `${role} ${unique()}`
  const [row] = await db
    .insert(users)
    .values({ email, name, role, passwordHash: await (testPasswordHash ??= hashPassword(TEST_PASSWORD, TEST_PASSWORD_HASH_COST)) })
    .returning({ id: users.id })
  const { token, auth } = await createSession(db, row!.id)
  return { id: row!.id, email, name, role, token, auth }
}

/** A new session for an existing user: a fresh bearer token, independent of any other session. */
export async function createSession(db: Db, userId: number): Promise<{ token: string; auth: { authorization: string } }> {
  const token = newToken()
  await db.insert(sessions).values({ tokenHash: tokenHash(token), userId, expiresAt: new Date(Date.now() + 86_400_000) })
  return { token, auth: bearer(token) }
}

/** A customer opened at the front desk: no password, no session. */
export async function createDeskCustomer(db: Db, fields: { name?: string; email?: string } = {}): Promise<{ id: number; email: string; name: string }> {
  const email = (fields.email ?? `desk-${unique()}@example.test`).toLowerCase()
  const name = fields.name ?? `desk ${unique()}`
  const [row] = await db.insert(users).values({ email, name, role: 'customer', passwordHash: UNUSABLE_PASSWORD_HASH }).returning({ id: users.id })
  return { id: row!.id, email, name }
}
