import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseDuration } from '../../src/platform/config.ts'

describe('settings', () => {
  it('keeps the contract’s names and defaults', () => {
    const config = loadConfig({})
    expect(config.port).toBe(3000)
    expect(config.host).toBe('0.0.0.0')
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
