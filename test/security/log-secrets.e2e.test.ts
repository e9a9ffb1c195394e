import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnServer, waitUntilReady, type ServerProcess } from '../e2e/server-process.ts'
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/app.ts'
import { randomVin } from '../support/factories/vehicles.ts'
import { redisServerBinary, spawnRedis, type SpawnedRedis } from '../support/services.ts'
import {
  captureOutput,
  createRunClient,
  findLeaks,
  newSecret,
  operationOf,
  SecretBook,
  specOperationKeys,
  sweepBody,
  type BodySchema,
} from './full-run.ts'
import { driveWorkshop } from './workshop-run.ts'

type Spec = { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: BodySchema }> } }>> }
type Json = Record<string, unknown>

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const email = (role: string) => `${role}-${randomBytes(4).toString('hex')}@example.test`
// Ids no row has: the sweep reaches validation and the handlers without changing anything.
const NO_SUCH_ID = 2_147_483_000

/**
 * The real server (`npm start`'s command) at LOG_LEVEL=trace on PostgreSQL and a password-protected
 * Redis, driven through every route of its OpenAPI spec with secrets in every setting, then every
 * line it wrote is searched for every secret the run used or produced.
 */
describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('no secrets in the logs of a full run', () => {
  const book = new SecretBook()
  const admin = { email: email('first-admin'), password: newSecret() }
  const metricsToken = newSecret(false)
  const cacheSecret = newSecret(false) + newSecret(false)
  const previousCacheSecret = newSecret(false) + newSecret(false)
  let redis: SpawnedRedis
  let testDb: TestDatabase
  let server: ServerProcess
  let output: { text(): string }
  let client: ReturnType<typeof createRunClient>
  let spec: Spec
  let operations: string[] = []
  // A real SMTP relay that needs a password: the outbox worker logs in with it on every message.
  const smtpPassword = newSecret()
  const mailbox: string[] = []
  let smtp: SMTPServer

  beforeAll(async () => {
    const redisPassword = newSecret()
    const pgPassword = newSecret()
    book.add('Redis password (REDIS_URL)', redisPassword)
    book.add('PostgreSQL password (DATABASE_URL)', pgPassword)
    book.add('METRICS_TOKEN', metricsToken)
    book.add('CACHE_SECRET', cacheSecret)
    book.add('CACHE_SECRET_PREVIOUS', previousCacheSecret)
    book.add('first-admin password (ECAR_ADMIN_PASSWORD)', admin.password)
    book.add('SMTP password (SMTP_URL)', smtpPassword)
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) =>
        auth.password === smtpPassword ? callback(null, { user: auth.username }) : callback(new Error('Authentication failed')),
      onData(stream, _session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          mailbox.push(Buffer.concat(chunks).toString('utf8'))
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    const smtpPort = (smtp.server.address() as AddressInfo).port
    redis = await spawnRedis(undefined, ['--requirepass', redisPassword])
    testDb = await createTestDatabase('postgres')
    // Trust authentication ignores the password: it is there only to be looked for.
    const databaseUrl = new URL(testDb.url!)
    databaseUrl.password = encodeURIComponent(pgPassword)
    server = await spawnServer({
      NODE_ENV: 'production',
      LOG_LEVEL: 'trace',
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: `redis://:${encodeURIComponent(redisPassword)}@127.0.0.1:${redis.port}`,
      METRICS_TOKEN: metricsToken,
      CACHE_SECRET: cacheSecret,
      CACHE_SECRET_PREVIOUS: previousCacheSecret,
      ECAR_ADMIN_EMAIL: admin.email,
      ECAR_ADMIN_PASSWORD: admin.password,
      ECAR_DEMO: 'false',
      SMTP_URL: `smtp://ecar:${encodeURIComponent(smtpPassword)}@127.0.0.1:${smtpPort}`,
      MAIL_POLL_INTERVAL: '100ms',
    })
    // Attached before any I/O turn: nothing the process writes is missed.
    output = captureOutput(server.child)
    client = createRunClient(server.baseUrl, book)
    await waitUntilReady(server, 30_000)
  }, 60_000)

  afterAll(async () => {
    await server?.cleanup()
    await redis?.stop()
    await testDb?.drop()
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()))
  })

  it('the grep finds a secret in each form a log line may hold it', () => {
    const secret = newSecret()
    const lines = [JSON.stringify({ msg: secret }), `url=/x?p=${encodeURIComponent(secret)}`, `cut at ${secret.slice(0, 12)}`, 'clean']
    expect(findLeaks(lines, [{ kind: 'canary', value: secret }]).map((l) => `${l.lineNumber} ${l.form}`)).toEqual([
      '1 JSON-escaped',
      '2 URL-encoded',
      '3 random part',
    ])
  })

  it('drives every route of the OpenAPI spec, the failure paths and a Redis outage', async () => {
    const { call } = client
    const expectStatus = (res: { status: number; body: unknown }, status: number, what: string) =>
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status)
    const login = async (who: { email: string; password: string }) => {
      const res = await call<{ token: string }>('POST', '/api/auth/login', { json: { email: who.email, password: who.password } })
      expectStatus(res, 200, `login ${who.email}`)
      return res.body.token
    }

    expectStatus(await call('GET', '/healthz'), 200, 'healthz')
    expectStatus(await call('GET', '/readyz'), 200, 'readyz')
    expectStatus(await call('GET', '/docs'), 200, 'docs')
    const specRes = await call<Spec>('GET', '/openapi.json')
    expectStatus(specRes, 200, 'openapi.json')
    spec = specRes.body
    operations = specOperationKeys(spec)

    // Sign-in: right and wrong password, unknown account, credentials in the wrong header.
    const adminToken = await login(admin)
    expectStatus(await call('POST', '/api/auth/login', { json: { email: admin.email, password: newSecret() } }), 401, 'wrong password')
    expectStatus(await call('POST', '/api/auth/login', { json: { email: email('nobody'), password: newSecret() } }), 401, 'unknown user')
    const basic = Buffer.from(`${admin.email}:${admin.password}`).toString('base64')
    book.add('Basic credentials sent', basic)
    expectStatus(await call('GET', '/api/auth/me', { headers: { authorization: `Basic ${basic}` } }), 401, 'basic auth')

    // Registration, and bodies carrying passwords that fail on the way in.
    const customer = { email: email('customer'), password: newSecret(), name: 'Log Secrets', phone: '+49 30 1234567' }
    const registered = await call<{ token: string; user: { id: number } }>('POST', '/api/auth/register', { json: customer })
    expectStatus(registered, 201, 'register')
    const customerToken = registered.body.token
    const customerId = registered.body.user.id
    const refusedBodies: Array<[string, Json]> = [
      ['short password', { ...customer, email: email('short'), password: randomBytes(6).toString('base64url') }],
      ['long password', { ...customer, email: email('long'), password: newSecret().repeat(5) }],
      ['bad email', { ...customer, email: 'not an email', password: newSecret() }],
      ['extra field', { ...customer, email: email('extra'), password: newSecret(), passwordConfirm: newSecret() }],
    ]
    for (const [what, json] of refusedBodies) expectStatus(await call('POST', '/api/auth/register', { json }), 400, what)
    expectStatus(await call('POST', '/api/auth/register', { json: { ...customer, password: newSecret() } }), 409, 'email taken')
    const broken = newSecret(false)
    book.add('password in malformed JSON', broken)
    expectStatus(await call('POST', '/api/auth/login', { raw: `{"email":"${admin.email}","password":"${broken}"` }), 400, 'malformed JSON')
    const plain = newSecret(false)
    book.add('password in a text/plain body', plain)
    expectStatus(await call('POST', '/api/auth/login', { raw: `password=${plain}`, contentType: 'text/plain' }), 415, 'text body')

    // The caller's own account and a password change.
    expectStatus(await call('GET', '/api/auth/me', { token: customerToken }), 200, 'me')
    const wrongCurrent = { password: newSecret(), currentPassword: newSecret() }
    expectStatus(await call('PATCH', '/api/auth/me', { token: customerToken, json: wrongCurrent }), 400, 'wrong current password')
    const tooShort = { password: randomBytes(6).toString('base64url'), currentPassword: customer.password }
    expectStatus(await call('PATCH', '/api/auth/me', { token: customerToken, json: tooShort }), 400, 'short new password')
    const oldPassword = customer.password
    customer.password = newSecret()
    const change = { name: 'Log Secrets II', password: customer.password, currentPassword: oldPassword }
    expectStatus(await call('PATCH', '/api/auth/me', { token: customerToken, json: change }), 200, 'password change')
    expectStatus(await call('POST', '/api/auth/login', { json: { email: customer.email, password: oldPassword } }), 401, 'old password')
    const secondCustomerToken = await login(customer)

    // Tokens that are unknown, malformed or missing.
    expectStatus(await call('GET', '/api/auth/me', { token: randomBytes(32).toString('base64url') }), 401, 'unknown token')
    expectStatus(await call('GET', '/api/auth/me', { token: `${newSecret(false)}!` }), 401, 'malformed token')
    expectStatus(await call('GET', '/api/auth/me'), 401, 'no token')

    // Accounts of every role, a reset password, and a refused one.
    const staff: Record<string, { email: string; password: string; id: number }> = {}
    for (const role of ['admin', 'advisor', 'mechanic', 'customer']) {
      const account = { email: email(role), password: newSecret(), name: `Staff ${role}`, role }
      const res = await call<{ id: number }>('POST', '/api/users', { token: adminToken, json: account })
      expectStatus(res, 201, `create ${role}`)
      staff[role] = { ...account, id: res.body.id }
    }
    expectStatus(await call('GET', '/api/users?limit=50', { token: adminToken }), 200, 'list users')
    expectStatus(await call('GET', `/api/users/${staff.mechanic!.id}`, { token: adminToken }), 200, 'get user')
    staff.mechanic!.password = newSecret()
    expectStatus(await call('PATCH', `/api/users/${staff.mechanic!.id}`, { token: adminToken, json: { password: staff.mechanic!.password } }), 200, 'reset password')
    expectStatus(await call('PATCH', `/api/users/${staff.advisor!.id}`, { token: adminToken, json: { password: 'short' } }), 400, 'short reset')
    const advisorToken = await login(staff.advisor!)
    const mechanicToken = await login(staff.mechanic!)
    await login(staff.admin!)
    await login(staff.customer!)
    expectStatus(await call('DELETE', `/api/users/${staff.customer!.id}/login-limits`, { token: adminToken }), 204, 'clear sign-in limits')

    // Customers at the front desk.
    const deskCustomer = { email: email('desk'), name: 'Desk Customer', password: newSecret() }
    expectStatus(await call('POST', '/api/customers', { token: advisorToken, json: deskCustomer }), 201, 'desk customer')
    expectStatus(await call('POST', '/api/customers', { token: advisorToken, json: { email: email('nopw'), name: 'No Password' } }), 201, 'desk customer without password')
    const shortDesk = { email: email('desk'), name: 'Desk', password: randomBytes(6).toString('base64url') }
    expectStatus(await call('POST', '/api/customers', { token: advisorToken, json: shortDesk }), 400, 'desk short password')
    expectStatus(await call('GET', '/api/customers?q=log', { token: advisorToken }), 200, 'list customers')
    expectStatus(await call('GET', `/api/customers/${customerId}`, { token: advisorToken }), 200, 'get customer')
    expectStatus(await call('GET', `/api/customers/${customerId}/vehicles`, { token: customerToken }), 200, 'customer vehicles')

    // Fixing a customer at the desk, inviting one opened without a password, and a password reset,
    // with the links' tokens taken from the mail as it arrived over SMTP.
    const mailedToken = async (to: string, path: string) => {
      const deadline = Date.now() + 10_000
      for (;;) {
        // The body is quoted-printable (soft line breaks, `=` as =3D): decoded before the token is read.
        const decoded = mailbox
          .filter((m) => m.includes(to))
          .map((m) => m.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))))
        const match = decoded.map((m) => new RegExp(`${path}#token=([A-Za-z0-9_-]{43})`).exec(m)).find((m) => m !== null)
        if (match) return match[1]!
        if (Date.now() > deadline) throw new Error(`no ${path} mail to ${to} arrived`)
        await sleep(50)
      }
    }
    const invitee = await call<{ id: number; email: string }>('POST', '/api/customers', { token: advisorToken, json: { email: email('invitee'), name: 'Invitee' } })
    expectStatus(invitee, 201, 'desk customer to invite')
    expectStatus(await call('PATCH', `/api/customers/${invitee.body.id}`, { token: advisorToken, json: { phone: '+49 30 7654321', remindersConsent: true } }), 200, 'fix a customer')
    const invitation = await call<{ url: string }>('POST', `/api/customers/${invitee.body.id}/invitations`, { token: advisorToken })
    expectStatus(invitation, 201, 'invite')
    const invitationToken = invitation.body.url.split('#token=')[1]!
    book.add('invitation link token', invitationToken)
    expect(await mailedToken(invitee.body.email, '/invite')).toBe(invitationToken)
    const inviteePassword = newSecret()
    expectStatus(await call('POST', `/api/auth/invitations/${invitationToken}`, { json: { password: inviteePassword } }), 200, 'accept invitation')
    expectStatus(await call('POST', `/api/auth/invitations/${invitationToken}`, { json: { password: newSecret() } }), 410, 'invitation used twice')
    expectStatus(await call('POST', '/api/auth/password-reset', { json: { email: invitee.body.email } }), 202, 'ask for a reset')
    expectStatus(await call('POST', '/api/auth/password-reset', { json: { email: email('unknown') } }), 202, 'reset for nobody')
    const resetToken = await mailedToken(invitee.body.email, '/reset-password')
    book.add('password-reset link token', resetToken)
    expectStatus(await call('POST', `/api/auth/password-reset/${resetToken}`, { json: { password: newSecret() } }), 204, 'reset the password')
    expectStatus(await call('POST', `/api/auth/password-reset/${resetToken}`, { json: { password: newSecret() } }), 410, 'reset link used twice')
    expectStatus(await call('GET', '/api/messages?limit=10', { token: advisorToken }), 200, 'the outbox')
    // The workshop: the shop's settings (anyone reads, an admin changes) and the audit log.
    expectStatus(await call('GET', '/api/shop', {}), 200, 'the shop')
    expectStatus(await call('PATCH', '/api/shop', { token: adminToken, json: { name: 'Log Garage', labourRateCents: 9900 } }), 200, 'change the shop')
    expectStatus(await call('GET', '/api/audit?entity=shop', { token: advisorToken }), 200, 'the audit log')

    // Vehicles.
    const vehicle = { make: 'Ford', model: 'Focus', year: 2019, vin: randomVin(), licensePlate: 'B-LS 1', mileage: 1000, color: 'Blue' }
    const created = await call<{ id: number }>('POST', '/api/vehicles', { token: customerToken, json: vehicle })
    expectStatus(created, 201, 'create vehicle')
    const vehicleId = created.body.id
    for (let i = 0; i < 2; i++) expectStatus(await call('GET', '/api/vehicles', { token: customerToken }), 200, 'list vehicles')
    expectStatus(await call('GET', `/api/vehicles/${vehicleId}`, { token: customerToken }), 200, 'get vehicle')
    const mileage = 2000
    expectStatus(await call('PATCH', `/api/vehicles/${vehicleId}`, { token: customerToken, json: { mileage } }), 200, 'update vehicle')
    const spare = await call<{ id: number }>('POST', '/api/vehicles', { token: advisorToken, json: { ...vehicle, vin: randomVin(), ownerId: customerId } })
    expectStatus(spare, 201, 'advisor creates vehicle')
    expectStatus(await call('DELETE', `/api/vehicles/${spare.body.id}`, { token: advisorToken }), 204, 'delete vehicle')
    expectStatus(await call('POST', '/api/vehicles', { token: mechanicToken, json: { ...vehicle, vin: randomVin() } }), 403, 'mechanic creates vehicle')

    // The workshop: bays, services, the VIN, odometer, booking, the work order and the mechanic's clock.
    await driveWorkshop({
      call,
      expectStatus,
      tokens: { admin: adminToken, advisor: advisorToken, mechanic: mechanicToken, customer: customerToken },
      mechanicId: staff.mechanic!.id,
      vehicle: { id: vehicleId, vin: vehicle.vin, mileage },
    })

    // Redis hangs, then dies and comes back empty: the connection-error paths write their lines.
    redis.pause()
    try {
      await call('GET', '/api/vehicles', { token: secondCustomerToken })
      await call('GET', `/api/vehicles/${vehicleId}`, { token: customerToken })
      await call('POST', '/api/auth/login', { json: { email: customer.email, password: newSecret() } })
      await call('GET', '/api/auth/me', { token: await login(staff.customer!) })
    } finally {
      redis.resume()
    }
    // Down long enough for reconnect attempts to fail (a restart alone is too quick to be noticed).
    await redis.kill()
    await call('GET', '/api/vehicles', { token: secondCustomerToken })
    await call('POST', '/api/auth/login', { json: { email: customer.email, password: newSecret() } })
    await sleep(1000)
    await redis.restart()
    const deadline = Date.now() + 10_000
    let ready: Json = {}
    while (Date.now() < deadline && ready.cache !== 'up') {
      await call('GET', '/api/vehicles', { token: customerToken })
      ready = (await call<Json>('GET', '/readyz')).body
      if (ready.cache !== 'up') await sleep(200)
    }
    expect(ready.cache, 'the cache never came back after the Redis restart').toBe('up')
    await login(staff.admin!)
    expectStatus(await call('GET', `/api/customers/${customerId}/vehicles`, { token: customerToken }), 200, 'customer vehicles after restart')

    // Operations: cache statistics and clearing, metrics with and without the token.
    expectStatus(await call('GET', '/api/admin/cache/stats', { token: adminToken }), 200, 'cache stats')
    expectStatus(await call('DELETE', '/api/admin/cache?pattern=customer_vehicles_*', { token: adminToken }), 200, 'clear by pattern')
    expectStatus(await call('DELETE', '/api/admin/cache', { token: adminToken }), 200, 'clear all')
    expectStatus(await call('GET', '/metrics'), 401, 'metrics without token')
    expectStatus(await call('GET', '/metrics', { token: newSecret(false) }), 401, 'metrics wrong token')
    expectStatus(await call('GET', '/metrics', { token: metricsToken }), 200, 'metrics')

    // Sign-out; the token then fails.
    expectStatus(await call('POST', '/api/auth/logout', { token: customerToken }), 204, 'logout')
    expectStatus(await call('GET', '/api/auth/me', { token: customerToken }), 401, 'revoked token')
    expectStatus(await call('POST', '/api/auth/logout', { token: customerToken }), 401, 'logout twice')

    // Every operation once more as a fresh admin session, with secrets in the body and ids no row has.
    const sweepToken = await login(admin)
    for (const key of operations) {
      const [method, template] = key.split(' ') as [string, string]
      const url = template.replace(/\{[^}]+\}/g, String(NO_SUCH_ID))
      const schema = spec.paths?.[template]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema
      const json = method === 'GET' || method === 'DELETE' ? undefined : sweepBody(schema, (field) => {
        const value = newSecret()
        book.add(`sweep secret in body.${field} of ${key}`, value)
        return value
      })
      const res = await call(method, url, { token: sweepToken, json })
      expect(res.status, `${key} in the sweep`).toBeLessThan(500)
    }
    // The spawned server hashes at the production floor (scrypt N=2^17, 128 MiB, two at a time): some
    // twenty hashes take seconds on a busy machine.
  }, 120_000)

  it('exits with code 0 on SIGTERM', async () => {
    const { code, signal } = await server.stop('SIGTERM', 15_000)
    expect({ code, signal }, output.text().slice(-4000)).toEqual({ code: 0, signal: null })
  }, 20_000)

  it('called every route of the spec, each answered 2xx at least once', () => {
    const calls = client.calls.map((c) => ({ ...c, op: operationOf(c.method, c.url, operations) }))
    expect(operations.length, 'the spec lists no routes').toBeGreaterThan(15)
    const neverCalled = operations.filter((op) => !calls.some((c) => c.op === op))
    const neverSucceeded = operations.filter((op) => !calls.some((c) => c.op === op && c.status >= 200 && c.status < 300))
    expect(neverCalled, 'routes of the spec this run never called').toEqual([])
    expect(neverSucceeded, 'routes never answered 2xx: add a successful call to the scripted run above').toEqual([])
  })

  it('wrote no secret to stdout or stderr, in any form', async () => {
    // What the database stores for the secrets: scrypt hashes of every password set.
    const hashes = await testDb.database.db.execute(sql`select email, password_hash from users`)
    const rows = ((hashes as unknown as { rows?: unknown[] }).rows ?? (hashes as unknown as unknown[])) as Array<{ email: string; password_hash: string }>
    for (const row of rows) if (row.password_hash.startsWith('scrypt$')) book.add(`stored scrypt hash of ${row.email}`, row.password_hash)
    expect(rows.filter((r) => r.password_hash.startsWith('scrypt$')).length).toBeGreaterThanOrEqual(7)

    // A token's SHA-256 is what the sessions table stores and the session cache is keyed by: not a
    // credential (the token cannot be derived from it), but nothing any log line needs either.
    for (const token of book.list().filter((s) => s.kind.startsWith('bearer token'))) {
      book.add(`session id (SHA-256) of a ${token.kind}`, createHash('sha256').update(token.value).digest('hex'))
    }

    // The deployment's own cache secret (used when CACHE_SECRET is unset) is no more loggable than CACHE_SECRET.
    const identity = await testDb.database.db.execute(sql`select secret from cache_identity`)
    const identityRows = ((identity as unknown as { rows?: unknown[] }).rows ?? (identity as unknown as unknown[])) as Array<{ secret: string }>
    for (const row of identityRows) book.add('cache_identity secret', row.secret)
    expect(identityRows).toHaveLength(1)

    const text = output.text()
    const lines = text.split('\n')
    const requestLines = lines.filter((line) => line.includes('"msg":"request completed"'))
    const secrets = book.list()
    const leaks = findLeaks(lines, secrets)
    console.log(
      `log secrets: ${lines.length} lines (${Math.round(text.length / 1024)} KB, ${requestLines.length} request lines) grepped for ` +
        `${secrets.length} secrets of ${new Set(secrets.map((s) => s.kind.replace(/ of .*$/, ''))).size} kinds; ` +
        `${client.calls.length} requests over ${operations.length} spec routes; ${leaks.length} leaks`,
    )

    // Non-trivial logs: a line per request at the very least, and the unusual paths ran.
    expect(requestLines.length).toBeGreaterThanOrEqual(Math.min(100, client.calls.length))
    expect(text).toContain('first admin created')
    expect(text).toContain('redis connection lost')
    expect(text).toContain('cache cleared')
    expect(text).toContain('shutting down')
    expect(secrets.length).toBeGreaterThan(40)
    expect(leaks.map((l) => `${l.kind} (${l.form}) in log line ${l.lineNumber}: ${l.line.slice(0, 600)}`)).toEqual([])
  })
})
