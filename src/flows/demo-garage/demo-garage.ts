import { hashPassword } from '../../platform/auth/password.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { insertUser, insertUsers, lockBootstrap, normalizeEmail, noUsersExist } from '../../modules/users/index.ts'
import { insertVehicles } from '../../modules/vehicles/index.ts'
import { demoGarage } from './demo-data.ts'
import { seedDemoWorkshop, type DemoWorkshop } from './demo-workshop.ts'

/** What a seeding did. */
export interface DemoSeedResult {
  accounts: { email: string; role: string }[]
  vehicleCount: number
  /** The shop floor: bays, services, appointments and work orders seeded. */
  workshop: DemoWorkshop
  /** The password of every demo account (generated for this data folder). */
  password: string
  /** The configured first admin, when it was created along with the demo garage. */
  firstAdminEmail: string | undefined
}

/**
 * Seeds the demo garage into an empty database in one transaction and returns what it created,
 * or null when there already are accounts (nothing is changed then). Logins: admin@ecar.demo,
 * advisor@ecar.demo, mechanic1–2@ecar.demo, customer1–20@ecar.demo, all with `password`.
 * A configured first admin is created in the same transaction, so that it exists alongside.
 * `beforeCommit` (saving the logins) runs inside it: if it fails, nothing is seeded.
 */
export async function seedDemoGarage(deps: {
  db: Executor
  writer: Writer
  passwordHashCost: number
  password: string
  firstAdmin?: { email: string; password: string } | undefined
  beforeCommit?: (result: DemoSeedResult) => void | Promise<void>
}): Promise<DemoSeedResult | null> {
  if (!(await noUsersExist(deps.db))) return null
  const garage = demoGarage()
  const firstAdminEmail = deps.firstAdmin ? normalizeEmail(deps.firstAdmin.email) : undefined
  // One hash for all demo accounts: they share the password, and 24 scrypt runs would slow every demo start.
  const demoHash = await hashPassword(deps.password, deps.passwordHashCost)
  const adminHash = deps.firstAdmin ? await hashPassword(deps.firstAdmin.password, deps.passwordHashCost) : undefined

  return deps.writer.transaction(async (tx) => {
    await lockBootstrap(tx)
    // Another process may have seeded while this one waited for the lock.
    if (!(await noUsersExist(tx))) return null
    // A configured admin whose email is a demo one takes that account's place.
    const accounts = garage.accounts.filter((a) => a.email !== firstAdminEmail)
    const inserted = await insertUsers(tx, accounts.map((a) => ({ ...a, passwordHash: demoHash })))
    if (firstAdminEmail && adminHash) {
      inserted.push(await insertUser(tx, { email: firstAdminEmail, passwordHash: adminHash, name: 'Administrator', role: 'admin' }))
    }
    const ids = new Map(inserted.map((u) => [u.email, u.id]))
    const rows = garage.vehicles.flatMap(({ ownerEmail, ...vehicle }) => {
      const ownerId = ids.get(ownerEmail)
      return ownerId !== undefined && ownerEmail !== firstAdminEmail ? [{ ...vehicle, ownerId }] : []
    })
    const vehicles = await insertVehicles(tx, rows)
    const workshop = await seedDemoWorkshop(tx, { accounts: inserted, vehicles, now: new Date() })
    // New rows only: no cached entry can describe them yet, so nothing is touched.
    const result: DemoSeedResult = {
      accounts: inserted.map((u) => ({ email: u.email, role: u.role })),
      vehicleCount: rows.length,
      workshop,
      password: deps.password,
      firstAdminEmail: firstAdminEmail && adminHash ? firstAdminEmail : undefined,
    }
    await deps.beforeCommit?.(result)
    return result
  })
}

/** The block of demo logins printed once after seeding; `file` is where they are kept. */
export function formatDemoLogins(result: DemoSeedResult, file?: string): string {
  const byRole = (role: string) =>
    result.accounts.filter((a) => a.role === role && a.email !== result.firstAdminEmail).map((a) => a.email)
  const customers = byRole('customer')
  const customerLine =
    customers.length > 2 ? `${customers[0]} … ${customers[customers.length - 1]} (${customers.length})` : customers.join(', ')
  const lines = [
    '',
    '──────────────── ECAR demo garage ────────────────',
    `Seeded ${result.accounts.length} accounts and ${result.vehicleCount} vehicles. Demo logins:`,
    `  admin      ${byRole('admin').join(', ')}`,
    `  advisor    ${byRole('advisor').join(', ')}`,
    `  mechanic   ${byRole('mechanic').join(', ')}`,
    `  customer   ${customerLine}`,
    `  password   ${result.password}   (generated for this data folder)`,
  ]
  if (file) lines.push(`Printed once: kept in ${file} (readable by its owner only).`)
  if (result.firstAdminEmail) lines.push(`  also admin ${result.firstAdminEmail} (password from ECAR_ADMIN_PASSWORD)`)
  lines.push('──────────────────────────────────────────────────', '')
  return lines.join('\n')
}
