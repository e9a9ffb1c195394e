import type { Config } from '../platform/config.ts'
import type { Writer } from '../platform/cache/writer.ts'
import { CliError } from './cli-error.ts'
import type { Database } from '../platform/db/database.ts'
import { openConfiguredDatabase } from '../platform/db/database.plugin.ts'
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
  let database: Database
  try {
    // Migrations and admin commands may run long: no statement timeout (docs/operations.md).
    database = await openConfiguredDatabase(config, { poolMax: 2, statementTimeoutMs: 0 })
  } catch (error) {
    throw error instanceof DatabaseOpenError ? new CliError(error.message) : error
  }
  try {
    return await work(database)
  } finally {
    await database.close()
  }
}
