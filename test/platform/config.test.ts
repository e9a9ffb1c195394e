import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, MIN_PASSWORD_HASH_COST, parseDuration } from '../../src/platform/config.ts'

describe('settings', () => {
  it('keeps the contract’s names and defaults', () => {
    const config = loadConfig({})
    expect(config.port).toBe(3000)
    // The embedded default answers this machine only (issue #13; docs/decisions/010-…).
    expect(config.host).toBe('127.0.0.1')
    expect(config.databaseUrl).toBeUndefined()
    expect(config.dataDir).toMatch(/\/data$/)
    expect(config.redisUrl).toBeUndefined()
    expect(config.cache.prefix).toBe('ecar')
    expect(config.cache.enabled).toBe(true)
    expect(config.cache.responseTtlMs).toBe(15 * 60_000)
    expect(config.cache.customerVehiclesTtlMs).toBe(3_600_000)
    expect(config.demo).toBe(true)
    expect(config.metricsToken).toBeUndefined()
    expect(config.auth.loginFailuresPerAccount).toBe(5)
    expect(config.auth.loginFailuresPerAddress).toBe(50)
    expect(config.auth.registrationsPerAddress).toBe(100)
    expect(config.requestRateLimitPerMinute).toBeUndefined()
  })

  it('listens on loopback by default on the embedded database, on every interface on PostgreSQL, and where HOST says', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1')
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1')
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' }).host).toBe('0.0.0.0')
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0')
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', HOST: '127.0.0.1' }).host).toBe('127.0.0.1')
  })

  it('turns the demo off by default on PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' }).demo).toBe(false)
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', ECAR_DEMO: 'true' }).demo).toBe(true)
  })

  it('refuses to start on bad settings, naming every one of them', () => {
    const bad = {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'not a url',
      CACHE_PREFIX: 'ecar:*',
      CACHE_ENABLED: 'maybe',
      CACHE_TTL_RESPONSE: '15 minutes',
      ECAR_ADMIN_EMAIL: 'admin@example.com',
      LOG_LEVEL: 'loud',
    }
    let error: unknown
    try {
      loadConfig(bad)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'CACHE_PREFIX', 'CACHE_ENABLED', 'CACHE_TTL_RESPONSE', 'ECAR_ADMIN_PASSWORD', 'LOG_LEVEL']) {
      expect(problems).toContain(name)
    }
  })

  it('reads durations with units', () => {
    expect(parseDuration('300ms')).toBe(300)
    expect(parseDuration('30s')).toBe(30_000)
    expect(parseDuration('15m')).toBe(900_000)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('7d')).toBe(604_800_000)
    expect(parseDuration('90')).toBe(90_000)
    expect(parseDuration('1.5h')).toBeUndefined()
  })

  // --- mail outbox, invitations and password reset (customers-mail) ---
  it('reads the mail settings, with a recorded-only outbox and links to localhost by default', () => {
    const defaults = loadConfig({}).mail
    expect(defaults).toEqual({
      smtpUrl: undefined,
      from: 'ECAR <no-reply@localhost>',
      publicUrl: 'http://localhost:3000',
      pollIntervalMs: 5000,
      maxAttempts: 8,
      retryBaseMs: 30_000,
      leaseMs: 300_000,
      resetTtlMs: 3_600_000,
      invitationTtlMs: 7 * 86_400_000,
      resetsPerAddress: 20,
      resetsPerEmail: 5,
      resetWindowMs: 3_600_000,
    })
    expect(loadConfig({ PORT: '8080' }).mail.publicUrl).toBe('http://localhost:8080')
    // The default link base uses the port the server listens on, as parsed, not the raw text.
    expect(loadConfig({ PORT: '08080' }).mail.publicUrl).toBe('http://localhost:8080')
    const set = loadConfig({
      SMTP_URL: 'smtps://user:secret@mail.example.com:465',
      MAIL_FROM: 'Garage <garage@example.com>',
      PUBLIC_URL: 'https://portal.example.com/app/',
      MAIL_POLL_INTERVAL: '250ms',
      MAIL_MAX_ATTEMPTS: '3',
      MAIL_RETRY_BASE: '10s',
      MAIL_LEASE: '1m',
      PASSWORD_RESET_TTL: '30m',
      INVITATION_TTL: '14d',
      PASSWORD_RESETS_PER_ADDRESS: '7',
      PASSWORD_RESETS_PER_EMAIL: '2',
      PASSWORD_RESET_WINDOW: '15m',
    }).mail
    expect(set).toEqual({
      smtpUrl: 'smtps://user:secret@mail.example.com:465',
      from: 'Garage <garage@example.com>',
      publicUrl: 'https://portal.example.com/app',
      pollIntervalMs: 250,
      maxAttempts: 3,
      retryBaseMs: 10_000,
      leaseMs: 60_000,
      resetTtlMs: 1_800_000,
      invitationTtlMs: 14 * 86_400_000,
      resetsPerAddress: 7,
      resetsPerEmail: 2,
      resetWindowMs: 900_000,
    })
  })

  it('refuses bad mail settings, naming each', () => {
    let error: unknown
    try {
      loadConfig({ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'not an address', PUBLIC_URL: 'ftp://x', MAIL_MAX_ATTEMPTS: '0', MAIL_POLL_INTERVAL: 'often' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const name of ['SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL', 'MAIL_MAX_ATTEMPTS', 'MAIL_POLL_INTERVAL']) expect(problems).toContain(name)
    // The URL is named, never echoed: it may hold the SMTP password.
    expect(problems).not.toContain('mail.example.com')
  })
})

describe('deployment hardening settings', () => {
  it('bounds HTTP requests and connections by default, and reads the limits as durations', () => {
    expect(loadConfig({}).http).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      connectionTimeoutMs: 60_000,
      keepAliveTimeoutMs: 72_000,
      maxRequestsPerSocket: 1000,
    })
    const set = loadConfig({
      HTTP_REQUEST_TIMEOUT: '2m',
      HTTP_HEADERS_TIMEOUT: '500ms',
      HTTP_CONNECTION_TIMEOUT: '90',
      HTTP_KEEPALIVE_TIMEOUT: '5s',
      HTTP_MAX_REQUESTS_PER_SOCKET: '0',
    })
    expect(set.http).toEqual({ requestTimeoutMs: 120_000, headersTimeoutMs: 500, connectionTimeoutMs: 90_000, keepAliveTimeoutMs: 5000, maxRequestsPerSocket: 0 })
  })

  it('refuses a headers timeout longer than the request timeout, and limits that are not durations', () => {
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT: '5s', HTTP_HEADERS_TIMEOUT: '6s' })).toThrow(/HTTP_HEADERS_TIMEOUT must not be longer than HTTP_REQUEST_TIMEOUT/)
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT: 'forever' })).toThrow(/HTTP_REQUEST_TIMEOUT/)
    expect(() => loadConfig({ HTTP_MAX_REQUESTS_PER_SOCKET: '-1' })).toThrow(/HTTP_MAX_REQUESTS_PER_SOCKET/)
  })

  it('gives PostgreSQL statements 15 s by default; 0 turns the limit off', () => {
    expect(loadConfig({}).dbStatementTimeoutMs).toBe(15_000)
    expect(loadConfig({ DB_STATEMENT_TIMEOUT: '2s' }).dbStatementTimeoutMs).toBe(2000)
    expect(loadConfig({ DB_STATEMENT_TIMEOUT: '0' }).dbStatementTimeoutMs).toBe(0)
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT: 'soon' })).toThrow(/DB_STATEMENT_TIMEOUT/)
  })

  it('reads the rediss:// scheme in any letter case as TLS, and lowercases it', () => {
    const upper = loadConfig({ REDIS_URL: 'REDISS://:secret@cache.internal:6380/2' })
    expect(upper.redisTls).toBe(true)
    expect(upper.redisUrl).toBe('rediss://:secret@cache.internal:6380/2')
    expect(loadConfig({ REDIS_URL: 'Rediss://cache.internal' }).redisTls).toBe(true)
    expect(loadConfig({ REDIS_URL: 'REDIS://cache.internal:6379/1' })).toMatchObject({ redisTls: false, redisUrl: 'redis://cache.internal:6379/1' })
    expect(loadConfig({}).redisTls).toBe(false)
  })
})

describe('auth limit settings', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env)
      return ''
    } catch (error) {
      return (error as ConfigError).problems.join('\n')
    }
  }

  it('hashes at OWASP’s scrypt floor by default and accepts nothing weaker from the environment', () => {
    expect(loadConfig({}).auth.passwordHashCost).toBe(131_072)
    expect(MIN_PASSWORD_HASH_COST).toBe(131_072)
    expect(loadConfig({ PASSWORD_HASH_COST: '262144' }).auth.passwordHashCost).toBe(262_144)
    expect(problemsOf({ PASSWORD_HASH_COST: '65536' })).toContain('PASSWORD_HASH_COST')
    expect(problemsOf({ PASSWORD_HASH_COST: '1024' })).toContain('PASSWORD_HASH_COST')
    expect(problemsOf({ PASSWORD_HASH_COST: '200000' })).toContain('power of two')
  })

  it('reads the session, success and scrypt bounds', () => {
    const auth = loadConfig({}).auth
    expect(auth).toMatchObject({ loginSuccessesPerAccount: 30, maxSessionsPerUser: 20, passwordHashConcurrency: 2, passwordHashQueue: 64 })
    const set = loadConfig({ LOGIN_SUCCESSES_PER_ACCOUNT: '7', MAX_SESSIONS_PER_USER: '3', PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '0' }).auth
    expect(set).toMatchObject({ loginSuccessesPerAccount: 7, maxSessionsPerUser: 3, passwordHashConcurrency: 1, passwordHashQueue: 0 })
    const problems = problemsOf({ LOGIN_SUCCESSES_PER_ACCOUNT: '0', MAX_SESSIONS_PER_USER: 'many', PASSWORD_HASH_CONCURRENCY: '0', PASSWORD_HASH_QUEUE: '-1' })
    for (const name of ['LOGIN_SUCCESSES_PER_ACCOUNT', 'MAX_SESSIONS_PER_USER', 'PASSWORD_HASH_CONCURRENCY', 'PASSWORD_HASH_QUEUE']) expect(problems).toContain(name)
  })

  it('reads TRUST_PROXY as off, a hop count (true = one hop) or a list of proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1)
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1, fd00::/8' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8'])
    for (const bad of ['everyone', '10.0.0.0/33', '300.1.1.1', '::1/129', '1000']) expect(problemsOf({ TRUST_PROXY: bad })).toContain('TRUST_PROXY')
  })

  it('reads the general request limit', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '600' }).requestRateLimitPerMinute).toBe(600)
    expect(problemsOf({ RATE_LIMIT_PER_MINUTE: '0' })).toContain('RATE_LIMIT_PER_MINUTE')
  })
})

describe('cache trust settings', () => {
  it('reads CACHE_SECRET, CACHE_SECRET_PREVIOUS and MAX_VEHICLES_PER_CUSTOMER', () => {
    const defaults = loadConfig({})
    expect(defaults.cacheSecrets).toEqual({ current: undefined, previous: undefined })
    expect(defaults.maxVehiclesPerCustomer).toBe(50)
    const set = loadConfig({ CACHE_SECRET: 'n'.repeat(32), CACHE_SECRET_PREVIOUS: 'o'.repeat(40), MAX_VEHICLES_PER_CUSTOMER: '7' })
    expect(set.cacheSecrets).toEqual({ current: 'n'.repeat(32), previous: 'o'.repeat(40) })
    expect(set.maxVehiclesPerCustomer).toBe(7)
  })

  it('refuses a short cache secret, a previous one without a current one, and a cap below 1', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env)
      } catch (error) {
        return (error as ConfigError).problems.join('\n')
      }
      return ''
    }
    expect(problems({ CACHE_SECRET: 'short' })).toContain('CACHE_SECRET must be 32 to 1024 characters')
    expect(problems({ CACHE_SECRET_PREVIOUS: 'o'.repeat(32) })).toContain('CACHE_SECRET_PREVIOUS needs CACHE_SECRET')
    expect(problems({ MAX_VEHICLES_PER_CUSTOMER: '0' })).toContain('MAX_VEHICLES_PER_CUSTOMER')
  })
})
