import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { createScryptSlots, type ScryptSlotLimits } from './scrypt-slots.ts'

const KEY_LENGTH = 32

// One bound per process: every app instance in the process shares the same libuv thread pool.
const slots = createScryptSlots({ concurrency: 2, queue: 64 })

/** Sets how many scrypt calls run at once in this process and how many may wait (from the settings). */
export function configurePasswordHashing(limits: ScryptSlotLimits): void {
  slots.configure(limits)
}

/** scrypt calls running and waiting in this process. */
export function passwordHashingStats(): { running: number; waiting: number } {
  return slots.stats()
}

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return slots.run(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
      }),
  )
}

function params(cost: number): ScryptOptions {
  // r=8, p=1 as recommended; maxmem leaves room for the largest allowed cost (128 * N * r bytes).
  return { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 + 1024 * 1024 }
}

/**
 * Hashes a password with scrypt (memory-hard, in Node's own crypto: no native add-on to build).
 * The result carries its parameters: `scrypt$N$r$p$salt$key`, so the cost can be raised later.
 */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, params(cost))
  return `scrypt$${cost}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const cost = Number(parts[1])
  if (!Number.isInteger(cost) || cost < 2 || cost > 1_048_576) return false
  const expected = Buffer.from(parts[5]!, 'base64url')
  const actual = await scryptAsync(password, Buffer.from(parts[4]!, 'base64url'), params(cost))
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** True when a stored scrypt hash is weaker than `cost` (or not r=8, p=1): sign-in then rehashes it. */
export function needsRehash(stored: string, cost: number): boolean {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  return Number(parts[1]) < cost || parts[2] !== '8' || parts[3] !== '1'
}

/** A hash no password matches: for accounts created without one (a customer added at the desk). */
export const UNUSABLE_PASSWORD_HASH = 'disabled$'
