import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientErrorHandler } from '../../src/platform/http/client-errors.ts'
import { buildTestApp, type TestApp } from '../support/app.ts'
import { createUser, type TestUser } from '../support/factories/users.ts'
import { createVehicle, randomVin } from '../support/factories/vehicles.ts'

const PASSWORD = 'a-Very-secret-passphrase'
const JSON_TYPE = { 'content-type': 'application/json' }

/** Sends raw bytes to a listening address and returns everything the server writes before closing. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')))
    socket.on('error', () => resolve(answer))
    socket.on('close', () => resolve(answer))
    socket.on('connect', () => socket.write(bytes))
    setTimeout(() => reject(new Error(`no close; got ${answer.slice(0, 200)}`)), 10_000).unref()
  })
}

describe('small HTTP things users hit (#13.10, #16.12)', () => {
  let t: TestApp
  let admin: TestUser
  let customer: TestUser
  beforeAll(async () => {
    t = await buildTestApp()
    admin = await createUser(t.app.db, { role: 'admin' })
    customer = await createUser(t.app.db, { role: 'customer' })
  })
  afterAll(async () => t?.close())

  it('a 415 says to send application/json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: 'email=a', headers: { 'content-type': 'text/plain' } })
    expect(res.statusCode).toBe(415)
    expect(res.json().detail).toContain('send it with Content-Type: application/json')
  })

  it('a DELETE and a logout with content-type application/json and no body succeed', async () => {
    const vehicle = await createVehicle(t.app.db, customer.id)
    const del = await t.app.inject({ method: 'DELETE', url: `/api/vehicles/${vehicle.id}`, headers: { ...customer.auth, ...JSON_TYPE } })
    expect(del.statusCode).toBe(204)
    const session = await createUser(t.app.db)
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...session.auth, ...JSON_TYPE } })
    expect(logout.statusCode).toBe(204)
  })

  it('an empty JSON body where one is needed is still a 400 naming the body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: { ...admin.auth, ...JSON_TYPE }, payload: '' })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([{ field: 'body', message: 'must be object' }])
  })

  it('a __proto__ key is refused as such, with its field, not as "not valid JSON"', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: { ...customer.auth, ...JSON_TYPE }, payload: '{"name":"P","__proto__":{"role":"admin"}}' })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json().detail).toContain('__proto__')
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.__proto__' })])
  })

  it('a NUL names its field, in a body and in a query', async () => {
    const body = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: customer.auth, payload: { name: 'Nul\u0000Name' } })
    expect(body.statusCode).toBe(400)
    expect(body.json().errors).toEqual([expect.objectContaining({ field: 'body.name', message: expect.stringContaining('NUL') })])
    const query = await t.app.inject({ method: 'GET', url: '/api/vehicles?q=a%00b', headers: admin.auth })
    expect(query.statusCode).toBe(400)
    expect(query.json().errors).toEqual([expect.objectContaining({ field: 'querystring.q' })])
  })

  it('a lone surrogate is refused, not stored as U+FFFD', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: { ...customer.auth, ...JSON_TYPE }, payload: '{"name":"Jo \\ud800 Driver"}' })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.name', message: expect.stringContaining('surrogate') })])
    const me = await t.app.inject({ url: '/api/auth/me', headers: customer.auth })
    expect(me.json().name).toBe(customer.name)
  })

  it('a body that is not UTF-8 is refused', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: { ...customer.auth, ...JSON_TYPE }, payload: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) })
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toContain('UTF-8')
  })

  it('validation messages use the schema wording, not regular expressions', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/vehicles',
      headers: admin.auth,
      payload: { ownerId: customer.id, make: 'Ford', model: 'Ka', year: 2010, vin: 'IOQ', licensePlate: 'X', mileage: 1, color: 'Red' },
    })
    expect(res.statusCode).toBe(400)
    const messages = (res.json().errors as { message: string }[]).map((e) => e.message).join(' | ')
    expect(messages).toContain('17 characters A-Z and 0-9 without I, O and Q')
    expect(messages).not.toMatch(/pattern|\^|\$/)
    const phone = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: customer.auth, payload: { phone: 'call me' } })
    expect(phone.json().errors).toContainEqual({ field: 'body.phone', message: 'must be digits, spaces and + ( ) . / -' })
    const email = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'x', password: 'y' } })
    expect(email.statusCode).toBe(401)
  })

  it('names are trimmed, and a name of zero-width characters is refused', async () => {
    const trimmed = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: customer.auth, payload: { name: '  Jo Driver \t' } })
    expect(trimmed.statusCode).toBe(200)
    expect(trimmed.json().name).toBe('Jo Driver')
    for (const name of ['\u200B', '\u200B\u200C\uFEFF', ' \u2060 ']) {
      const res = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: customer.auth, payload: { name } })
      expect(res.statusCode, JSON.stringify(name)).toBe(400)
      expect(res.json().errors).toContainEqual({ field: 'body.name', message: 'must contain a visible character' })
    }
  })

  it('the bearer scheme is case-insensitive', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `${scheme} ${customer.token}` } })
      expect(res.statusCode, scheme).toBe(200)
    }
  })

  it('path ids are decimal digits only', async () => {
    const vehicle = await createVehicle(t.app.db, customer.id)
    expect((await t.app.inject({ url: `/api/vehicles/${vehicle.id}`, headers: admin.auth })).statusCode).toBe(200)
    const hex = `0x${vehicle.id.toString(16)}`
    for (const id of [hex, `${vehicle.id}e0`, `%20${vehicle.id}`, `${vehicle.id}%20`, `+${vehicle.id}`, `${vehicle.id}.0`]) {
      const res = await t.app.inject({ url: `/api/vehicles/${id}`, headers: admin.auth })
      expect(res.statusCode, id).toBe(400)
      expect(res.json().errors).toEqual([{ field: 'params.id', message: 'must be written in decimal digits only' }])
    }
    expect((await t.app.inject({ url: '/api/vehicles?ownerId=0x10', headers: admin.auth })).statusCode).toBe(400)
  })

  it('a PATCH that changes nothing keeps updatedAt', async () => {
    const vehicle = await createVehicle(t.app.db, customer.id, { color: 'Blue' })
    const before = (await t.app.inject({ url: `/api/vehicles/${vehicle.id}`, headers: admin.auth })).json().updatedAt as string
    await new Promise((r) => setTimeout(r, 20))
    const same = await t.app.inject({ method: 'PATCH', url: `/api/vehicles/${vehicle.id}`, headers: admin.auth, payload: { color: 'Blue' } })
    expect(same.statusCode).toBe(200)
    expect(same.json().updatedAt).toBe(before)
    const changed = await t.app.inject({ method: 'PATCH', url: `/api/vehicles/${vehicle.id}`, headers: admin.auth, payload: { color: 'Red' } })
    expect(changed.json().updatedAt).not.toBe(before)

    const staff = await createUser(t.app.db, { role: 'mechanic', name: 'Mo Mechanic' })
    const userBefore = (await t.app.inject({ url: `/api/users/${staff.id}`, headers: admin.auth })).json().updatedAt as string
    const sameUser = await t.app.inject({ method: 'PATCH', url: `/api/users/${staff.id}`, headers: admin.auth, payload: { name: 'Mo Mechanic', role: 'mechanic' } })
    expect(sameUser.statusCode).toBe(200)
    expect(sameUser.json().updatedAt).toBe(userBefore)
  })

  it('every 201 carries a Location that leads to the created object', async () => {
    const vehicle = await t.app.inject({
      method: 'POST',
      url: '/api/vehicles',
      headers: admin.auth,
      payload: { ownerId: customer.id, make: 'Ford', model: 'Ka', year: 2010, vin: randomVin(), licensePlate: 'L1', mileage: 1, color: 'Red' },
    })
    const email = () => `loc-${Math.random().toString(36).slice(2)}@example.test`
    const user = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin.auth, payload: { email: email(), password: PASSWORD, name: 'U', role: 'advisor' } })
    const made = await t.app.inject({ method: 'POST', url: '/api/customers', headers: admin.auth, payload: { email: email(), name: 'C' } })
    const registered = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: email(), password: PASSWORD, name: 'R' } })
    const cases: [typeof vehicle, string, number][] = [
      [vehicle, '/api/vehicles/', vehicle.json().id],
      [user, '/api/users/', user.json().id],
      [made, '/api/customers/', made.json().id],
      [registered, '/api/customers/', registered.json().user?.id],
    ]
    for (const [res, prefix, id] of cases) {
      expect(res.statusCode).toBe(201)
      expect(res.headers.location).toBe(`${prefix}${id}`)
      const follow = await t.app.inject({ url: res.headers.location as string, headers: admin.auth })
      expect(follow.statusCode).toBe(200)
    }
  })

  it('an oversized header block is a 431 problem+json with the security headers', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as AddressInfo
    const answer = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 431 /)
    const [head, body] = answer.split('\r\n\r\n') as [string, string]
    expect(head.toLowerCase()).toContain('content-type: application/problem+json')
    expect(head.toLowerCase()).toContain('x-content-type-options: nosniff')
    expect(head.toLowerCase()).toContain("content-security-policy: default-src 'none'")
    expect(JSON.parse(body)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large', code: 'ECAR_ERR_HEADERS_TOO_LARGE' })
    const garbage = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n')
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /)
    expect(garbage.toLowerCase()).toContain('content-type: application/problem+json')
  })

  it('answers an oversized header block with a 431 on a kept-alive connection too, after a first answer', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' }).catch(() => {})
    const { port } = t.app.server.address() as AddressInfo
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      let text = ''
      let second = false
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1')
        // The first answer is complete: ask again, with headers past the limit, on the same connection.
        if (!second && /\r\n\r\n\{[^}]*\}$/.test(text)) {
          second = true
          socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`)
        }
      })
      socket.on('error', () => resolve(text))
      socket.on('close', () => resolve(text))
      socket.on('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'))
      setTimeout(() => reject(new Error(`no close; got ${text.slice(0, 200)}`)), 10_000).unref()
    })
    expect(answer).toMatch(/^HTTP\/1\.1 200 /)
    expect(answer).toContain('HTTP/1.1 431 Request Header Fields Too Large')
  })

  it('/docs asks the browser to upgrade to https only when the request came over TLS', async () => {
    const csp = async (app: TestApp['app'], headers: Record<string, string> = {}) =>
      String((await app.inject({ url: '/docs/', headers })).headers['content-security-policy'])
    expect(await csp(t.app)).not.toContain('upgrade-insecure-requests')
    // Without TRUST_PROXY the forwarded protocol is the client's word, not a proxy's.
    expect(await csp(t.app, { 'x-forwarded-proto': 'https' })).not.toContain('upgrade-insecure-requests')
    const proxied = await buildTestApp({ testDb: t.testDb, env: { TRUST_PROXY: 'true' } })
    try {
      expect(await csp(proxied.app, { 'x-forwarded-proto': 'https' })).toContain('upgrade-insecure-requests')
      expect(await csp(proxied.app, { 'x-forwarded-proto': 'http' })).not.toContain('upgrade-insecure-requests')
    } finally {
      await proxied.close()
    }
  })

  it('a request timeout is a 408 problem+json with the security headers', async () => {
    // Node raises ERR_HTTP_REQUEST_TIMEOUT on the server's socket; the handler answers on that socket.
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve))
    const { port } = server.address() as AddressInfo
    const received = rawExchange(port, '')
    const socket = await accepted
    socket.on('error', () => {})
    clientErrorHandler.call(t.app, Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket)
    const answer = await received
    server.close()
    expect(answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(answer.toLowerCase()).toContain('content-type: application/problem+json')
    expect(answer.toLowerCase()).toContain('x-frame-options: deny')
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({ status: 408, title: 'Request Timeout' })
  })
})
