import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessions, users, vehicles } from '../support/tables.ts'
import { newToken, tokenHash } from '../../src/platform/auth/tokens.ts'
import { hashPassword } from '../../src/platform/auth/password.ts'
import { buildTestApp, type TestApp } from '../support/app.ts'
import { TEST_PASSWORD } from '../support/factories/users.ts'
import { randomVin } from '../support/factories/vehicles.ts'
import { crossUserFigures } from '../support/long-run.ts'

// Repetitions after the first begin with every customer renaming its vehicle at once (long variant only).
const { users: USERS, repetitions: REPETITIONS } = crossUserFigures

interface Customer {
  id: number
  vehicleId: number
  model: string
  auth: { authorization: string }
}

interface Answer {
  who: Customer
  what: 'list' | 'one' | 'customerVehicles'
  status: number
  xCache: string | undefined
  body: unknown
}

describe(`cross-user cache: ${USERS} customers on the same URLs at once`, () => {
  let t: TestApp
  const customers: Customer[] = []

  beforeAll(async () => {
    t = await buildTestApp()
    const db = t.app.db
    const passwordHash = await hashPassword(TEST_PASSWORD, 1024)
    // Bulk inserts: 300 factory calls would spend the time budget on round trips.
    const rows = await db
      .insert(users)
      .values(Array.from({ length: USERS }, (_, i) => ({ email: `xu-${i}-${Date.now()}@example.test`, name: `Cross ${i}`, role: 'customer' as const, passwordHash })))
      .returning({ id: users.id })
    const cars = await db
      .insert(vehicles)
      .values(rows.map((r) => ({ ownerId: r.id, make: 'Make', model: `Model-${r.id}`, year: 2015, vin: randomVin(), licensePlate: `X-${r.id}`, mileage: 1, color: 'Red' })))
      .returning({ id: vehicles.id, ownerId: vehicles.ownerId, model: vehicles.model })
    const tokens = rows.map(() => newToken())
    await db.insert(sessions).values(rows.map((r, i) => ({ tokenHash: tokenHash(tokens[i]!), userId: r.id, expiresAt: new Date(Date.now() + 86_400_000) })))
    const carOf = new Map(cars.map((c) => [c.ownerId, c]))
    rows.forEach((r, i) => {
      const car = carOf.get(r.id)!
      customers.push({ id: r.id, vehicleId: car.id, model: car.model, auth: { authorization: `Bearer ${tokens[i]}` } })
    })
  })
  afterAll(async () => t?.close())

  /** All customers' three requests, all in flight together. */
  async function round(): Promise<Answer[]> {
    const requests = customers.flatMap((who) =>
      (
        [
          ['list', '/api/vehicles'],
          ['one', `/api/vehicles/${who.vehicleId}`],
          ['customerVehicles', `/api/customers/${who.id}/vehicles`],
        ] as const
      ).map(async ([what, url]) => {
        const res = await t.app.inject({ method: 'GET', url, headers: who.auth })
        return { who, what, status: res.statusCode, xCache: res.headers['x-cache'] as string | undefined, body: res.json() } satisfies Answer
      }),
    )
    return Promise.all(requests)
  }

  /** Why an answer is not its requester's own, or undefined when it is. */
  function foreign(a: Answer): string | undefined {
    if (a.status !== 200) return `status ${a.status}`
    const items = a.what === 'one' ? [a.body] : (a.body as { items: unknown[] }).items
    if (items.length !== 1) return `${items.length} items`
    const v = items[0] as { id: number; ownerId: number; model: string }
    if (v.ownerId !== a.who.id || v.model !== a.who.model || v.id !== a.who.vehicleId) return `got vehicle ${v.id} of owner ${v.ownerId} (${v.model})`
    return undefined
  }

  /** Every customer renames its vehicle, all at once: each write must invalidate exactly its owner's entries. */
  async function renameAll(repetition: number) {
    const answers = await Promise.all(
      customers.map(async (who) => {
        const model = `Model-${who.id}-r${repetition}`
        const res = await t.app.inject({ method: 'PATCH', url: `/api/vehicles/${who.vehicleId}`, headers: who.auth, payload: { model } })
        if (res.statusCode === 200) who.model = model
        return res.statusCode
      }),
    )
    expect(answers.filter((status) => status !== 200)).toEqual([])
  }

  it(
    'serves every requester their own data, MISS when cold and HIT when warm',
    async () => {
      for (let repetition = 1; repetition <= REPETITIONS; repetition++) {
        if (repetition > 1) await renameAll(repetition)
        for (const [pass, wanted] of [
          ['cold', 'MISS'],
          ['warm', 'HIT'],
        ] as const) {
          const label = REPETITIONS > 1 ? `${pass} (repetition ${repetition}/${REPETITIONS})` : pass
          const answers = await round()
          expect(answers).toHaveLength(USERS * 3)
          const wrong = answers
            .map((a) => ({ a, why: foreign(a) }))
            .filter((x) => x.why !== undefined)
            .map(({ a, why }) => `${label} ${a.what} for customer ${a.who.id}: ${why}`)
          expect(wrong).toEqual([])
          const badCache = answers.filter((a) => a.xCache !== wanted).map((a) => `${label} ${a.what} for ${a.who.id}: X-Cache ${a.xCache}`)
          expect(badCache).toEqual([])
        }
      }
    },
    30_000 * REPETITIONS * (USERS / 300),
  )
})
