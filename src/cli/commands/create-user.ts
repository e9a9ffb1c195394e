import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import type { Config } from '../../platform/config.ts'
import { AppError } from '../../platform/http/errors.ts'
import { createAccountEvents, createUsersService, CreateUserBody } from '../../modules/users/index.ts'
import { cachelessWriter, describeDatabase, withDatabase } from '../cli-database.ts'
import { CliError } from '../cli-error.ts'

/** The options of `create-user` / `create-admin` as parsed from the command line. */
export interface CreateUserOptions {
  email?: string
  name?: string
  role?: string
  phone?: string
  password?: string
}

// The same schema as POST /api/users, so the CLI cannot create an account the API would refuse.
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats.default(ajv)
const validate = ajv.compile<CreateUserBody>(CreateUserBody)

/** `ecar create-user` / `ecar create-admin`: one account with a password from --password or ECAR_PASSWORD. */
export async function createUserCommand(
  config: Config,
  options: CreateUserOptions,
  passwordFromEnv: string | undefined,
  print: (line: string) => void,
): Promise<void> {
  const missing = (['email', 'name', 'role'] as const).filter((k) => !options[k])
  if (missing.length > 0) throw new CliError(`Missing ${missing.map((k) => `--${k}`).join(', ')}.`)
  const password = options.password ?? passwordFromEnv
  if (!password) throw new CliError('A password is required: pass --password or (better: it stays out of the process list) set ECAR_PASSWORD.')
  const body = { email: options.email, name: options.name, role: options.role, password, ...(options.phone ? { phone: options.phone } : {}) }
  if (!validate(body)) {
    const problems = (validate.errors ?? []).map((e) => {
      const field = e.instancePath.replace(/^\//, '') || 'input'
      return field === 'role' || e.keyword === 'enum' ? 'role must be one of admin, advisor, mechanic, customer' : `${field} ${e.message ?? 'is invalid'}`
    })
    throw new CliError(`Invalid account: ${[...new Set(problems)].join('; ')}.`)
  }
  const user = await withDatabase(config, async (database) => {
    const users = createUsersService({ db: database.db, writer: cachelessWriter(database), events: createAccountEvents(), passwordHashCost: config.auth.passwordHashCost })
    try {
      return await users.create(body)
    } catch (error) {
      if (error instanceof AppError && error.status === 409) throw new CliError(`${error.message} (${body.email.toLowerCase()})`)
      throw error
    }
  })
  print(`Created ${user.role} #${user.id} ${user.email} (${user.name}) in ${describeDatabase(config)}.`)
}
