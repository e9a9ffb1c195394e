import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConfigError, loadConfig } from '../platform/config.ts'
import { CliError } from './cli-error.ts'

const USAGE = `ECAR command line

Usage: ecar <command> [options]        (or: npm run cli -- <command> [options])

Commands:
  migrate                  Apply the database migrations.
  seed                     Seed the demo garage into an empty database (refuses otherwise).
                           Logins: admin@ecar.demo, advisor@ecar.demo, mechanic1..2@ecar.demo,
                           customer1..20@ecar.demo; the password is generated, printed
                           once and kept in DATA_DIR/demo-logins.txt (owner-only).
  create-user              Create an account:
                             --email E --name N --role admin|advisor|mechanic|customer
                             [--phone P] [--password P]
  create-admin             Create an admin: --email E --name N [--phone P] [--password P]
  cache stats              Redis memory, clients and hit ratio, and keys per namespace.
  cache clear              Remove this deployment's cache entries (CACHE_PREFIX, CACHE_VERSION)
                             [--pattern P]  only those whose logical key matches, e.g. customer_vehicles_*
                           SCAN + UNLINK in batches; running instances drop their L1 entries too.
  cache warm               Load customer_vehicles_<id> of every customer into Redis.
  help                     Show this help.

The password comes from --password or the ECAR_PASSWORD environment variable (preferred: it
stays out of the process list); 10 to 128 characters.
The database comes from the server's settings: DATABASE_URL (PostgreSQL), or else the embedded
database in DATA_DIR (default ./data). An embedded database belongs to one process at a time:
while the server runs on it, the CLI refuses ("data folder … is in use by process N"). Then either
stop the server, or do it through the running server's HTTP API as an admin (POST /api/users
creates any account; DELETE /api/admin/cache clears its cache).
`

const ACCOUNT_OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  phone: { type: 'string' },
  password: { type: 'string' },
} satisfies ParseArgsConfig['options']

/** Where the CLI writes, and the environment it reads (settings and ECAR_PASSWORD). */
export interface CliIo {
  env: Record<string, string | undefined>
  out: (line: string) => void
  err: (line: string) => void
  /** Progress output without a newline (a terminal's progress bar); optional. */
  progress?: (text: string) => void
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error))
  }
}

/** Runs one CLI command; resolves to the process exit code (0 ok, 1 error). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE)
    return 0
  }
  try {
    if (command === undefined) throw new CliError(`No command given.\n\n${USAGE}`)
    const known = ['migrate', 'seed', 'create-user', 'create-admin', 'cache']
    if (!known.includes(command)) throw new CliError(`Unknown command "${command}".\n\n${USAGE}`)
    const config = loadConfig(io.env)
    // Commands load the database drivers; imported on demand so `ecar help` answers at once.
    switch (command) {
      case 'migrate':
        parse(rest, {})
        await (await import('./commands/migrate.ts')).migrateCommand(config, io.out)
        break
      case 'seed':
        parse(rest, {})
        await (await import('./commands/seed.ts')).seedCommand(config, io.out)
        break
      case 'create-user': {
        const { createUserCommand } = await import('./commands/create-user.ts')
        await createUserCommand(config, parse(rest, ACCOUNT_OPTIONS), io.env.ECAR_PASSWORD, io.out)
        break
      }
      case 'create-admin': {
        const { createUserCommand } = await import('./commands/create-user.ts')
        const { role, ...options } = parse(rest, ACCOUNT_OPTIONS)
        if (role !== undefined && role !== 'admin') throw new CliError('create-admin always creates an admin: drop --role or use create-user.')
        await createUserCommand(config, { ...options, role: 'admin' }, io.env.ECAR_PASSWORD, io.out)
        break
      }
      case 'cache': {
        const [sub, ...options] = rest
        const cache = await import('./commands/cache.ts')
        if (sub === 'stats') {
          parse(options, {})
          await cache.cacheStatsCommand(config, io.out)
        } else if (sub === 'clear') {
          await cache.cacheClearCommand(config, parse(options, { pattern: { type: 'string' } }).pattern, io.out)
        } else if (sub === 'warm') {
          parse(options, {})
          await cache.cacheWarmCommand(config, io.out, io.progress ?? (() => {}))
        } else throw new CliError(`Unknown cache command "${sub ?? ''}": use stats, clear or warm.\n\n${USAGE}`)
        break
      }
    }
    return 0
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) {
      io.err(`ecar: ${error.message}`)
      return 1
    }
    io.err(`ecar: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return 1
  }
}
