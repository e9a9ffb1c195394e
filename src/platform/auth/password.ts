import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const KEY_LENGTH = 32

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
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

/** A hash no password matches: for accounts created without one (a customer added at the desk). */
export const UNUSABLE_PASSWORD_HASH = 'disabled$'
