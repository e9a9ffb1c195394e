import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../config.ts'

/**
 * Node checks the request and headers timeouts on a timer, every `connectionsCheckingInterval`
 * (30 s by default): a 30 s timeout would then close a connection anywhere from 30 to 60 s. A
 * quarter of the shorter timeout, at most 1 s, keeps the overshoot small for a cheap periodic scan.
 */
export function checkingIntervalMs(limits: Config['http']): number {
  return Math.max(25, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)))
}

/** The Fastify options that bound how long a request may take to arrive and how long a connection lives. */
export function serverLimitOptions(config: Config): Pick<
  FastifyServerOptions,
  'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'maxRequestsPerSocket'
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
  }
}
