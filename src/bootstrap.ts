import type { FastifyInstance } from 'fastify'
import { demoAccountsExist, generateDemoPassword, saveDemoLogins } from './flows/demo-garage/demo-credentials.ts'
import { formatDemoLogins, seedDemoGarage } from './flows/demo-garage/demo-garage.ts'
import { adminExists, ensureFirstAdmin } from './modules/users/index.ts'
import { isLoopbackHost } from './platform/metrics/metrics-access.ts'

/** The one line telling an operator how to get the first admin (start-up and docs say the same). */
export const NO_ADMIN_HINT =
  'no admin account exists, so nobody can manage ECAR: set ECAR_ADMIN_EMAIL and ECAR_ADMIN_PASSWORD and restart, ' +
  'or run `npm run cli -- create-admin --email E --name N` (in the Docker image `node dist/cli/main.js create-admin …`; ' +
  'on the embedded database stop the server first)'

/** First-start work on the data: the demo garage when asked, and the first admin from settings. */
export async function bootstrapData(app: FastifyInstance): Promise<void> {
  const deps = { db: app.db, writer: app.writer, passwordHashCost: app.config.auth.passwordHashCost }
  // The demo goes first, on an empty database only; it includes the configured admin so that
  // setting ECAR_ADMIN_* on a demo start still gives that login.
  if (app.config.demo) {
    const dataDir = app.config.dataDir
    let file: string | undefined
    const seeded = await seedDemoGarage({
      ...deps,
      password: generateDemoPassword(),
      firstAdmin: app.config.admin,
      // Inside the seeding transaction: demo accounts whose password was never kept are never committed.
      beforeCommit: (result) => void (file = saveDemoLogins(dataDir, formatDemoLogins(result))),
    })
    if (seeded) {
      app.log.info({ accounts: seeded.accounts.length, vehicles: seeded.vehicleCount, loginsFile: file }, 'demo garage seeded')
      console.log(formatDemoLogins(seeded, file))
    }
  }
  if (app.config.admin) {
    const outcome = await ensureFirstAdmin(deps, app.config.admin)
    if (outcome === 'created') app.log.info({ email: app.config.admin.email }, 'first admin created')
    if (outcome === 'email-taken') {
      app.log.warn(
        { email: app.config.admin.email },
        'ECAR_ADMIN_EMAIL belongs to an existing non-admin account and no admin exists: nothing was changed; use `ecar create-admin` with another email',
      )
    }
  }
  if (!(await adminExists(app.db))) app.log.warn(NO_ADMIN_HINT)
}

/** Whether `host` only accepts connections from this machine: the same test /metrics uses. */
export const isLoopback = isLoopbackHost

/** The loud warning when demo accounts (whose logins are in a file) answer on a non-loopback address. */
export async function warnAboutExposure(app: FastifyInstance): Promise<void> {
  if (isLoopback(app.config.host)) return
  if (!(await demoAccountsExist(app.db))) return
  app.log.warn(
    { host: app.config.host },
    `WARNING: demo accounts exist and ECAR listens on ${app.config.host}, reachable from other machines: anyone with the demo logins can sign in as admin. ` +
      'Use HOST=127.0.0.1, or start on a database without the demo garage (ECAR_DEMO=false on an empty one)',
  )
}
