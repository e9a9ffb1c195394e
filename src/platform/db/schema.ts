// Every table of every module, for Drizzle's relational queries and for drizzle-kit.
export * from '../../modules/users/users.table.ts'
export * from '../../modules/auth/sessions.table.ts'
export * from '../../modules/vehicles/vehicles.table.ts'
export * from '../auth/rate-limit.table.ts'
export * from '../../modules/auth/account-tokens.table.ts'
export * from '../../modules/messages/messages.table.ts'
export * from '../cache/cache-identity.table.ts'
