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

  // --- cache trust (helper cache-trust) ---
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
