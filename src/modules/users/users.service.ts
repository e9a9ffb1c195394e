import type { Principal } from '../../platform/auth/principal.ts'
import { hashPassword } from '../../platform/auth/password.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { sqlState } from '../../platform/db/db-errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import type { CreateUserBody, ListUsersQuery, UpdateUserBody, User } from './users.schemas.ts'
import type { AccountEvents } from './account-events.ts'
import { UserErrors } from './users.errors.ts'
import { countActiveAdmins, findUserById, insertUser, listUsers, lockAdminSet, updateUserRow } from './users.repository.ts'
import type { UserRow } from './users.table.ts'

/** The API object of an account: never the password hash. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    role: row.role,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** Emails are compared and stored lower-case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase()

/** 409 for an address another account holds. */
export const emailTaken = () => problem(UserErrors.EMAIL_TAKEN, 'An account with this email already exists.')

const userNotFound = () => problem(UserErrors.USER_NOT_FOUND, 'User not found.')

/** Inserts an account with an already hashed password, turning a duplicate email into a 409. */
export async function insertAccount(
  tx: Executor,
  account: { email: string; passwordHash: string; name: string; role: User['role']; phone?: string | null },
): Promise<UserRow> {
  try {
    return await insertUser(tx, { ...account, email: normalizeEmail(account.email), name: account.name.trim() })
  } catch (error) {
    // users_email_key is the only unique index a new row can violate (ids are generated).
    if (sqlState(error) === '23505') throw emailTaken()
    throw error
  }
}

/** What the users service needs: the database for reads, the writer for changes. */
export interface UsersServiceDeps {
  db: Executor
  writer: Writer
  /** What other modules derive from accounts subscribes here (sessions, owner names, customers' vehicles). */
  events: AccountEvents
  passwordHashCost: number
}

/** Staff account management (admin only at the HTTP layer). */
export function createUsersService(deps: UsersServiceDeps) {
  return {
    /** Creates an account of any role; 409 ECAR_ERR_EMAIL_TAKEN when the email exists. */
    async create(body: CreateUserBody): Promise<User> {
      // Hashing is deliberately slow: done before the transaction so it holds no locks meanwhile.
      const passwordHash = await hashPassword(body.password, deps.passwordHashCost)
      const row = await deps.writer.transaction(async (tx, touch) => {
        const inserted = await insertAccount(tx, { email: body.email, passwordHash, name: body.name, role: body.role, phone: body.phone ?? null })
        // A new account can join a list of accounts by role (the mechanics), which its subscribers keep fresh.
        await deps.events.created(tx, touch, { userId: inserted.id, role: inserted.role })
        return inserted
      })
      return toUser(row)
    },

    /** One page of accounts, filtered by role, active and a literal search over name and email. */
    async list(query: ListUsersQuery): Promise<{ items: User[]; nextCursor: string | null }> {
      const limit = query.limit ?? 50
      const rows = await listUsers(deps.db, {
        afterId: decodeCursor(query.cursor),
        limit,
        role: query.role,
        active: query.active,
        q: query.q,
      })
      return toPage(rows, limit, toUser)
    },

    /** One account; 404 when there is none. */
    async get(id: number): Promise<User> {
      const row = await findUserById(deps.db, id)
      if (!row) throw userNotFound()
      return toUser(row)
    },

    /**
     * Changes an account. A new role, (de)activation or a new password ends the user's sessions at
     * once (the acting admin keeps their own session on a mere password change); any other change
     * drops the user's cached session lookups, which carry the name. The last active admin can be
     * neither demoted nor deactivated (409 ECAR_ERR_LAST_ADMIN).
     */
    async update(id: number, patch: UpdateUserBody, actor?: Principal | null): Promise<User> {
      const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password, deps.passwordHashCost)
      const row = await deps.writer.transaction(async (tx, touch) => {
        // The advisory lock comes before the row lock in every path, so the two cannot deadlock.
        if (patch.role !== undefined || patch.active !== undefined) await lockAdminSet(tx)
        const current = await findUserById(tx, id, { forUpdate: true })
        if (!current) throw userNotFound()
        const role = patch.role ?? current.role
        const active = patch.active ?? current.active
        if (current.role === 'admin' && current.active && (role !== 'admin' || !active)) {
          if ((await countActiveAdmins(tx, { exceptId: id })) === 0) {
            throw problem(UserErrors.LAST_ADMIN, 'This is the last active admin: it cannot be demoted or deactivated.')
          }
        }
        // Under the row lock, so what a check counts (a customer's vehicles) cannot change meanwhile.
        if (role !== current.role) await deps.events.roleChanging(tx, { userId: id, from: current.role, to: role })
        const email = patch.email === undefined ? undefined : normalizeEmail(patch.email)
        let updated
        try {
          updated = await updateUserRow(tx, id, {
            ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
            ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
            ...(email !== undefined ? { email } : {}),
            ...(patch.role !== undefined ? { role } : {}),
            ...(patch.active !== undefined ? { active } : {}),
            ...(passwordHash !== undefined ? { passwordHash } : {}),
          })
        } catch (error) {
          if (sqlState(error) === '23505') throw emailTaken()
          throw error
        }
        const accessChanged = role !== current.role || active !== current.active
        // On a mere password change an admin resetting their own password keeps the session in use.
        const keepTokenHash = !accessChanged && actor?.userId === id ? actor.sessionId : undefined
        await deps.events.changed(tx, touch, {
          userId: id,
          wasCustomer: current.role === 'customer',
          accessChanged,
          name: updated!.name !== current.name,
          phone: updated!.phone !== current.phone,
          email: updated!.email !== current.email,
          password: passwordHash !== undefined,
          endSessions: accessChanged || passwordHash !== undefined,
          keepTokenHash,
          refreshSessions: true,
          roles: { before: current.role, after: role },
        })
        return updated!
      })
      return toUser(row)
    },
  }
}

/** The users service. */
export type UsersService = ReturnType<typeof createUsersService>
