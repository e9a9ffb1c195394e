import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../support/app.ts'

const PASSWORD = 'a-Very-secret-passphrase'

describe('HTTP edges: problems, limits, request ids and logs', () => {
  let t: TestApp
  const logs: string[] = []
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk))
        done()
      },
    })
    t = await buildTestApp({ env: { LOG_LEVEL: 'debug', BODY_LIMIT_BYTES: '2048' }, logStream: stream })
  })
  afterAll(async () => t?.close())

  const register = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/auth/register', payload: payload as object, headers })

  it('answers a too large body with 413 problem+json and stores nothing', async () => {
    const res = await register({ email: 'big@example.test', password: PASSWORD, name: 'x'.repeat(5000) })
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'big@example.test', password: PASSWORD } })
    expect(login.statusCode).toBe(401)
  })

  it('answers malformed JSON with 400 and a wrong content type with 415', async () => {
    const malformed = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: '{"email": ', headers: { 'content-type': 'application/json' } })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json()).toMatchObject({ status: 400, title: 'Bad Request' })
    const text = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: 'email=a', headers: { 'content-type': 'text/plain' } })
    expect(text.statusCode).toBe(415)
    expect(text.headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('lists every invalid field', async () => {
    const res = await register({ email: 'not-an-email', password: 'short', name: '', extra: 1 })
    expect(res.statusCode).toBe(400)
    const fields = (res.json().errors as { field: string }[]).map((e) => e.field)
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.name', 'body.extra']))
  })

  it('answers a preflight without listed origins like an unknown route', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/vehicles',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    })
    expect(preflight.statusCode).toBe(404)
    expect(preflight.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('grants CORS to listed origins only', async () => {
    const cors = await buildTestApp({ testDb: t.testDb, env: { CORS_ORIGINS: 'https://portal.garage.example' } })
    try {
      const preflight = (origin: string) =>
        cors.app.inject({ method: 'OPTIONS', url: '/api/vehicles', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } })
      const allowed = await preflight('https://portal.garage.example')
      expect(allowed.statusCode).toBe(204)
      expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.garage.example')
      // No cookie session, so no credentialed CORS (issue #16, item 12): a listed origin gets bearer-token access only.
      expect(allowed.headers['access-control-allow-credentials']).toBeUndefined()
      const other = await preflight('https://evil.example')
      expect(other.headers['access-control-allow-origin']).toBeUndefined()
      const get = await cors.app.inject({ method: 'GET', url: '/api/vehicles', headers: { origin: 'https://portal.garage.example' } })
      expect(get.statusCode).toBe(401)
      expect(get.headers['access-control-allow-origin']).toBe('https://portal.garage.example')
      expect(get.headers['access-control-expose-headers']).toContain('x-cache')
    } finally {
      await cors.close()
    }
  })

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
    expect(given.headers['x-request-id']).toBe('abc-123')
    const made = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'no spaces allowed' } })
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('sends security headers and no CORS grant by default', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } })
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    const api = await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: { origin: 'https://evil.example' } })
    expect(api.statusCode).toBe(401)
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(api.headers['x-frame-options']).toBe('DENY')
    expect(api.headers['x-content-type-options']).toBe('nosniff')
    expect(api.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    expect(api.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('never writes passwords or tokens to the logs', async () => {
    const email = 'logs@example.test'
    const reg = await register({ email, password: PASSWORD, name: 'Log Checker' }, { 'x-request-id': 'log-check' })
    expect(reg.statusCode).toBe(201)
    const token = reg.json().token as string
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } })
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: `${PASSWORD}-wrong` } })
    await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })
    await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: { authorization: `Bearer ${token}` } })
    const all = logs.join('')
    expect(all).toContain('log-check') // the request was logged, with its id…
    expect(all).not.toContain(PASSWORD) // …but not its secrets
    expect(all).not.toContain(token)
  })
})
