import path from 'node:path'
import { ConfigError, parseTrustProxy, settingReaders, type Env } from './config-readers.ts'

export { ConfigError, parseDuration, parseTrustProxy } from './config-readers.ts'

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
    /** Successful sign-ins of one account per login window (each costs a scrypt and a session). */
    loginSuccessesPerAccount: number
    /** Live sessions one user may hold; signing in past it ends the oldest. */
    maxSessionsPerUser: number
    /** scrypt calls running at once in this process; further callers wait in a queue. */
    passwordHashConcurrency: number
    /** Callers that may wait for a scrypt slot; past it the answer is 503 with Retry-After. */
    passwordHashQueue: number
  }
  /** General per-address request limit per minute; undefined means off (the contract's default). */
  requestRateLimitPerMinute: number | undefined
  bodyLimitBytes: number
  corsOrigins: string[]
  /** Fastify's trustProxy: false, a number of proxy hops, or the proxies' addresses/CIDRs. */
  trustProxy: false | number | string[]
  demo: boolean
  admin: { email: string; password: string } | undefined
  metricsToken: string | undefined
  // --- deployment hardening (HTTP timeouts, statement timeout, Redis TLS) ---
  /** Node's HTTP server limits: how long a request may take to arrive, and how long a connection may live. */
  http: {
    /** The whole request, headers and body, must have arrived within this (else 408 and the connection closes). */
    requestTimeoutMs: number
    /** The request headers must have arrived within this; at most requestTimeoutMs. */
    headersTimeoutMs: number
    /** A socket with no traffic at all for this long is closed (a handler's work counts as no traffic). */
    connectionTimeoutMs: number
    /** How long an idle keep-alive connection is kept between requests. */
    keepAliveTimeoutMs: number
    /** Requests one connection may carry before the server closes it; 0 means no limit. */
    maxRequestsPerSocket: number
  }
  /** PostgreSQL's statement_timeout on the pool's connections (not migrations, not PGlite); 0 means none. */
  dbStatementTimeoutMs: number
  /** True for a rediss:// REDIS_URL, in any letter case: the connection then uses TLS. */
  redisTls: boolean
  // --- mail outbox, invitations and password reset (customers-mail) ---
  mail: {
    /** smtp:// or smtps:// URL of the relay; undefined means messages are only recorded. */
    smtpUrl: string | undefined
    /** The From address of every message. */
    from: string
    /** The base of the links mailed out (web app routes), without a trailing slash. */
    publicUrl: string
    /** How often a process looks for queued messages that are due. */
    pollIntervalMs: number
    /** Sending attempts before a message is marked failed. */
    maxAttempts: number
    /** The first retry's delay; each further retry waits twice as long (capped at one hour). */
    retryBaseMs: number
    /** How long a process may hold a claimed message before another may take it over. */
    leaseMs: number
    /** Lifetime of a password-reset link and of an invitation link. */
    resetTtlMs: number
    invitationTtlMs: number
    resetsPerAddress: number
    resetsPerEmail: number
    resetWindowMs: number
  }
}

/** The lowest scrypt cost N the settings accept: OWASP's minimum for scrypt (r=8, p=1). */
export const MIN_PASSWORD_HASH_COST = 131_072

/** Reads settings from an environment, collecting every problem before failing. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const { read, int, optionalInt, bool, duration, url } = settingReaders(env, problems)

  // Parsed once: the listen port is also the default PUBLIC_URL's.
  const port = int('PORT', 3000, 0, 65535)
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:'])
  // URL schemes are case-insensitive (RFC 3986) and WHATWG's URL lowercases them, but ioredis looks
  // for a literal "rediss://": REDISS:// passed validation and connected in clear. So the scheme is
  // lowercased here, and TLS is also requested explicitly from redisTls (redis-connection.ts).
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:'])?.replace(/^[a-z]+:/i, (scheme) => scheme.toLowerCase())
  const redisTls = redisUrl?.startsWith('rediss:') ?? false

  // --- deployment hardening: HTTP timeouts ---
  // Fastify's defaults are no request timeout and no socket timeout: a client trickling a body held
  // its connection (and a share of the server's memory) for as long as it liked.
  const httpLimits: Config['http'] = {
    requestTimeoutMs: duration('HTTP_REQUEST_TIMEOUT', '30s', 100),
    headersTimeoutMs: duration('HTTP_HEADERS_TIMEOUT', '10s', 100),
    connectionTimeoutMs: duration('HTTP_CONNECTION_TIMEOUT', '60s', 100),
    keepAliveTimeoutMs: duration('HTTP_KEEPALIVE_TIMEOUT', '72s', 100),
    maxRequestsPerSocket: int('HTTP_MAX_REQUESTS_PER_SOCKET', 1000, 0, 10_000_000),
  }
  // Node refuses to create a server whose headers timeout exceeds its request timeout.
  if (httpLimits.headersTimeoutMs > httpLimits.requestTimeoutMs) {
    problems.push('HTTP_HEADERS_TIMEOUT must not be longer than HTTP_REQUEST_TIMEOUT')
  }
  const dbStatementTimeoutMs = duration('DB_STATEMENT_TIMEOUT', '15s', 0)

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

  // --- mail outbox, invitations and password reset (customers-mail) ---
  const mailFrom = read('MAIL_FROM') ?? 'ECAR <no-reply@localhost>'
  if (!/^[^<>@\s]+@[^<>@\s]+$|^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/.test(mailFrom)) {
    problems.push('MAIL_FROM must be an address, optionally with a name: "Shop <garage@example.com>"')
  }
  const publicUrlRaw = url('PUBLIC_URL', ['http:', 'https:'])
  const publicUrl = (publicUrlRaw ?? `http://localhost:${port}`).replace(/\/+$/, '')

  // --- cache trust (helper cache-trust): keep together ---
  const cacheSecret = read('CACHE_SECRET')
  const previousCacheSecret = read('CACHE_SECRET_PREVIOUS')
  for (const [name, value] of [['CACHE_SECRET', cacheSecret], ['CACHE_SECRET_PREVIOUS', previousCacheSecret]] as const) {
    if (value !== undefined && (value.length < 32 || value.length > 1024)) problems.push(`${name} must be 32 to 1024 characters`)
  }
  if (previousCacheSecret !== undefined && cacheSecret === undefined) problems.push('CACHE_SECRET_PREVIOUS needs CACHE_SECRET (the secret that replaces it)')
  const maxVehiclesPerCustomer = int('MAX_VEHICLES_PER_CUSTOMER', 50, 1, 100_000)
  // --- end cache trust ---


  // --- auth limits (auth-limits helper): hash cost floor, scrypt concurrency, sessions, proxy trust ---
  // OWASP's floor for scrypt is N=2^17, r=8, p=1; tests get a cheaper cost only through
  // test/support/app.ts (`passwordHashCost`), never from the environment.
  const hashCost = int('PASSWORD_HASH_COST', MIN_PASSWORD_HASH_COST, MIN_PASSWORD_HASH_COST, 1_048_576)
  if ((hashCost & (hashCost - 1)) !== 0) problems.push('PASSWORD_HASH_COST must be a power of two')
  const trustProxy = parseTrustProxy(read('TRUST_PROXY'), problems)
  const authLimits = {
    loginSuccessesPerAccount: int('LOGIN_SUCCESSES_PER_ACCOUNT', 30, 1, 1_000_000),
    maxSessionsPerUser: int('MAX_SESSIONS_PER_USER', 20, 1, 10_000),
    passwordHashConcurrency: int('PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
    passwordHashQueue: int('PASSWORD_HASH_QUEUE', 64, 0, 100_000),
  }
  // --- end auth limits ---

  const config: Config = {
    port,
    webConcurrency: int('WEB_CONCURRENCY', 1, 1, 256),
    // The embedded default (a try-out, with demo accounts) answers this machine only; a PostgreSQL
    // deployment keeps the contract's 0.0.0.0 (docs/decisions/010-data-folder-lock-and-demo-credentials.md).
    host: read('HOST') ?? (databaseUrl === undefined ? '127.0.0.1' : '0.0.0.0'),
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
      ...authLimits,
    },
    requestRateLimitPerMinute: optionalInt('RATE_LIMIT_PER_MINUTE', 1, 10_000_000),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 100 * 1024, 1024, 100 * 1024 * 1024),
    corsOrigins: (read('CORS_ORIGINS') ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    trustProxy,
    // The demo garage is for the embedded default; a real PostgreSQL gets it only when asked.
    demo: bool('ECAR_DEMO', databaseUrl === undefined),
    admin: adminEmail && adminPassword ? { email: adminEmail.toLowerCase(), password: adminPassword } : undefined,
    metricsToken: read('METRICS_TOKEN'),
    http: httpLimits,
    dbStatementTimeoutMs,
    redisTls,
    // --- mail outbox, invitations and password reset (customers-mail) ---
    mail: {
      smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
      from: mailFrom,
      publicUrl,
      pollIntervalMs: duration('MAIL_POLL_INTERVAL', '5s', 10),
      maxAttempts: int('MAIL_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs: duration('MAIL_RETRY_BASE', '30s', 1),
      leaseMs: duration('MAIL_LEASE', '5m', 1000),
      resetTtlMs: duration('PASSWORD_RESET_TTL', '1h', 60_000),
      invitationTtlMs: duration('INVITATION_TTL', '7d', 60_000),
      resetsPerAddress: int('PASSWORD_RESETS_PER_ADDRESS', 20, 1, 1_000_000),
      resetsPerEmail: int('PASSWORD_RESETS_PER_EMAIL', 5, 1, 1_000_000),
      resetWindowMs: duration('PASSWORD_RESET_WINDOW', '1h', 1000),
    },
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(config)
}
