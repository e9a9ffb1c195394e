import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import helmet from 'helmet'
import type { Config } from '../config.ts'

// Swagger UI at /docs needs its inline scripts and styles; everything else is JSON.
// upgrade-insecure-requests only when the page came over HTTPS: on plain HTTP from another machine
// the browser would fetch Swagger UI's scripts over https://, get nothing, and show a blank page.
const helmetOptions = (overTls: boolean) => ({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
      upgradeInsecureRequests: overTls ? [] : null,
    },
  },
})

/**
 * The headers helmet sets, computed once by running helmet against a recording response. They do
 * not depend on the request, and @fastify/helmet rebuilds them (the CSP above all) on every request:
 * about a tenth of the CPU of a cached GET (docs/performance.md).
 */
export function securityHeaders(overTls = false): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()]
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  }
  let error: unknown
  helmet(helmetOptions(overTls))({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    error = err
  })
  if (error) throw error
  return headers
}

/**
 * The headers that matter for JSON: a JSON response is never rendered, framed or sniffed as a page,
 * so the API gets a deny-all policy in few headers; the full set above goes to everything else
 * (the Swagger UI pages).
 */
export function apiSecurityHeaders(all: Record<string, string>): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'strict-transport-security': all['strict-transport-security']!,
  }
}

/** Security headers (helmet's, precomputed), the request id, and a strict CORS policy (none unless origins are listed). */
export const securityPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const pageHeaders = securityHeaders(false)
    const tlsPageHeaders = securityHeaders(true)
    const apiHeaders = apiSecurityHeaders(pageHeaders)
    app.addHook('onRequest', (request, reply, done) => {
      // request.protocol is https when the connection is TLS, or when a trusted proxy
      // (TRUST_PROXY) says so in X-Forwarded-Proto.
      reply.headers(request.url.startsWith('/api/') ? apiHeaders : request.protocol === 'https' ? tlsPageHeaders : pageHeaders)
      reply.header('x-request-id', request.id)
      done()
    })
    // No listed origin, no CORS at all: the plugin with `origin: false` grants nothing either, but
    // still runs on every request (and answers preflights 404, as an unknown route does).
    if (opts.config.corsOrigins.length > 0) {
      await app.register(cors, {
        origin: opts.config.corsOrigins,
        // Bearer tokens only, no cookie session: browsers need not send cookies cross-origin. A cookie
        // session (the browser-session decision) must turn this on together with CSRF protection.
        credentials: false,
        exposedHeaders: ['x-cache', 'etag', 'x-request-id', 'retry-after'],
      })
    }
  },
  { name: 'ecar-security' },
)
