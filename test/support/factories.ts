import { randomBytes } from 'node:crypto'
import type { Db } from '../../src/platform/db/database.ts'
import type { Role } from '../../src/platform/auth/roles.ts'
import { hashPassword, UNUSABLE_PASSWORD_HASH } from '../../src/platform/auth/password.ts'
import { newToken, tokenHash } from '../../src/platform/auth/tokens.ts'
import { accountTokens, sessions, users, vehicles } from './tables.ts'

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
    .values({ email, name, role, passwordHash: await (testPasswordHash ??= hashPassword(TEST_PASSWORD, 1024)) })
    .returning({ id: users.id })
  const token = newToken()
  await db.insert(sessions).values({ tokenHash: tokenHash(token), userId: row!.id, expiresAt: new Date(Date.now() + 86_400_000) })
  return { id: row!.id, email, name, role, token, auth: { authorization: `Bearer ${token}` } }
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

/** A random valid VIN (17 characters, no I, O or Q). */
export function randomVin(): string {
  const bytes = randomBytes(17)
  return Array.from(bytes, (b) => VIN_CHARS[b % VIN_CHARS.length]).join('')
}

/** Inserts a vehicle for an owner; fields may be overridden. */
export async function createVehicle(db: Db, ownerId: number, fields: Partial<typeof vehicles.$inferInsert> = {}) {
  const [row] = await db
    .insert(vehicles)
    .values({
      ownerId,
      make: 'Ford',
      model: 'Focus',
      year: 2018,
      vin: randomVin(),
      licensePlate: `T-${randomBytes(3).toString('hex').toUpperCase()}`,
      mileage: 42_000,
      color: 'Blue',
      ...fields,
    })
    .returning()
  return row!
}

/** A new session for an existing user: a fresh bearer token, independent of any other session. */
export async function createSession(db: Db, userId: number): Promise<{ token: string; auth: { authorization: string } }> {
  const token = newToken()
  await db.insert(sessions).values({ tokenHash: tokenHash(token), userId, expiresAt: new Date(Date.now() + 86_400_000) })
  return { token, auth: { authorization: `Bearer ${token}` } }
}

/** A customer opened at the front desk: no password, no session. */
export async function createDeskCustomer(db: Db, fields: { name?: string; email?: string } = {}): Promise<{ id: number; email: string; name: string }> {
  const email = (fields.email ?? `desk-${unique()}@example.test`).toLowerCase()
  const name = fields.name ?? `desk ${unique()}`
  const [row] = await db.insert(users).values({ email, name, role: 'customer', passwordHash: UNUSABLE_PASSWORD_HASH }).returning({ id: users.id })
  return { id: row!.id, email, name }
}

/** A live one-time link token (reset or invitation) of a user, valid for `ttlMs` (negative: already expired). */
export async function createLinkToken(
  db: Db,
  userId: number,
  purpose: 'password_reset' | 'invitation',
  ttlMs = 3_600_000,
): Promise<{ token: string }> {
  const token = newToken()
  await db.insert(accountTokens).values({ tokenHash: tokenHash(token), userId, purpose, expiresAt: new Date(Date.now() + ttlMs) })
  return { token }
}
