import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import type { Logger as DrizzleLogger } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import * as schema from './schema.ts'

export type Schema = typeof schema
/** The Drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>
/** A transaction of {@link Db}. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>
/** What repositories take first: the database or a transaction the caller owns. */
export type Executor = Db | Tx

/** Counts the queries this process sends, for metrics, tests and benchmarks. */
export interface QueryCounter {
  count: number
}

/** An open database with its driver kind and a way to close it. */
export interface Database {
  kind: 'postgres' | 'pglite'
  db: Db
  queries: QueryCounter
  /** The connection string, for the LISTEN connection (PostgreSQL only). */
  url: string | undefined
  /** Runs a query that proves the database answers. */
  ping(): Promise<void>
  close(): Promise<void>
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url))
// An arbitrary constant: every ECAR process migrating the same database takes this advisory lock.
const MIGRATION_LOCK_ID = 727_001

function countingLogger(counter: QueryCounter): DrizzleLogger {
  return {
    logQuery() {
      counter.count++
    },
  }
}

export interface DatabaseOptions {
  databaseUrl: string | undefined
  dataDir: string
  poolMax: number
  /** For tests: an existing PGlite to wrap instead of opening one in dataDir. */
  pglite?: PGlite
}

/** Opens PostgreSQL when a URL is given, otherwise PGlite in the data folder. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const queries: QueryCounter = { count: 0 }
  const logger = countingLogger(queries)
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    })
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => {})
    const db = drizzlePg(pool, { schema, logger }) as unknown as Db
    return {
      kind: 'postgres',
      db,
      queries,
      url: options.databaseUrl,
      ping: async () => {
        await pool.query('select 1')
      },
      close: () => pool.end(),
    }
  }
  let client = options.pglite
  if (!client) {
    mkdirSync(options.dataDir, { recursive: true })
    client = await PGlite.create(options.dataDir)
  }
  const pglite = client
  const db = drizzlePglite(pglite, { schema, logger }) as unknown as Db
  return {
    kind: 'pglite',
    db,
    queries,
    url: undefined,
    ping: async () => {
      await pglite.query('select 1')
    },
    close: async () => {
      if (!options.pglite) await pglite.close()
    },
  }
}

/**
 * Applies the committed migrations. Safe to run twice and from several processes at once: on
 * PostgreSQL one dedicated connection holds an advisory lock while it migrates.
 */
export async function runMigrations(options: Pick<DatabaseOptions, 'databaseUrl' | 'pglite'> & { database?: Database }): Promise<void> {
  if (options.databaseUrl) {
    const client = new pg.Client({ connectionString: options.databaseUrl })
    await client.connect()
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID])
      try {
        await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER })
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID])
      }
    } finally {
      await client.end()
    }
    return
  }
  const db = options.database?.db
  if (!db) throw new Error('runMigrations on PGlite needs the open database')
  // PGlite is single-connection and in-process: nothing else can migrate it at the same time.
  await migratePglite(db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder: MIGRATIONS_FOLDER })
}
