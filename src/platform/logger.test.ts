import { Writable } from 'node:stream'
import pino from 'pino'
import type { FastifyBaseLogger } from 'fastify'
import { describe, expect, it } from 'vitest'
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

describe('loggable request URLs', () => {
  it('hide the token of reset and invitation links, and nothing else', () => {
    const token = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr'
    expect(loggableUrl(`/api/auth/password-reset/${token}`)).toBe('/api/auth/password-reset/[redacted]')
    expect(loggableUrl(`/api/auth/invitations/${token}?x=1`)).toBe('/api/auth/invitations/[redacted]?x=1')
    expect(loggableUrl('/api/auth/password-reset')).toBe('/api/auth/password-reset')
    expect(loggableUrl('/api/vehicles/12?q=a')).toBe('/api/vehicles/12?q=a')
  })
})
