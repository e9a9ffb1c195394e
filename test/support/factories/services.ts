import { randomBytes } from 'node:crypto'

/** A service code no other service has. */
export const uniqueServiceCode = () => `T-${randomBytes(5).toString('hex').toUpperCase()}`

/** A valid POST /api/services body with a fresh code; fields may be overridden. */
export function serviceBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { code: uniqueServiceCode(), name: 'Brake fluid change', labourHours: 0.75, intervalMonths: 24, intervalKm: null, ...overrides }
}
