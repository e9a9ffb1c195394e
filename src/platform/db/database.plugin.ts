import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import { DatabaseOpenError } from './open-error.ts'
import { openDatabase, runMigrations, type Database, type Db } from './database.ts'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
    db: Db
  }
}

/**
 * Opens and migrates the configured database (the server's, or the CLI's with its own pool size and
 * no statement timeout); any failure frees what was opened and becomes one operator-readable
 * DatabaseOpenError.
 */
export async function openConfiguredDatabase(
  config: Config,
  options: { poolMax?: number; statementTimeoutMs?: number } = {},
): Promise<Database> {
  let database: Database | undefined
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: options.poolMax ?? config.dbPoolMax,
      statementTimeoutMs: options.statementTimeoutMs ?? config.dbStatementTimeoutMs,
    })
    await runMigrations({ databaseUrl: config.databaseUrl, database })
    return database
  } catch (error) {
    // Frees the pool, or the data folder and its lock, before the process reports and exits.
    await database?.close().catch(() => {})
    throw new DatabaseOpenError(config, error)
  }
}

/** Opens (or adopts) the database, applies migrations, and closes it with the app. */
export const databasePlugin = fp(
  async (app: FastifyInstance, opts: { config: Config; database?: Database }) => {
    const owned = !opts.database
    const database = opts.database ?? (await openConfiguredDatabase(opts.config))
    app.decorate('database', database)
    app.decorate('db', database.db)
    if (owned) app.addHook('onClose', async () => database.close())
  },
  { name: 'ecar-database' },
)
