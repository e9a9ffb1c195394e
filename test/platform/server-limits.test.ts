import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../support/app.ts'

// Real sockets on loopback: app.inject never goes through Node's HTTP server, where these limits live.

const REQUEST_TIMEOUT_MS = 800
const HEADERS_TIMEOUT_MS = 400
// Node checks the timeouts every quarter of the shorter one here (server-limits.ts): the close comes
// within the timeout plus that interval, plus scheduling on a busy machine.
const MARGIN_MS = 1500
// Without a request timeout the trickle goes on this long, then the test gives up on the server.
const GIVE_UP_MS = REQUEST_TIMEOUT_MS + MARGIN_MS + 2000

interface Outcome {
  closedAfterMs: number | undefined
  response: string
}

/** Opens a raw connection, writes `head`, then one byte of `drip` every `everyMs` until the server closes it. */
function trickle(port: number, head: string, drip: string, everyMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    const started = performance.now()
    let response = ''
    let i = 0
    let timer: NodeJS.Timeout | undefined
    const giveUp = setTimeout(() => {
      clearInterval(timer)
      socket.destroy()
      resolve({ closedAfterMs: undefined, response })
    }, GIVE_UP_MS)
    socket.on('data', (chunk) => (response += chunk.toString()))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearInterval(timer)
      clearTimeout(giveUp)
      resolve({ closedAfterMs: performance.now() - started, response })
    })
    socket.on('connect', () => {
      socket.write(head)
      timer = setInterval(() => {
        if (!socket.writable) return
        socket.write(drip[i % drip.length]!)
        i++
      }, everyMs)
    })
  })
}

describe('HTTP server limits on a listening server', () => {
  let t: TestApp
  let port = 0
  beforeAll(async () => {
    t = await buildTestApp({
      env: {
        HTTP_REQUEST_TIMEOUT: `${REQUEST_TIMEOUT_MS}ms`,
        HTTP_HEADERS_TIMEOUT: `${HEADERS_TIMEOUT_MS}ms`,
        HTTP_MAX_REQUESTS_PER_SOCKET: '2',
      },
    })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    port = (t.app.server.address() as AddressInfo).port
  })
  afterAll(async () => t?.close())

  it('closes a connection whose body trickles in slower than the request timeout, with a 408 problem', async () => {
    const body = JSON.stringify({ email: 'slow@example.test', password: 'a-Very-secret-passphrase' })
    const head = `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
    // One byte every 100 ms: the body would take several seconds to arrive.
    const outcome = await trickle(port, head, body, 100)
    expect(outcome.closedAfterMs, 'the server never closed the connection').toBeDefined()
    expect(outcome.closedAfterMs!).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50)
    expect(outcome.closedAfterMs!).toBeLessThan(REQUEST_TIMEOUT_MS + MARGIN_MS)
    expect(outcome.response).toMatch(/^HTTP\/1\.1 408 /)
    expect(outcome.response).toMatch(/\r\ncontent-type: application\/problem\+json(; charset=utf-8)?\r\n/i)
    const problem = JSON.parse(outcome.response.slice(outcome.response.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>
    expect(problem).toMatchObject({ status: 408, code: 'ECAR_ERR_REQUEST_TIMEOUT', title: 'Request Timeout' })
    expect(typeof problem.detail).toBe('string')
  })

  it('closes a connection whose headers trickle in slower than the headers timeout', async () => {
    const outcome = await trickle(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n', 50)
    expect(outcome.closedAfterMs, 'the server never closed the connection').toBeDefined()
    expect(outcome.closedAfterMs!).toBeLessThan(HEADERS_TIMEOUT_MS + MARGIN_MS)
    expect(outcome.response).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('tells a keep-alive client to close after HTTP_MAX_REQUESTS_PER_SOCKET requests', async () => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let received = ''
    socket.on('data', (chunk) => (received += chunk.toString()))
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()))
    const responses = () => received.split(/(?=HTTP\/1\.1 )/).filter(Boolean)
    const get = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
    try {
      socket.write(get)
      await expect.poll(() => responses().length).toBe(1)
      socket.write(get)
      await expect.poll(() => responses().length).toBe(2)
    } finally {
      socket.destroy()
    }
    expect(responses()[0]).toMatch(/\r\nkeep-alive: timeout=\d+, max=2\r\n/i)
    expect(responses()[1]).toMatch(/\r\nconnection: close\r\n/i)
  })
})

describe('HTTP server limits by default', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t?.close())

  it('sets a request, headers, socket and keep-alive timeout and a request cap per connection', () => {
    const server = t.app.server
    expect(server.requestTimeout).toBe(30_000)
    expect(server.headersTimeout).toBe(10_000)
    expect(server.timeout).toBe(60_000)
    expect(server.keepAliveTimeout).toBe(72_000)
    expect(server.maxRequestsPerSocket).toBe(1000)
  })
})
