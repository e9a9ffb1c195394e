import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { eq, inArray } from 'drizzle-orm'
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp, createTestDatabase, testDbKind, type TestApp } from '../../../test/support/app.ts'
import { createDeskCustomer, createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { insertMessage } from './messages.repository.ts'
import { messages, type MessageRow } from './messages.table.ts'

/** A real SMTP server on loopback that needs AUTH and refuses as told. */
async function startSmtp(password: string) {
  const received: { to: string[]; raw: string }[] = []
  const state = { tempFailures: 0, permanent: false, rcptTried: 0 }
  const refuse = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code })
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'ecar' && auth.password === password) callback(null, { user: 'ecar' })
      else callback(refuse(535, 'Authentication failed'))
    },
    onRcptTo(_address, _session, callback) {
      state.rcptTried++
      if (state.permanent) return callback(refuse(550, 'No such mailbox'))
      if (state.tempFailures > 0) {
        state.tempFailures--
        return callback(refuse(451, 'Greylisted, try again later'))
      }
      callback()
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return { port, received, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('mail outbox over a real SMTP server on loopback', () => {
  const password = randomBytes(12).toString('base64url')
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let t: TestApp
  let advisor: TestUser

  const row = async (id: number) => (await t.app.db.select().from(messages).where(eq(messages.id, id)))[0]!
  const settled = (id: number) =>
    waitFor(`message ${id} to settle`, async () => {
      const r = await row(id)
      return r.status === 'queued' ? undefined : r
    })
  const enqueue = (to: string, text = 'Hello from the outbox') =>
    t.app.writer.transaction((tx) => t.app.outbox.enqueue(tx, { kind: 'test', to, subject: 'Outbox test', text }))

  beforeAll(async () => {
    smtp = await startSmtp(password)
    t = await buildTestApp({
      env: {
        SMTP_URL: `smtp://ecar:${password}@127.0.0.1:${smtp.port}`,
        MAIL_FROM: 'Garage <garage@example.test>',
        PUBLIC_URL: 'https://shop.example.test/',
        MAIL_POLL_INTERVAL: '20ms',
        MAIL_RETRY_BASE: '20ms',
        MAIL_MAX_ATTEMPTS: '3',
      },
    })
    advisor = await createUser(t.app.db, { role: 'advisor' })
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.close()
  })
  beforeEach(() => {
    smtp.state.tempFailures = 0
    smtp.state.permanent = false
  })

  it('mails an invitation: the link arrives over SMTP, the row is sent and keeps no token', async () => {
    const desk = await createDeskCustomer(t.app.db)
    const res = await t.app.inject({ method: 'POST', url: `/api/customers/${desk.id}/invitations`, headers: advisor.auth })
    expect(res.statusCode).toBe(201)
    const { url } = res.json() as { url: string }
    expect(url).toMatch(/^https:\/\/shop\.example\.test\/invite#token=[A-Za-z0-9_-]{43}$/)
    const [queued] = await t.app.db.select().from(messages).where(eq(messages.recipient, desk.email))
    expect(queued).toMatchObject({ kind: 'invitation', status: expect.stringMatching(/queued|sent/) })
    const sent = await settled(queued!.id)
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null })
    expect(sent.sentAt).toBeInstanceOf(Date)
    const mail = smtp.received.find((m) => m.to.includes(desk.email))
    expect(mail?.raw).toContain(url.split('#token=')[1]!.slice(0, 20))
    expect(mail?.raw).toMatch(/From: Garage <garage@example\.test>/)
    // Once out, the outbox holds the link without its token.
    expect(sent.textBody).toContain('/invite#token=[redacted]')
    expect(sent.textBody).not.toContain(url.split('#token=')[1]!)
  })

  it('retries with back-off while the server answers 4xx, then sends', async () => {
    smtp.state.tempFailures = 2
    const before = smtp.received.length
    const message = await enqueue(`retry-${Date.now()}@example.test`)
    expect(message.status).toBe('queued')
    const sent = await settled(message.id)
    expect(sent).toMatchObject({ status: 'sent', attempts: 3, lastError: null })
    expect(smtp.received.length).toBe(before + 1)
  })

  it('marks a message failed after MAIL_MAX_ATTEMPTS 4xx answers, with the last error', async () => {
    smtp.state.tempFailures = 1_000
    const message = await enqueue(`fail-${Date.now()}@example.test`)
    const failed = await settled(message.id)
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 })
    expect(failed.lastError).toMatch(/451 .*Greylisted/)
    expect(failed.lastError).not.toContain(password)
  })

  it('gives up at once on a 5xx answer: retrying cannot help', async () => {
    smtp.state.permanent = true
    const message = await enqueue(`perm-${Date.now()}@example.test`)
    const failed = await settled(message.id)
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 })
    expect(failed.lastError).toMatch(/550 /)
  })

  it('sends nothing for a write that rolls back', async () => {
    const to = `rollback-${Date.now()}@example.test`
    await expect(
      t.app.writer.transaction(async (tx) => {
        await t.app.outbox.enqueue(tx, { kind: 'test', to, subject: 'never', text: 'never' })
        throw new Error('the write fails after enqueueing')
      }),
    ).rejects.toThrow('the write fails')
    await new Promise((r) => setTimeout(r, 100))
    expect(await t.app.db.select().from(messages).where(eq(messages.recipient, to))).toEqual([])
    expect(smtp.received.some((m) => m.to.includes(to))).toBe(false)
  })

  it('the worker stops with the app: a message queued after close stays queued', async () => {
    const testDb = await createTestDatabase()
    const other = await buildTestApp({ testDb, env: { SMTP_URL: `smtp://ecar:${password}@127.0.0.1:${smtp.port}`, MAIL_POLL_INTERVAL: '10ms' } })
    try {
      const sent = await other.app.writer.transaction((tx) => other.app.outbox.enqueue(tx, { kind: 'test', to: 'before-close@example.test', subject: 's', text: 't' }))
      await waitFor('the message before close', async () => {
        const [r] = await other.app.db.select().from(messages).where(eq(messages.id, sent.id))
        return r!.status === 'sent' ? r : undefined
      })
      await other.close()
      const late = await insertMessage(testDb.database.db, { kind: 'test', to: 'after-close@example.test', subject: 's', text: 't' }, 'queued')
      await new Promise((r) => setTimeout(r, 300))
      const [r] = await testDb.database.db.select().from(messages).where(eq(messages.id, late.id))
      expect(r).toMatchObject({ status: 'queued', attempts: 0 })
      expect(smtp.received.some((m) => m.to.includes('after-close@example.test'))).toBe(false)
    } finally {
      await testDb.drop()
    }
  })

  it.skipIf(testDbKind() !== 'postgres')('two instances sending from one outbox send each message exactly once', async () => {
    const second = await buildTestApp({
      testDb: t.testDb,
      env: { SMTP_URL: `smtp://ecar:${password}@127.0.0.1:${smtp.port}`, MAIL_POLL_INTERVAL: '10ms' },
    })
    try {
      const tag = `twice-${Date.now()}`
      const ids: number[] = []
      for (let i = 0; i < 40; i++) ids.push((await enqueue(`${tag}-${i}@example.test`)).id)
      const rows = await waitFor('all 40 sent', async () => {
        const all: MessageRow[] = await t.app.db.select().from(messages).where(inArray(messages.id, ids))
        return all.every((r) => r.status === 'sent') ? all : undefined
      })
      expect(rows.map((r) => r.attempts)).toEqual(ids.map(() => 1))
      const deliveries = smtp.received.filter((m) => m.to[0]!.startsWith(tag)).map((m) => m.to[0])
      expect(deliveries.length).toBe(40)
      expect(new Set(deliveries).size).toBe(40)
    } finally {
      await second.close()
    }
  })
})
