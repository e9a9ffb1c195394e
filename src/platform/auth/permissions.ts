import type { Role } from './roles.ts'

/**
 * How far a role's grant of a permission reaches: every object (`any`), the caller's own objects
 * (`own`: a customer's vehicles, work orders, appointments), or those assigned to the caller
 * (`assigned`: a mechanic's work orders). The route check admits the role; the module's access
 * function then answers, for many ids at once, which objects a scoped grant reaches
 * (docs/decisions/015-permissions.md).
 */
export type Scope = 'any' | 'own' | 'assigned'

/** Which roles hold a permission, and how far. A role not named does not hold it (403). */
export type Grants = Readonly<Partial<Record<Role, Scope>>>

/** A module's permissions, named `<entity>:<action>` (e.g. `vehicle:update`). */
export type PermissionTable = Readonly<Record<`${string}:${string}`, Grants>>

/** Declares a module's permissions; `as const` keeps the names literal for the routes that use them. */
export function definePermissions<const T extends PermissionTable>(table: T): T {
  return table
}

/** Every role, fully: for what any signed-in user may do to anything it can see. */
export const EVERY_ROLE: Grants = { customer: 'any', mechanic: 'any', advisor: 'any', admin: 'any' }

/** Merges the modules' tables; a permission named by two modules is an error at start-up. */
export function mergePermissions(tables: readonly { module: string; permissions: PermissionTable }[]): ReadonlyMap<string, Grants> {
  const merged = new Map<string, Grants>()
  for (const { module, permissions } of tables) {
    for (const [name, grants] of Object.entries(permissions)) {
      if (merged.has(name)) throw new Error(`permission ${name} is declared twice (again by ${module})`)
      merged.set(name, grants)
    }
  }
  return merged
}

declare module 'fastify' {
  interface FastifyRequest {
    /** How far the caller's role holds the route's permission; null on public routes and anonymous requests. */
    grant: Scope | null
  }
  interface FastifyContextConfig {
    /** The permission a signed-in caller's role must hold (403 otherwise); every non-public /api route names one. */
    permission?: string
  }
}
