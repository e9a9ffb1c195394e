import { BlockList, isIP } from 'node:net'
import type { Config } from '../config.ts'

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/** True for a listen address only this machine can reach: 127.0.0.0/8, ::1 (also IPv4-mapped) or localhost. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[|\]$/g, '')
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  const family = isIP(name)
  // BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 subnet.
  return family !== 0 && LOOPBACK.check(name, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * Who may read /metrics (Node version, pid, per-route traffic): the METRICS_TOKEN holder when a token
 * is set; anyone when the server listens on loopback only; nobody otherwise — a server that listens
 * beyond loopback without a token would hand them to the whole network.
 */
export function metricsAccess(config: Pick<Config, 'host' | 'metricsToken'>): 'token' | 'open' | 'closed' {
  if (config.metricsToken !== undefined) return 'token'
  return isLoopbackHost(config.host) ? 'open' : 'closed'
}

/** What the log and the 401 say when /metrics is closed: how to open it. */
export function closedMetricsAdvice(host: string): string {
  return `/metrics is closed: the server listens on ${host}, beyond loopback, and METRICS_TOKEN is not set. Set METRICS_TOKEN and scrape with "Authorization: Bearer <token>".`
}
