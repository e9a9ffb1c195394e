import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { count } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest'
import { buildTestApp, createTestDatabase, type TestApp } from '../../../test/support/app.ts'
import { bootstrapData } from '../../bootstrap.ts'
import { users } from '../../modules/users/index.ts'
import { vehicles } from '../../modules/vehicles/index.ts'
import { vinCheckDigit } from '../../modules/vin/index.ts'
import { demoLoginsFile } from './demo-credentials.ts'

const DEMO_EMAILS = [
  'admin@ecar.demo',
  'advisor@ecar.demo',
  'mechanic1@ecar.demo',
  'mechanic2@ecar.demo',
  ...Array.from({ length: 20 }, (_, i) => `customer${i + 1}@ecar.demo`),
]

/** The demo password as kept in the data folder's logins file. */
function keptPassword(dataDir: string): string {
  return /password\s+(\S+)/.exec(readFileSync(demoLoginsFile(dataDir), 'utf8'))![1]!
}

let seq = 0
const address = () => `10.9.0.${(seq++ % 250) + 1}`

describe('demo garage', () => {
  let t: TestApp
  let log: MockInstance<typeof console.log>
  let dataDir: string
  let demoPassword: string
  beforeAll(async () => {
    log = vi.spyOn(console, 'log').mockImplementation(() => {})
    dataDir = mkdtempSync(path.join(tmpdir(), 'ecar-demo-'))
    t = await buildTestApp({ env: { ECAR_DEMO: 'true', DATA_DIR: dataDir } })
  })
  afterAll(async () => {
    log.mockRestore()
    await t?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  afterEach(() => log.mockClear())

  it('seeds 24 accounts and their vehicles into an empty database, and prints the logins once', async () => {
    await bootstrapData(t.app)
    const accounts = await t.app.db.select().from(users)
    expect(accounts.map((u) => u.email).sort()).toEqual([...DEMO_EMAILS].sort())
    const roles = accounts.reduce<Record<string, number>>((acc, u) => ({ ...acc, [u.role]: (acc[u.role] ?? 0) + 1 }), {})
    expect(roles).toEqual({ admin: 1, advisor: 1, mechanic: 2, customer: 20 })
    expect(accounts.every((u) => u.active && u.name.length > 0 && u.phone)).toBe(true)

    const cars = await t.app.db.select().from(vehicles)
    expect(cars.length).toBeGreaterThanOrEqual(20)
    const customerIds = new Set(accounts.filter((u) => u.role === 'customer').map((u) => u.id))
    const perOwner = new Map<number, number>()
    for (const car of cars) perOwner.set(car.ownerId, (perOwner.get(car.ownerId) ?? 0) + 1)
    expect([...perOwner.keys()].sort()).toEqual([...customerIds].sort())
    expect([...perOwner.values()].every((n) => n >= 1 && n <= 3)).toBe(true)
    expect(new Set(cars.map((c) => c.vin)).size).toBe(cars.length)
    expect(new Set(cars.map((c) => c.licensePlate)).size).toBe(cars.length)
    const nextYear = new Date().getUTCFullYear() + 1
    for (const car of cars) {
      expect(car.vin).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/)
      expect(car.vin[8]).toBe(vinCheckDigit(car.vin))
      expect(car.year).toBeGreaterThanOrEqual(1886)
      expect(car.year).toBeLessThanOrEqual(nextYear)
      expect(car.mileage).toBeGreaterThanOrEqual(0)
      expect(car.make && car.model && car.color && car.licensePlate).toBeTruthy()
    }

    expect(log).toHaveBeenCalledTimes(1)
    const banner = String(log.mock.calls[0]![0])
    demoPassword = keptPassword(dataDir)
    for (const text of ['admin@ecar.demo', 'advisor@ecar.demo', 'mechanic1@ecar.demo', 'customer1@ecar.demo', 'customer20@ecar.demo', demoPassword]) {
      expect(banner).toContain(text)
    }
    expect(banner).toContain(demoLoginsFile(dataDir))
  })

  it('shows a shop mid-week: bays, a catalogue, odometer histories, appointments over the coming week and work orders in every status', async () => {
    const signIn = async (email: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: keptPassword(dataDir) }, remoteAddress: address() })).json().token as string
    const advisor = { authorization: `Bearer ${await signIn('advisor@ecar.demo')}` }
    const get = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url, headers: advisor })
      expect(res.statusCode, url).toBe(200)
      return res.json()
    }
    expect((await get('/api/bays')).items.length).toBe(4)
    const services = (await get('/api/services?limit=200')).items as { name: string; estimatePriceCents: number }[]
    expect(services.length).toBeGreaterThanOrEqual(15)
    expect(services.every((s) => s.estimatePriceCents > 0)).toBe(true)
    const appointments = (await get('/api/appointments?limit=200')).items as { status: string; startsAt: string }[]
    expect(new Set(appointments.map((a) => a.status))).toEqual(new Set(['requested', 'confirmed', 'checked_in', 'cancelled', 'no_show']))
    expect(appointments.some((a) => Date.parse(a.startsAt) > Date.now() + 5 * 86_400_000)).toBe(true)
    const orders = (await get('/api/work-orders?limit=200')).items as { id: number; status: string }[]
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set(['draft', 'awaiting_approval', 'approved', 'in_progress', 'completed', 'invoiced', 'declined', 'void']))
    const inProgress = await get(`/api/work-orders/${orders.find((o) => o.status === 'in_progress')!.id}`)
    expect(inProgress.jobs.length).toBeGreaterThan(0)
    expect(inProgress.totals.totalCents).toBeGreaterThan(0)
    // Sent, decided (on the portal, through the link, by phone, in person), inspected; declined work stays as a recommendation.
    const methods = new Set<string>()
    for (const order of orders) {
      for (const a of (await get(`/api/work-orders/${order.id}/approvals`)).items as { method: string }[]) methods.add(a.method)
    }
    expect(methods).toEqual(new Set(['portal', 'share_link', 'phone', 'in_person']))
    expect(inProgress.estimate).toMatchObject({ version: 1 })
    expect((await get(`/api/work-orders/${inProgress.id}/inspection`)).items.length).toBeGreaterThan(0)
    const completed = await get(`/api/work-orders/${orders.find((o) => o.status === 'completed')!.id}`)
    const history = await get(`/api/vehicles/${completed.vehicleId}/history`)
    expect(history.recommendations).toContainEqual(expect.objectContaining({ workOrderId: completed.id }))
    const car = (await get('/api/vehicles?limit=1')).items[0] as { id: number; mileage: number }
    const readings = (await get(`/api/vehicles/${car.id}/odometer`)).items as { value: number }[]
    expect(readings.length).toBe(2)
    expect(readings[0]!.value).toBe(car.mileage)
  })

  it('generates the password for this data folder and keeps it in an owner-only file', () => {
    expect(demoPassword.length).toBeGreaterThanOrEqual(10)
    expect(demoPassword).not.toBe('ecar-demo-password')
    expect(statSync(demoLoginsFile(dataDir)).mode & 0o777).toBe(0o600)
  })

  it('changes nothing when called again', async () => {
    const before = { users: await t.app.db.select().from(users), vehicles: await t.app.db.select().from(vehicles) }
    await bootstrapData(t.app)
    expect(await t.app.db.select().from(users)).toEqual(before.users)
    expect(await t.app.db.select().from(vehicles)).toEqual(before.vehicles)
    expect(log).not.toHaveBeenCalled()
  })

  it('lets a demo customer and the demo admin sign in with the demo password', async () => {
    for (const email of ['customer7@ecar.demo', 'admin@ecar.demo']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: demoPassword }, remoteAddress: address() })
      expect(res.statusCode, email).toBe(200)
      expect(res.json().user.email).toBe(email)
    }
  })
})

describe('demo garage start-up variants', () => {
  let log: MockInstance<typeof console.log>
  beforeAll(() => {
    log = vi.spyOn(console, 'log').mockImplementation(() => {})
  })
  afterAll(() => log.mockRestore())
  const countUsers = async (t: TestApp) => (await t.app.db.select({ n: count() }).from(users))[0]!.n

  it('seeds once when two processes start on the same empty database at the same time', async () => {
    const testDb = await createTestDatabase()
    const a = await buildTestApp({ env: { ECAR_DEMO: 'true' }, testDb })
    const b = await buildTestApp({ env: { ECAR_DEMO: 'true' }, testDb })
    try {
      await Promise.all([bootstrapData(a.app), bootstrapData(b.app)])
      expect(await countUsers(a)).toBe(24)
      expect(log).toHaveBeenCalledTimes(1)
    } finally {
      await a.close()
      await b.close()
      await testDb.drop()
    }
  })

  it('seeds nothing when ECAR_DEMO is false', async () => {
    const t = await buildTestApp({ env: { ECAR_DEMO: 'false' } })
    try {
      await bootstrapData(t.app)
      expect(await countUsers(t)).toBe(0)
    } finally {
      await t.close()
    }
  })

  it('with ECAR_ADMIN_* set, seeds the demo garage and the configured admin together', async () => {
    const t = await buildTestApp({ env: { ECAR_DEMO: 'true', ECAR_ADMIN_EMAIL: 'Owner@Garage.test', ECAR_ADMIN_PASSWORD: 'owner passphrase 1' } })
    try {
      await bootstrapData(t.app)
      const accounts = await t.app.db.select().from(users)
      expect(accounts).toHaveLength(25)
      expect(accounts.find((u) => u.email === 'owner@garage.test')).toMatchObject({ role: 'admin', active: true })
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'owner@garage.test', password: 'owner passphrase 1' },
        remoteAddress: address(),
      })
      expect(res.statusCode).toBe(200)
    } finally {
      await t.close()
    }
  })
})
