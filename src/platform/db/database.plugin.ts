import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import { openDatabase, runMigrations, type Database, type Db } from './database.ts'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
    db: Db
  }
}

/** Opens (or adopts) the database, applies migrations, and closes it with the app. */
export const databasePlugin = fp(
  async (app: FastifyInstance, opts: { config: Config; database?: Database }) => {
    const owned = !opts.database
    const database =
      opts.database ??
      (await openDatabase({
        databaseUrl: opts.config.databaseUrl,
        dataDir: opts.config.dataDir,
        poolMax: opts.config.dbPoolMax,
        statementTimeoutMs: opts.config.dbStatementTimeoutMs,
      }))
    if (owned) await runMigrations({ databaseUrl: opts.config.databaseUrl, database })
    app.decorate('database', database)
    app.decorate('db', database.db)
    if (owned) app.addHook('onClose', async () => database.close())
  },
  { name: 'ecar-database' },
)
