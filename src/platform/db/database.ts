import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import type { Logger as DrizzleLogger } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import { isDatabaseUnavailable } from './db-errors.ts'
import { lockDataFolder, type DataFolderLock } from './data-folder-lock.ts'

/**
 * No relational schema: repositories write their queries with the query builder, and the tables
 * belong to the modules (platform code must not import them; drizzle-kit finds them by file name).
 */
export type Schema = Record<string, never>
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

/** Called after each statement the driver ran, with its duration (acquiring a pooled connection not included). */
export type QueryListener = (durationMs: number) => void

/** An open database with its driver kind and a way to close it. */
export interface Database {
  kind: 'postgres' | 'pglite'
  db: Db
  queries: QueryCounter
  /**
   * Registers a listener for query durations (metrics); returns its removal. Several apps may share
   * one Database (tests), hence a list rather than a single callback.
   */
  onQuery(listener: QueryListener): () => void
  /** The connection string, for the LISTEN connection (PostgreSQL only). */
  url: string | undefined
  /**
   * Runs `work` in a transaction: committed when it resolves, rolled back when it throws. Use this,
   * not `db.transaction`, which can leak a pooled connection on PostgreSQL (see openDatabase).
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>
  /** Runs a query that proves the database answers. */
  ping(): Promise<void>
  close(): Promise<void>
}

/**
 * The extensions every PGlite of ECAR loads: the migrations create pg_trgm for the search indexes and
 * btree_gist for the appointments' no-overlap exclusion constraints.
 */
export const PGLITE_EXTENSIONS = { pg_trgm, btree_gist }

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

/** The listeners of one Database; `emit` is skipped by the wrappers when there are none. */
class QueryListeners {
  list: QueryListener[] = []

  add(listener: QueryListener): () => void {
    this.list = [...this.list, listener]
    return () => {
      this.list = this.list.filter((l) => l !== listener)
    }
  }

  emit(durationMs: number): void {
    // Copy-on-write above: iterating the current array is safe while a listener removes itself.
    const list = this.list
    for (let i = 0; i < list.length; i++) list[i]!(durationMs)
  }
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown

/**
 * Wraps a `query`-like method so its duration reaches the listeners: for a promise, until it
 * settles; for node-postgres's callback form (what Pool.query uses), until the callback. Submittables
 * (cursors, streams) pass through untimed.
 */
function timed(method: AnyFn, listeners: QueryListeners): AnyFn {
  return function (this: unknown, ...args: unknown[]) {
    if (listeners.list.length === 0) return method.apply(this, args)
    const start = performance.now()
    const done = () => listeners.emit(performance.now() - start)
    const last = args.length - 1
    const callback = args[last]
    if (typeof callback === 'function') {
      args[last] = function (this: unknown, ...results: unknown[]) {
        done()
        return (callback as AnyFn).apply(this, results)
      }
      return method.apply(this, args)
    }
    const result = method.apply(this, args)
    if (result instanceof Promise) result.then(done, done)
    return result
  }
}

/** Times every statement of a pg Pool: Pool.query runs on a client too, so wrapping clients counts each once. */
function timePool(pool: pg.Pool, listeners: QueryListeners): void {
  pool.on('connect', (client) => {
    const target = client as unknown as { query: AnyFn }
    target.query = timed(target.query, listeners)
  })
}

/** Times every statement of a PGlite, those inside transactions too (they run on a separate `tx` object). */
function timePglite(pglite: PGlite, listeners: QueryListeners): void {
  const target = pglite as unknown as { query: AnyFn; exec: AnyFn; transaction: AnyFn }
  target.query = timed(target.query, listeners)
  target.exec = timed(target.exec, listeners)
  const transaction = target.transaction
  target.transaction = function (this: unknown, work: unknown) {
    return transaction.call(this, (tx: { query: AnyFn; exec: AnyFn }) => {
      tx.query = timed(tx.query, listeners)
      tx.exec = timed(tx.exec, listeners)
      return (work as (tx: unknown) => unknown)(tx)
    })
  }
}

export interface DatabaseOptions {
  databaseUrl: string | undefined
  dataDir: string
  poolMax: number
  /** PostgreSQL's statement_timeout for the pool's connections, in ms; 0 or unset means none. */
  statementTimeoutMs?: number
  /** For tests: an existing PGlite (opened with PGLITE_EXTENSIONS) to wrap instead of opening one in dataDir. */
  pglite?: PGlite
}

/** Opens PostgreSQL when a URL is given, otherwise PGlite in the data folder. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const queries: QueryCounter = { count: 0 }
  const logger = countingLogger(queries)
  const listeners = new QueryListeners()
  const onQuery = (listener: QueryListener) => listeners.add(listener)
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      // Sent at connect: the server cancels a statement running longer (SQLSTATE 57014), so a runaway
      // query cannot hold a pooled connection and its locks indefinitely. Migrations use their own client.
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    })
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => {})
    // A checked-out client whose socket dies (the database restarting mid-transaction) emits 'error'
    // too; unhandled, it would take the process down. Its pending query reports the failure (a 503).
    pool.on('connect', (client) => void client.on('error', () => {}))
    timePool(pool, listeners)
    const db = drizzlePg(pool, { logger }) as unknown as Db
    return {
      kind: 'postgres',
      db,
      // drizzle-orm 0.45's node-postgres session sends BEGIN outside its try/finally: a BEGIN that
      // fails (the connection dropped) never gives its client back, and after DB_POOL_MAX of those
      // every query waits forever. So the client is checked out here and always released; one whose
      // connection failed is destroyed rather than returned to the pool.
      async transaction(work) {
        const client = await pool.connect()
        let broken: Error | undefined
        try {
          const onClient = drizzlePg(client, { logger }) as unknown as Db
          return await onClient.transaction(work)
        } catch (error) {
          if (isDatabaseUnavailable(error)) broken = error as Error
          throw error
        } finally {
          client.release(broken)
        }
      },
      queries,
      onQuery,
      url: options.databaseUrl,
      ping: async () => {
        await pool.query('select 1')
      },
      close: () => pool.end(),
    }
  }
  let client = options.pglite
  let lock: DataFolderLock | undefined
  if (!client) {
    // Before PGlite touches a file: a second process on the same folder would overwrite the first's pages.
    lock = lockDataFolder(options.dataDir)
    try {
      client = await PGlite.create({ dataDir: options.dataDir, extensions: PGLITE_EXTENSIONS })
    } catch (error) {
      lock.release()
      throw error
    }
  }
  const pglite = client
  timePglite(pglite, listeners)
  const db = drizzlePglite(pglite, { logger }) as unknown as Db
  return {
    kind: 'pglite',
    db,
    transaction: (work) => db.transaction(work),
    queries,
    onQuery,
    url: undefined,
    ping: async () => {
      await pglite.query('select 1')
    },
    close: async () => {
      if (options.pglite) return
      try {
        await pglite.close()
      } finally {
        lock?.release()
      }
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
