import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Config } from '../config.ts'
import { AppError } from './errors.ts'

/**
 * Node checks the request and headers timeouts on a timer, every `connectionsCheckingInterval`
 * (30 s by default): a 30 s timeout would then close a connection anywhere from 30 to 60 s. A
 * quarter of the shorter timeout, at most 1 s, keeps the overshoot small for a cheap periodic scan.
 */
export function checkingIntervalMs(limits: Config['http']): number {
  return Math.max(25, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)))
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'ECAR_ERR_REQUEST_TIMEOUT', detail: 'The request did not arrive in time.' },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'ECAR_ERR_HEADERS_TOO_LARGE', detail: 'The request headers are too large.' },
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before any route runs (a request
 * that timed out, malformed HTTP, oversized headers) is answered as problem+json, as every other error
 * is, and the connection closed.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  // A reset connection is gone: nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const known = CLIENT_ERRORS[error.code ?? '']
  const { status, code, detail } = known ?? { status: 400, code: 'ECAR_ERR_BAD_REQUEST', detail: 'The request is not valid HTTP.' }
  this.log.debug({ code: error.code }, 'client error')
  if (socket.writable) {
    const reason = STATUS_CODES[status]!
    const body = JSON.stringify({ ...new AppError(status, code, detail).toProblem(), title: reason })
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}

/** The Fastify options that bound how long a request may take to arrive and how long a connection lives. */
export function serverLimitOptions(config: Config): Pick<
  FastifyServerOptions,
  'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'maxRequestsPerSocket' | 'clientErrorHandler'
> & { http: { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } } {
  const limits = config.http
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    // Passed to http.createServer: the headers timeout and the checking interval exist only there.
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(limits),
    },
    clientErrorHandler,
  }
}
