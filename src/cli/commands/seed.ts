import type { Config } from '../../platform/config.ts'
import { generateDemoPassword, saveDemoLogins } from '../../flows/demo-garage/demo-credentials.ts'
import { formatDemoLogins, seedDemoGarage } from '../../flows/demo-garage/demo-garage.ts'
import { cachelessWriter, describeDatabase, withDatabase } from '../cli-database.ts'
import { CliError } from '../cli-error.ts'

/** `ecar seed`: the demo garage, into an empty database only. */
export async function seedCommand(config: Config, print: (line: string) => void): Promise<void> {
  let file: string | undefined
  const seeded = await withDatabase(config, (database) =>
    seedDemoGarage({
      db: database.db,
      writer: cachelessWriter(database),
      passwordHashCost: config.auth.passwordHashCost,
      password: generateDemoPassword(),
      beforeCommit: (result) => void (file = saveDemoLogins(config.dataDir, formatDemoLogins(result))),
    }),
  )
  if (!seeded) {
    throw new CliError(
      `The database (${describeDatabase(config)}) already has accounts: the demo garage is only seeded into an empty database. Nothing was changed.`,
    )
  }
  print(formatDemoLogins(seeded, file))
}
