import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { randomVin, type TestUser } from '../../../test/support/factories.ts'

/** A valid create body with a fresh VIN; fields may be overridden. */
export function vehicleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    make: 'Toyota',
    model: 'Corolla',
    year: 2020,
    vin: randomVin(),
    licensePlate: 'AB-123-C',
    mileage: 10_000,
    color: 'Red',
    ...overrides,
  }
}

/** `app.inject` as a user (or anonymously), with a JSON payload. */
export function caller(app: FastifyInstance) {
  return (user: TestUser | undefined, method: InjectOptions['method'], url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, ...(user ? { headers: user.auth } : {}), ...(payload === undefined ? {} : { payload: payload as object }) })
}

/** The distinct `field`s of a 400 problem's errors, sorted (one field can break several rules). */
export function errorFields(res: LightMyRequestResponse): string[] {
  const body = res.json() as { errors?: { field: string }[] }
  return [...new Set((body.errors ?? []).map((e) => e.field))].sort()
}
