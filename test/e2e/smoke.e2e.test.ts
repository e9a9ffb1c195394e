import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, waitUntilReady, type ServerProcess } from './server-process.ts'

// The README's first command, end to end: the real process on the embedded default (PGlite in a
// fresh DATA_DIR, memory cache), seeded with the demo garage, over real HTTP.
// The password is generated per data folder and kept in its demo-logins.txt.
const DEMO_CUSTOMER = { email: 'customer1@ecar.demo', password: '' }

describe('smoke: npm start on the embedded default', () => {
  let server: ServerProcess
  let token: string
  let userId: number

  beforeAll(async () => {
    server = await startServer()
    await waitUntilReady(server, 60_000)
    DEMO_CUSTOMER.password = /password\s+(\S+)/.exec(readFileSync(path.join(server.dataDir, 'demo-logins.txt'), 'utf8'))![1]!
  }, 90_000)

  afterAll(async () => {
    await server?.cleanup()
  })

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(10_000) })
  const authorized = () => ({ authorization: `Bearer ${token}` })

  it('reports the embedded database up and has printed the demo logins', async () => {
    const res = await api('/readyz')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ db: 'up', cache: 'up' })
    expect(server.output()).toContain(DEMO_CUSTOMER.email)
    expect(server.output()).toContain(DEMO_CUSTOMER.password)
  })

  it('signs in the demo customer', async () => {
    const res = await api('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_CUSTOMER),
    })
    expect(res.status, server.output()).toBe(200)
    const body = (await res.json()) as { token: string; user: { id: number; email: string; role: string } }
    expect(body.token).toEqual(expect.any(String))
    expect(body.user).toMatchObject({ email: DEMO_CUSTOMER.email, role: 'customer', id: expect.any(Number) })
    token = body.token
    userId = body.user.id
  })

  it('refuses the vehicle list without a token', async () => {
    const res = await api('/api/vehicles')
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it("lists the customer's own seeded vehicles", async () => {
    expect(token, 'login must succeed first').toBeDefined()
    const res = await api('/api/vehicles', { headers: authorized() })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { items: Array<{ ownerId: number; vin: string }>; nextCursor: string | null }
    expect(body.items.length).toBeGreaterThanOrEqual(1)
    for (const vehicle of body.items) expect(vehicle.ownerId).toBe(userId)
  })

  it('GET /api/auth/me returns the signed-in user', async () => {
    expect(token, 'login must succeed first').toBeDefined()
    const res = await api('/api/auth/me', { headers: authorized() })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: userId, email: DEMO_CUSTOMER.email, role: 'customer' })
  })

  it('serves an OpenAPI document describing the vehicle routes', async () => {
    const res = await api('/openapi.json')
    expect(res.status).toBe(200)
    const spec = (await res.json()) as { paths?: Record<string, Record<string, unknown>> }
    expect(Object.keys(spec.paths ?? {})).toContain('/api/vehicles')
    expect(spec.paths?.['/api/vehicles']).toHaveProperty('get')
  })

  it('serves the API documentation page the README points to', async () => {
    const res = await api('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  })

  it('exits with code 0 within 15 s of SIGTERM', async () => {
    const { code, signal } = await server.stop('SIGTERM', 15_000)
    expect({ code, signal }, server.output()).toEqual({ code: 0, signal: null })
  }, 20_000)
})
