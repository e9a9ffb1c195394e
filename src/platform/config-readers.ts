import { isIP } from 'node:net'

/** The environment settings are read from. */
export type Env = Record<string, string | undefined>

/** Thrown when settings are invalid; lists every bad setting, not only the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Parses "15m", "1h", "300ms", "30s", "7d" or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim())
  if (!match) return undefined
  return Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!
}

/**
 * TRUST_PROXY: `false`/unset trusts nobody; `true` is one hop (the proxy in front appends the
 * client's address); a number is that many hops; otherwise a comma list of proxy addresses or CIDRs.
 * `true` never means "every hop": then the left-most X-Forwarded-For, which the client writes, would
 * become the client address.
 */
export function parseTrustProxy(raw: string | undefined, problems: string[]): false | number | string[] {
  if (raw === undefined || /^(false|0|no|off)$/i.test(raw)) return false
  if (/^(true|yes|on)$/i.test(raw)) return 1
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw)
    if (hops <= 100) return hops
  }
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean)
  const valid = entries.length > 0 && entries.every((entry) => {
    const [address, bits, extra] = entry.split('/')
    const family = isIP(address ?? '')
    if (family === 0 || extra !== undefined) return false
    if (bits === undefined) return true
    const n = Number(bits)
    return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128)
  })
  if (!valid) {
    problems.push(`TRUST_PROXY must be false, true (one hop), a hop count up to 100, or a comma list of proxy addresses/CIDRs (got "${raw}")`)
    return false
  }
  return entries
}

/**
 * The typed readers of `loadConfig`: each reads one variable (blank counts as unset), checks it and,
 * when it is bad, adds a line to `problems` and returns the fallback, so every bad setting is listed.
 */
export function settingReaders(env: Env, problems: string[]) {
  const read = (name: string) => {
    const value = env[name]
    return value === undefined || value.trim() === '' ? undefined : value.trim()
  }
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name)
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`)
      return fallback
    }
    return value
  }
  const optionalInt = (name: string, min: number, max: number): number | undefined =>
    read(name) === undefined ? undefined : int(name, 0, min, max)
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name)
    if (raw === undefined) return fallback
    if (/^(true|1|yes|on)$/i.test(raw)) return true
    if (/^(false|0|no|off)$/i.test(raw)) return false
    problems.push(`${name} must be true or false (got "${raw}")`)
    return fallback
  }
  const duration = (name: string, fallback: string, minMs = 1): number => {
    const raw = read(name) ?? fallback
    const value = parseDuration(raw)
    if (value === undefined || value < minMs) {
      problems.push(`${name} must be a duration like 300ms, 30s, 15m, 1h or 7d (got "${raw}")`)
      return parseDuration(fallback)!
    }
    return value
  }
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = read(name)
    if (raw === undefined) return undefined
    try {
      const parsed = new URL(raw)
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`)
      }
    } catch {
      problems.push(`${name} is not a valid URL`)
    }
    return raw
  }
  return { read, int, optionalInt, bool, duration, url }
}
