import type { Config } from '../../platform/config.ts'
import { describeDatabase, withDatabase } from '../cli-database.ts'

/** `ecar migrate`: applies the pending migrations (opening the database does it). */
export async function migrateCommand(config: Config, print: (line: string) => void): Promise<void> {
  await withDatabase(config, async () => {})
  print(`Migrations applied: ${describeDatabase(config)} is up to date.`)
}
