import path from 'node:path'

/** Log levels pino accepts. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** The validated, frozen settings of one ECAR process. */
export interface Config {
  port: number
  host: string
  /** How many worker processes serve HTTP (node:cluster when above 1). */
  webConcurrency: number
  logLevel: (typeof LOG_LEVELS)[number]
  /** PostgreSQL connection string; undefined means the embedded PGlite database. */
  databaseUrl: string | undefined
  dataDir: string
  dbPoolMax: number
  redisUrl: string | undefined
  redis: {
    connectTimeoutMs: number
    commandTimeoutMs: number
    keepAliveMs: number
    maxReconnectDelayMs: number
    /** How long the circuit breaker skips Redis after a failure before probing again. */
    breakerMs: number
  }
  cache: {
    enabled: boolean
    prefix: string
    version: number
    responseTtlMs: number
    customerVehiclesTtlMs: number
    /** How long a session lookup may be served from the cache (revocation invalidates it at once). */
    sessionLookupTtlMs: number
    l1MaxEntries: number
    l1MaxBytes: number
    /** Session lookups the in-process tier keeps apart from (and beyond) the other entries; 0 shares them. */
    l1Sessions: number
    /** How long past its TTL an untouched entry may still answer while the database is down; 0 never. */
    staleIfErrorMs: number
  }
  // --- cache trust (helper cache-trust): keep together ---
  /**
   * Secrets that authenticate what the cache reads back from Redis: `current` signs, both verify.
   * Undefined `current`: the deployment's own random secret from the database (table cache_identity).
   */
  cacheSecrets: { current: string | undefined; previous: string | undefined }
  /** How many vehicles one customer may own (a bound on what one account can make the cache hold). */
  maxVehiclesPerCustomer: number
  // --- end cache trust ---
  auth: {
    sessionTtlMs: number
    /** scrypt cost parameter N (a power of two). */
    passwordHashCost: number
    loginFailuresPerAccount: number
    loginFailuresPerAddress: number
    loginWindowMs: number
    registrationsPerAddress: number
    registrationWindowMs: number
  }
  /** General per-address request limit per minute; undefined means off (the contract's default). */
  requestRateLimitPerMinute: number | undefined
  bodyLimitBytes: number
  corsOrigins: string[]
  trustProxy: boolean
  demo: boolean
  admin: { email: string; password: string } | undefined
  metricsToken: string | undefined
}

type Env = Record<string, string | undefined>

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

/** Reads settings from an environment, collecting every problem before failing. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
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

  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:'])
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:'])

  const logLevel = (read('LOG_LEVEL') ?? 'info') as Config['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)

  const prefix = read('CACHE_PREFIX') ?? 'ecar'
  // The prefix is part of every key and of the SCAN pattern that clears them: glob characters would widen it.
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) {
    problems.push('CACHE_PREFIX must be 1 to 64 letters, digits, "_", "." or "-"')
  }

  const adminEmail = read('ECAR_ADMIN_EMAIL')
  const adminPassword = read('ECAR_ADMIN_PASSWORD')
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push('ECAR_ADMIN_EMAIL and ECAR_ADMIN_PASSWORD must be set together')
  }
  if (adminPassword !== undefined && (adminPassword.length < 10 || adminPassword.length > 128)) {
    problems.push('ECAR_ADMIN_PASSWORD must be 10 to 128 characters')
  }
  if (adminEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    problems.push('ECAR_ADMIN_EMAIL is not an email address')
  }

  // --- cache trust (helper cache-trust): keep together ---
  const cacheSecret = read('CACHE_SECRET')
  const previousCacheSecret = read('CACHE_SECRET_PREVIOUS')
  for (const [name, value] of [['CACHE_SECRET', cacheSecret], ['CACHE_SECRET_PREVIOUS', previousCacheSecret]] as const) {
    if (value !== undefined && (value.length < 32 || value.length > 1024)) problems.push(`${name} must be 32 to 1024 characters`)
  }
  if (previousCacheSecret !== undefined && cacheSecret === undefined) problems.push('CACHE_SECRET_PREVIOUS needs CACHE_SECRET (the secret that replaces it)')
  const maxVehiclesPerCustomer = int('MAX_VEHICLES_PER_CUSTOMER', 50, 1, 100_000)
  // --- end cache trust ---

  const hashCost = int('PASSWORD_HASH_COST', 32768, 1024, 1_048_576)
  if ((hashCost & (hashCost - 1)) !== 0) problems.push('PASSWORD_HASH_COST must be a power of two')

  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    webConcurrency: int('WEB_CONCURRENCY', 1, 1, 256),
    host: read('HOST') ?? '0.0.0.0',
    logLevel,
    databaseUrl,
    dataDir: path.resolve(read('DATA_DIR') ?? './data'),
    dbPoolMax: int('DB_POOL_MAX', 10, 1, 1000),
    redisUrl,
    redis: {
      connectTimeoutMs: int('REDIS_CONNECT_TIMEOUT_MS', 1000, 50, 60_000),
      commandTimeoutMs: int('REDIS_COMMAND_TIMEOUT_MS', 300, 10, 60_000),
      keepAliveMs: int('REDIS_KEEPALIVE_MS', 10_000, 0, 600_000),
      maxReconnectDelayMs: int('REDIS_MAX_RECONNECT_DELAY_MS', 2000, 10, 60_000),
      breakerMs: int('CACHE_BREAKER_MS', 1000, 10, 60_000),
    },
    cache: {
      enabled: bool('CACHE_ENABLED', true),
      prefix,
      version: int('CACHE_VERSION', 1, 1, 1_000_000),
      responseTtlMs: duration('CACHE_TTL_RESPONSE', '15m', 1000),
      customerVehiclesTtlMs: duration('CACHE_TTL_CUSTOMER_VEHICLES', '1h', 1000),
      sessionLookupTtlMs: duration('CACHE_TTL_SESSION', '5m', 1000),
      l1MaxEntries: int('CACHE_L1_MAX_ENTRIES', 10_000, 0, 10_000_000),
      l1MaxBytes: int('CACHE_L1_MAX_BYTES', 64 * 1024 * 1024, 0, 8 * 1024 * 1024 * 1024),
      l1Sessions: int('CACHE_L1_SESSIONS', 10_000, 0, 10_000_000),
      staleIfErrorMs: duration('CACHE_STALE_IF_ERROR', '1h', 0),
    },
    cacheSecrets: { current: cacheSecret, previous: previousCacheSecret },
    maxVehiclesPerCustomer,
    auth: {
      sessionTtlMs: duration('SESSION_TTL', '30d', 60_000),
      passwordHashCost: hashCost,
      loginFailuresPerAccount: int('LOGIN_FAILURES_PER_ACCOUNT', 5, 1, 1_000_000),
      loginFailuresPerAddress: int('LOGIN_FAILURES_PER_ADDRESS', 50, 1, 1_000_000),
      loginWindowMs: duration('LOGIN_FAILURE_WINDOW', '15m', 1000),
      registrationsPerAddress: int('REGISTRATIONS_PER_ADDRESS', 100, 1, 1_000_000),
      registrationWindowMs: duration('REGISTRATION_WINDOW', '1h', 1000),
    },
    requestRateLimitPerMinute: optionalInt('RATE_LIMIT_PER_MINUTE', 1, 10_000_000),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 100 * 1024, 1024, 100 * 1024 * 1024),
    corsOrigins: (read('CORS_ORIGINS') ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    trustProxy: bool('TRUST_PROXY', false),
    // The demo garage is for the embedded default; a real PostgreSQL gets it only when asked.
    demo: bool('ECAR_DEMO', databaseUrl === undefined),
    admin: adminEmail && adminPassword ? { email: adminEmail.toLowerCase(), password: adminPassword } : undefined,
    metricsToken: read('METRICS_TOKEN'),
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(config)
}
