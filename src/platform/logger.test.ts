import { Writable } from 'node:stream'
import pino from 'pino'
import { DrizzleQueryError } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import { describe, expect, it } from 'vitest'
import { buildTestApp, createTestDatabase, testConfig } from '../../test/support/app.ts'
import { buildApp } from '../app.ts'
import { lazyChildLoggerFactory, loggableUrl } from './logger.ts'

function capture(level: string) {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>)
      done()
    },
  })
  return { lines, logger: pino({ level }, stream) as unknown as FastifyBaseLogger }
}

const child = (logger: FastifyBaseLogger, options = {}) => lazyChildLoggerFactory.call(null as never, logger, { reqId: 'req-1' }, options, {} as never)

describe('request loggers made on first use', () => {
  it('write with the request bindings at enabled levels, and nothing below them', () => {
    const { lines, logger } = capture('info')
    const log = child(logger)
    log.debug('hidden')
    log.info({ a: 1 }, 'shown')
    log.error(new Error('boom'), 'failed')
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ['shown', 'req-1'],
      ['failed', 'req-1'],
    ])
    expect(lines[0]!.a).toBe(1)
    expect(log.level).toBe('info')
  })

  it('follow a level set on them, without touching the parent', () => {
    const { lines, logger } = capture('warn')
    const log = child(logger)
    log.level = 'debug'
    log.debug('now shown')
    logger.debug('parent still quiet')
    expect(lines.map((l) => l.msg)).toEqual(['now shown'])
    expect(logger.level).toBe('warn')
  })

  it('nest children that keep the request bindings', () => {
    const { lines, logger } = capture('info')
    child(logger).child({ step: 'two' }).info('nested')
    expect(lines[0]).toMatchObject({ reqId: 'req-1', step: 'two', msg: 'nested' })
  })

  it('are real pino children for routes with their own level', () => {
    const { lines, logger } = capture('warn')
    const log = child(logger, { level: 'debug' })
    log.debug('route level')
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([['route level', 'req-1']])
  })
})

describe('request URLs in the log', () => {
  it('redact personal query values and link tokens, and keep ids, limits, roles and parameter names', () => {
    expect(loggableUrl('/api/customers?q=alice%40example.com&limit=5')).toBe('/api/customers?q=[redacted]&limit=5')
    expect(loggableUrl('/api/vehicles?q=AB18+CDE&ownerId=12&cursor=eyJuYW1lIjoiQWxpY2UifQ')).toBe('/api/vehicles?q=[redacted]&ownerId=12&cursor=[redacted]')
    expect(loggableUrl('/api/users?role=mechanic&email=bob@example.com')).toBe('/api/users?role=mechanic&email=[redacted]')
    expect(loggableUrl('/api/customers?phone=%2B44%207700%20900123&flag')).toBe('/api/customers?phone=[redacted]&flag')
    expect(loggableUrl('/api/auth/password-reset/Zq3v9T1x_kP0aLw8mN2bYc4d')).toBe('/api/auth/password-reset/[redacted]')
    expect(loggableUrl('/api/auth/invitations/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr')).toBe('/api/auth/invitations/[redacted]')
    expect(loggableUrl('/api/auth/password-reset')).toBe('/api/auth/password-reset')
    expect(loggableUrl('/api/vehicles/1234567890123456789')).toBe('/api/vehicles/1234567890123456789')
    expect(loggableUrl('/healthz')).toBe('/healthz')
  })

  it('of a real request carry no search term', async () => {
    const lines: Record<string, unknown>[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>)
        done()
      },
    })
    const t = await buildTestApp({ env: { LOG_LEVEL: 'info' }, logStream: stream })
    try {
      await t.app.inject({ method: 'GET', url: '/api/customers?q=alice.smith%40example.com&limit=5' })
      await t.app.inject({ method: 'GET', url: '/api/vehicles?q=07700900123' })
    } finally {
      await t.close()
    }
    const urls = lines.filter((l) => l.msg === 'incoming request').map((l) => (l.req as { url: string }).url)
    expect(urls).toEqual(['/api/customers?q=[redacted]&limit=5', '/api/vehicles?q=[redacted]'])
    const all = JSON.stringify(lines)
    expect(all).not.toMatch(/alice|07700900123/)
  })
})

describe('errors in the log', () => {
  it('carry no query parameters of a failed statement, in the error, its message or its causes', async () => {
    const lines: Record<string, unknown>[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>)
        done()
      },
    })
    const testDb = await createTestDatabase()
    const app = await buildApp({ config: testConfig({ DATABASE_URL: testDb.url, LOG_LEVEL: 'info' }), database: testDb.database, logStream: stream })
    const secret = 'reset-link-token-Zq3v9T1xkP0aLw8mN2b'
    app.get('/test/failed-write', { config: { public: true } }, async () => {
      const cause = new Error('duplicate key value violates unique constraint')
      const failed = new DrizzleQueryError('insert into "messages" ("text_body") values ($1)', [`open ${secret}`], cause)
      throw new Error('outbox write failed', { cause: failed })
    })
    try {
      const res = await app.inject({ method: 'GET', url: '/test/failed-write' })
      expect(res.statusCode).toBe(500)
    } finally {
      await app.close()
      await testDb.drop()
    }
    const failure = lines.find((l) => l.msg === 'request failed')
    expect(JSON.stringify(failure?.err)).toContain('insert into')
    expect(JSON.stringify(lines)).not.toContain(secret)
  })
})
