import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { isLoopbackHost, metricsAccess } from './metrics-access.ts'

describe('who may read /metrics', () => {
  it('tells loopback listen addresses from the others', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LocalHost']) expect(isLoopbackHost(host), host).toBe(true)
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', '1::1', 'ecar.example.com', '']) expect(isLoopbackHost(host), host).toBe(false)
  })

  it('is the token holder with a token, anyone on loopback without one, and nobody beyond loopback without one', () => {
    expect(metricsAccess({ host: '0.0.0.0', metricsToken: 't' })).toBe('token')
    expect(metricsAccess({ host: '127.0.0.1', metricsToken: 't' })).toBe('token')
    expect(metricsAccess({ host: '127.0.0.1', metricsToken: undefined })).toBe('open')
    expect(metricsAccess({ host: '0.0.0.0', metricsToken: undefined })).toBe('closed')
    expect(metricsAccess({ host: '::', metricsToken: undefined })).toBe('closed')
  })
})

describe('/metrics on a server that listens beyond loopback', () => {
  const logs: Record<string, unknown>[] = []
  const apps: TestApp[] = []
  let closed: TestApp
  let withToken: TestApp
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(JSON.parse(String(chunk)) as Record<string, unknown>)
        done()
      },
    })
    closed = await buildTestApp({ env: { HOST: '0.0.0.0', LOG_LEVEL: 'warn' }, logStream: stream })
    apps.push(closed)
    withToken = await buildTestApp({ env: { HOST: '0.0.0.0', METRICS_TOKEN: 'beyond-loopback-token-0123' } })
    apps.push(withToken)
  })
  afterAll(async () => {
    for (const t of apps) await t.close()
  })

  it('without METRICS_TOKEN answers 401 problem+json, to anyone, saying how to open it', async () => {
    for (const headers of [{}, { authorization: 'Bearer anything' }]) {
      const res = await closed.app.inject({ method: 'GET', url: '/metrics', headers })
      expect(res.statusCode).toBe(401)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.body).not.toContain('# TYPE')
      expect(res.json<{ detail: string }>().detail).toContain('METRICS_TOKEN')
    }
  })

  it('without METRICS_TOKEN warns at start-up how to set it', () => {
    const warning = logs.find((l) => l.level === 40 && String(l.msg).includes('/metrics'))
    expect(warning?.msg).toMatch(/METRICS_TOKEN/)
    expect(warning?.host).toBe('0.0.0.0')
  })

  it('with METRICS_TOKEN serves the token holder only', async () => {
    expect((await withToken.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401)
    const res = await withToken.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer beyond-loopback-token-0123' } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('# TYPE')
  })
})
