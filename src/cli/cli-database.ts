import type { Config } from '../platform/config.ts'
import type { Writer } from '../platform/cache/writer.ts'
import { CliError } from './cli-error.ts'
import { openDatabase, runMigrations, type Database } from '../platform/db/database.ts'
import { DatabaseOpenError, describeDatabase } from '../platform/db/open-error.ts'

export { describeDatabase }

/**
 * A writer without a cache. The CLI only creates rows (accounts, the demo garage): no cached
 * entry of any running instance can describe a row that did not exist, so there is nothing to invalidate.
 */
export function cachelessWriter(database: Database): Writer {
  return { transaction: (work) => database.transaction((tx) => work(tx, () => {})) }
}

/** Opens the configured database, applies migrations, runs the work and always closes it. */
export async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  let database: Database | undefined
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 })
    await runMigrations({ databaseUrl: config.databaseUrl, database })
  } catch (error) {
    await database?.close().catch(() => {})
    throw new CliError(new DatabaseOpenError(config, error).message)
  }
  try {
    return await work(database)
  } finally {
    await database.close()
  }
}
