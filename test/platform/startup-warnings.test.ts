import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest'
import { bootstrapData, isLoopback, warnAboutExposure } from '../../src/bootstrap.ts'
import { isLoopbackHost } from '../../src/platform/metrics/metrics-access.ts'
import { buildTestApp } from '../support/app.ts'

/** A log destination that keeps each JSON line's message. */
function capture(): { stream: Writable; messages: () => string[] } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean))
      done()
    },
  })
  return { stream, messages: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg) }
}

describe('start-up warnings', () => {
  let log: MockInstance<typeof console.log>
  beforeAll(() => {
    log = vi.spyOn(console, 'log').mockImplementation(() => {})
  })
  afterAll(() => log.mockRestore())

  it('says how to create the first admin when none exists', async () => {
    const out = capture()
    const t = await buildTestApp({ env: { LOG_LEVEL: 'warn' }, logStream: out.stream })
    try {
      await bootstrapData(t.app)
      const hint = out.messages().filter((m) => m.includes('no admin account exists'))
      expect(hint).toHaveLength(1)
      expect(hint[0]).toContain('ECAR_ADMIN_EMAIL')
      expect(hint[0]).toContain('create-admin')
    } finally {
      await t.close()
    }
  })

  it('says nothing about the admin when one exists', async () => {
    const out = capture()
    const t = await buildTestApp({
      env: { LOG_LEVEL: 'warn', ECAR_ADMIN_EMAIL: 'boss@example.test', ECAR_ADMIN_PASSWORD: 'boss passphrase' },
      logStream: out.stream,
    })
    try {
      await bootstrapData(t.app)
      expect(out.messages().filter((m) => m.includes('no admin account'))).toEqual([])
    } finally {
      await t.close()
    }
  })

  it('warns loudly when demo accounts exist on an address other than loopback, and only then', async () => {
    const out = capture()
    const t = await buildTestApp({ env: { LOG_LEVEL: 'warn', ECAR_DEMO: 'true', HOST: '0.0.0.0' }, logStream: out.stream })
    try {
      await warnAboutExposure(t.app)
      expect(out.messages().filter((m) => m.startsWith('WARNING: demo accounts'))).toEqual([])
      await bootstrapData(t.app)
      await warnAboutExposure(t.app)
      const warnings = out.messages().filter((m) => m.startsWith('WARNING: demo accounts'))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain('0.0.0.0')
    } finally {
      await t.close()
    }
    const quiet = capture()
    const local = await buildTestApp({ env: { LOG_LEVEL: 'warn', ECAR_DEMO: 'true', HOST: '127.0.0.1' }, logStream: quiet.stream })
    try {
      await bootstrapData(local.app)
      await warnAboutExposure(local.app)
      expect(quiet.messages().filter((m) => m.startsWith('WARNING'))).toEqual([])
    } finally {
      await local.close()
    }
  })

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true)
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.test']) expect(isLoopback(host), host).toBe(false)
  })

  it('agrees with /metrics on which listen addresses are loopback: one listens open exactly where the other stays quiet', () => {
    for (const host of ['0:0:0:0:0:0:0:1', 'LOCALHOST', '[::1]', '127.0.0.1', '0.0.0.0', '::ffff:10.0.0.1', '1::1']) {
      expect(isLoopback(host), host).toBe(isLoopbackHost(host))
    }
  })
})
