import type { FastifyInstance } from 'fastify'
import { formatDemoLogins, seedDemoGarage } from './modules/demo/demo-garage.ts'
import { ensureFirstAdmin } from './modules/users/first-admin.ts'

/** First-start work on the data: the demo garage when asked, and the first admin from settings. */
export async function bootstrapData(app: FastifyInstance): Promise<void> {
  const deps = { db: app.db, writer: app.writer, passwordHashCost: app.config.auth.passwordHashCost }
  // The demo goes first, on an empty database only; it includes the configured admin so that
  // setting ECAR_ADMIN_* on a demo start still gives that login.
  if (app.config.demo) {
    const seeded = await seedDemoGarage({ ...deps, firstAdmin: app.config.admin })
    if (seeded) {
      app.log.info({ accounts: seeded.accounts.length, vehicles: seeded.vehicleCount }, 'demo garage seeded')
      console.log(formatDemoLogins(seeded))
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
}
