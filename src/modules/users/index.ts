/*
 * The users module's public face: what the registry mounts, and all that other modules may use.
 * Accounts are this module's rows; the other modules read them through these functions and learn of
 * changes through `app.accountEvents`.
 */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { USER_PERMISSIONS } from './users.policy.ts'
import { accountEventsPlugin } from './account-events.ts'
import { usersAccess } from './users.access.ts'
import { UserErrors } from './users.errors.ts'
import { USERS_CACHE } from './users.cache.ts'
import { usersRoutes } from './users.routes.ts'
import { users } from './users.table.ts'

export { users, type UserRow } from './users.table.ts'
export { UserErrors } from './users.errors.ts'
export type { UsersFixtures } from './users.access.ts'
export { CreateUserBody, EmailSchema, NameSchema, PasswordSchema, PhoneSchema, UserSchema, type User } from './users.schemas.ts'
export { createUsersService, emailTaken, insertAccount, normalizeEmail, toUser } from './users.service.ts'
export { adminExists, findUserByEmail, findUserById, insertUser, insertUsers, listUsersWithRole, lockBootstrap, noUsersExist, updateUserRow } from './users.repository.ts'
export { insertRegisteredCustomer, replacePasswordHash, updateUser } from './accounts.repository.ts'
export {
  customerColumns,
  insertCustomer,
  isActiveCustomer,
  lockCustomer,
  updateCustomerRow,
  type CustomerChanges,
  type CustomerRow,
} from './customer-accounts.repository.ts'
export {
  createAccountEvents,
  type AccountChange,
  type AccountChangeHandler,
  type AccountCreated,
  type AccountCreatedHandler,
  type AccountEvents,
  type RoleChangeCheck,
} from './account-events.ts'
export { customerProfilesTag } from './users.cache.ts'
export { ensureFirstAdmin, type FirstAdminOutcome } from './first-admin.ts'

/** Accounts of every role: staff management under /api/users, and the account events. */
export const usersModule = defineModule({
  name: 'users',
  plugins: [accountEventsPlugin],
  apiTags: [{ name: 'users', description: 'Staff and customer accounts, managed by admins' }],
  routes: [{ prefix: '/api/users', plugin: usersRoutes }],
  tables: { users },
  cache: USERS_CACHE,
  permissions: USER_PERMISSIONS,
  access: usersAccess,
  errors: UserErrors,
})
