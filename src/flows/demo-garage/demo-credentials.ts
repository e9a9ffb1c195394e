import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { like } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { users } from '../../modules/users/index.ts'

/** The domain every demo account's email is in. */
export const DEMO_EMAIL_DOMAIN = 'ecar.demo'

/**
 * A new demo password: 16 characters from 96 random bits. Each data folder gets its own, so the demo
 * logins of one installation say nothing about another's (a published password would).
 */
export function generateDemoPassword(): string {
  return randomBytes(12).toString('base64url')
}

/** The file, in the data folder, that keeps the demo logins after they were printed once. */
export function demoLoginsFile(dataDir: string): string {
  return path.join(dataDir, 'demo-logins.txt')
}

/** Writes the demo logins to their file, readable by the owner only (0600, also when it existed). */
export function saveDemoLogins(dataDir: string, text: string): string {
  const file = demoLoginsFile(dataDir)
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(file, text, { mode: 0o600 })
  // `mode` applies only to a new file: an older one (an earlier database) may have other bits.
  chmodSync(file, 0o600)
  return file
}

/** True when at least one demo account exists in the database. */
export async function demoAccountsExist(db: Executor): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(like(users.email, `%@${DEMO_EMAIL_DOMAIN}`))
    .limit(1)
  return rows.length > 0
}
