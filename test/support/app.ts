import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { Redis } from 'ioredis'
import { inject } from 'vitest'
import { buildApp, type BuildOptions } from '../../src/app.ts'
import { unlinkMatching } from '../../src/platform/cache/redis-store.ts'
import { loadConfig, type Config } from '../../src/platform/config.ts'
import { openDatabase, PGLITE_EXTENSIONS, type Database } from '../../src/platform/db/database.ts'

/** Which database this test project runs on (vitest.config.ts sets it per project). */
export function testDbKind(): 'postgres' | 'pglite' {
  return process.env.ECAR_TEST_DB === 'postgres' && inject('pgAdminUrl') ? 'postgres' : 'pglite'
}

/** Which cache backend this test project runs on. */
export function testCacheKind(): 'redis' | 'memory' {
  return process.env.ECAR_TEST_CACHE === 'redis' && inject('redisUrl') ? 'redis' : 'memory'
}

/** The Redis tests share, or undefined when none is available. */
export function testRedisUrl(): string | undefined {
  return inject('redisUrl') || undefined
}

/** A database of this test file's own, dropped by `drop`. */
export interface TestDatabase {
  database: Database
  /** The connection string (PostgreSQL only), for a second app instance or a LISTEN client. */
  url: string | undefined
  drop(): Promise<void>
}

/** A fresh migrated database: on PostgreSQL cloned from the template, on PGlite created in memory. */
export async function createTestDatabase(kind = testDbKind()): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const adminUrl = inject('pgAdminUrl')
    const name = `ecar_t_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`create database "${name}" template "${inject('pgTemplate')}"`)
    await admin.end()
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolMax: 10 })
    return {
      database,
      url: url.toString(),
      async drop() {
        await database.close()
        const client = new pg.Client({ connectionString: adminUrl })
        await client.connect()
        await client.query(`drop database if exists "${name}" with (force)`)
        await client.end()
      },
    }
  }
  const template = new Blob([readFileSync(inject('pgliteTemplate'))])
  const pglite = await PGlite.create({ loadDataDir: template, extensions: PGLITE_EXTENSIONS })
  const database = await openDatabase({ databaseUrl: undefined, dataDir: '', poolMax: 1, pglite })
  return {
    database,
    url: undefined,
    async drop() {
      await pglite.close()
    },
  }
}

/** A cache key prefix no other test file uses. */
export function uniquePrefix(): string {
  return `ecar-test-${randomBytes(5).toString('hex')}`
}

/** Removes every key under a prefix this test created (never FLUSHDB: the Redis may be shared). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
  } catch {
    // An unreachable Redis (a test of exactly that) holds nothing of ours.
    redis.disconnect()
    return
  }
  try {
    await unlinkMatching(redis, `${prefix}:*`, { batch: 1000 })
  } finally {
    redis.disconnect()
  }
}

/** The scrypt cost tests hash with: far below the production floor, so tests stay fast. */
export const TEST_PASSWORD_HASH_COST = 1024

/**
 * Settings for a test app: quiet logs, cheap password hashing, its own cache prefix.
 * The cheap cost is set here, after loadConfig, because the environment cannot produce it
 * (PASSWORD_HASH_COST has OWASP's floor): this is the only path to a weak cost, and it is test-only.
 */
export function testConfig(env: Record<string, string | undefined> = {}, options: { passwordHashCost?: number } = {}): Config {
  const redisUrl = testCacheKind() === 'redis' ? testRedisUrl() : undefined
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    // Test apps listen on loopback only (if at all), as the embedded default does.
    HOST: '127.0.0.1',
    CACHE_PREFIX: uniquePrefix(),
    REDIS_URL: redisUrl,
    ECAR_DEMO: 'false',
    // Demo logins are written to the data folder: never the repository's ./data.
    DATA_DIR: path.join(tmpdir(), `ecar-test-data-${process.pid}`),
    ...env,
  })
  const passwordHashCost = env.PASSWORD_HASH_COST === undefined ? (options.passwordHashCost ?? TEST_PASSWORD_HASH_COST) : config.auth.passwordHashCost
  return Object.freeze({ ...config, auth: Object.freeze({ ...config.auth, passwordHashCost }) })
}

/** A built app on its own database and cache prefix, and how to tear it all down. */
export interface TestApp {
  app: FastifyInstance
  config: Config
  testDb: TestDatabase
  close(): Promise<void>
}

/**
 * Builds an app for one test file. Pass `testDb` to put a second instance on the same database.
 * Closing drops the database (when this call created it) and the cache prefix's keys.
 */
export async function buildTestApp(
  options: { env?: Record<string, string | undefined>; testDb?: TestDatabase; logStream?: NodeJS.WritableStream; passwordHashCost?: number; flows?: BuildOptions['flows'] } = {},
): Promise<TestApp> {
  const testDb = options.testDb ?? (await createTestDatabase())
  const config = testConfig({ DATABASE_URL: testDb.url, ...options.env }, { passwordHashCost: options.passwordHashCost })
  const app = await buildApp({ config, database: testDb.database, logStream: options.logStream, ...(options.flows ? { flows: options.flows } : {}) })
  await app.ready()
  return {
    app,
    config,
    testDb,
    async close() {
      await app.close()
      if (!options.testDb) await testDb.drop()
      if (config.redisUrl) await deleteRedisPrefix(config.redisUrl, config.cache.prefix)
    },
  }
}

/** Two app instances on one PostgreSQL database and one cache prefix, and how to tear both down. */
export interface TwoInstances {
  a: TestApp
  b: TestApp
  close(): Promise<void>
}

/** Builds two instances of the app sharing one new PostgreSQL database and one Redis prefix. */
export async function buildTwoInstances(env: Record<string, string | undefined> = {}): Promise<TwoInstances> {
  const testDb = await createTestDatabase('postgres')
  const shared = { CACHE_PREFIX: uniquePrefix(), ...env }
  const a = await buildTestApp({ testDb, env: shared })
  const b = await buildTestApp({ testDb, env: shared })
  return {
    a,
    b,
    async close() {
      await a.close()
      await b.close()
      await testDb.drop()
    },
  }
}
