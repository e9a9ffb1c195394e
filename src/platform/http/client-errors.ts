import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { ErrorSpec } from './error-catalog.ts'
import { problem } from './errors.ts'
import { PlatformErrors } from './platform.errors.ts'
import { apiSecurityHeaders, securityHeaders } from './security.plugin.ts'

const REFUSALS: Record<string, { spec: ErrorSpec; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { spec: PlatformErrors.REQUEST_TIMEOUT, detail: 'The request did not arrive in time.' },
  HPE_HEADER_OVERFLOW: { spec: PlatformErrors.HEADERS_TOO_LARGE, detail: 'The request headers are too large.' },
}
const MALFORMED = { spec: PlatformErrors.MALFORMED_REQUEST, detail: 'The request is not valid HTTP.' }

let headerLines: string | undefined

/** The raw HTTP/1.1 response of a refused connection: problem+json with the API's security headers. */
export function clientErrorResponse(errorCode: string | undefined): string {
  const { spec, detail } = REFUSALS[errorCode ?? ''] ?? MALFORMED
  const status = spec.status
  const body = JSON.stringify(problem(spec, detail).toProblem())
  // The same headers every API answer gets, computed by the security plugin's functions.
  headerLines ??= Object.entries(apiSecurityHeaders(securityHeaders()))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    'content-type: application/problem+json; charset=utf-8\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    headerLines +
    'connection: close\r\n\r\n' +
    body
  )
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before there is a request (headers
 * too large, a timeout, bytes that are not HTTP) is answered as problem+json too, not Fastify's
 * plain JSON without security headers.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  this.log.debug({ code: error.code }, 'client error')
  // Node's own rule: answer unless a response in flight has already sent its head. Not bytesWritten:
  // on a kept-alive connection the earlier, finished answers count there too, and nothing was sent.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage
  if (socket.writable && !inFlight?.headersSent) socket.write(clientErrorResponse(error.code))
  socket.destroy(error)
}
