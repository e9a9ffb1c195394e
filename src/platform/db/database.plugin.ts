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

/** Opens and migrates the configured database; any failure becomes one operator-readable DatabaseOpenError. */
async function openOwn(config: Config): Promise<Database> {
  let database: Database | undefined
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: config.dbPoolMax,
      statementTimeoutMs: config.dbStatementTimeoutMs,
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
    const database = opts.database ?? (await openOwn(opts.config))
    app.decorate('database', database)
    app.decorate('db', database.db)
    if (owned) app.addHook('onClose', async () => database.close())
  },
  { name: 'ecar-database' },
)
