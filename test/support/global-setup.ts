import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openDatabase, PGLITE_EXTENSIONS, runMigrations } from '../../src/platform/db/database.ts'
import { canConnect, spawnRedis, type SpawnedRedis } from './services.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data folder dump: loading it is ~5x faster than initdb + migrations. */
    pgliteTemplate: string
    /** Admin URL of the PostgreSQL used by tests, or '' when tests use PGlite only. */
    pgAdminUrl: string
    /** The migrated template database per-file databases are cloned from. */
    pgTemplate: string
    /** The Redis tests may use (with their own key prefixes), or '' when none is available. */
    redisUrl: string
  }
}

const LOCK_ID = 727_002

function migrationsHash(): string {
  const hash = createHash('sha256')
  for (const file of readdirSync('drizzle').sort()) if (file.endsWith('.sql')) hash.update(readFileSync(`drizzle/${file}`))
  return hash.digest('hex').slice(0, 12)
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function findPostgres(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL
  if (await canConnect('127.0.0.1', 5432)) return 'postgres://postgres@127.0.0.1:5432/test'
  return ''
}

async function prepareTemplate(adminUrl: string): Promise<string> {
  const template = `ecar_template_${migrationsHash()}`
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_ID])
    const { rows: leftovers } = await client.query<{ datname: string }>("select datname from pg_database where datname ~ '^ecar_t_[0-9]+_[0-9a-f]+$'")
    for (const { datname } of leftovers) {
      // Databases of test runs that died: their creating process is gone.
      const pid = Number(datname.split('_')[2])
      let alive = false
      try {
        process.kill(pid, 0)
        alive = true
      } catch {
        alive = false
      }
      if (!alive) await client.query(`drop database if exists "${datname}" with (force)`)
    }
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [template])
    if (!rowCount) {
      await client.query(`create database "${template}"`)
      try {
        await runMigrations({ databaseUrl: withDatabase(adminUrl, template) })
      } catch (error) {
        await client.query(`drop database if exists "${template}" with (force)`)
        throw error
      }
    }
    await client.query('select pg_advisory_unlock($1)', [LOCK_ID])
  } finally {
    await client.end()
  }
  return template
}

async function preparePgliteTemplate(): Promise<string> {
  const file = path.join(tmpdir(), `ecar-pglite-template-${migrationsHash()}.tar`)
  if (existsSync(file)) return file
  const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS })
  const database = await openDatabase({ databaseUrl: undefined, dataDir: '', poolMax: 1, pglite })
  await runMigrations({ databaseUrl: undefined, database })
  const dump = await pglite.dumpDataDir('none')
  await pglite.close()
  // Written beside and renamed, so a concurrent run never reads half a file.
  const partial = `${file}.${process.pid}`
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
  renameSync(partial, file)
  return file
}

let spawned: SpawnedRedis | undefined

async function findRedis(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL
  if (await canConnect('127.0.0.1', 6379)) return 'redis://127.0.0.1:6379'
  try {
    spawned = await spawnRedis()
    return spawned.url
  } catch {
    return ''
  }
}

/**
 * The process tests start the server as `npm start` does, from dist/: compiles what changed first
 * (`tsc -b` takes about a second when nothing did). Only the project that runs those tests builds.
 */
async function buildDist(): Promise<void> {
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url))
  await promisify(execFile)(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: fileURLToPath(new URL('../..', import.meta.url)) })
}

/** Finds or starts the services the tests use, once per run. */
export default async function setup(project: TestProject) {
  const built = project.name.startsWith('postgres+redis') ? buildDist() : undefined
  const pgAdminUrl = await findPostgres()
  const pgTemplate = pgAdminUrl ? await prepareTemplate(pgAdminUrl) : ''
  project.provide('pgliteTemplate', await preparePgliteTemplate())
  const redisUrl = await findRedis()
  if (!redisUrl) {
    const line = 'No Redis: the Redis-backed tests are skipped. Install the Debian package redis-server to run them.'
    if (process.env.CI === 'true') throw new Error(`${line} Under CI this fails the run.`)
    console.warn(line)
  }
  project.provide('pgAdminUrl', pgAdminUrl)
  project.provide('pgTemplate', pgTemplate)
  project.provide('redisUrl', redisUrl)
  await built
  return async () => {
    await spawned?.stop()
  }
}
