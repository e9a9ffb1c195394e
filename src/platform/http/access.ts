/**
 * The authorization matrix: each module lists, next to its routes, who gets which status on each of
 * its operations, and builds the data its rows need. test/security/access-matrix.test.ts runs every
 * row of every module of the registry against the served OpenAPI document, so a route without a row
 * (or a row without a route) fails the suite.
 */
import type { Db } from '../db/database.ts'

/**
 * Who sends a request in the matrix: nobody, two customers (A owns the fixtures' objects, B owns
 * others of their own), a mechanic assigned to A's objects, a mechanic assigned to nothing, and one
 * user of each other staff role.
 */
export type AccessActor = 'anonymous' | 'customerA' | 'customerB' | 'assignedMechanic' | 'mechanic' | 'advisor' | 'admin'

/** A signed-in account of the matrix fixtures. */
export interface AccessAccount {
  id: number
  email: string
}

/** The accounts every module's fixtures build on; each call of `unique…` gives new data. */
export interface BaseFixtures {
  db: Db
  customerA: AccessAccount
  customerB: AccessAccount
  assignedMechanic: AccessAccount
  mechanic: AccessAccount
  advisor: AccessAccount
  admin: AccessAccount
  /** The password of every fixture account. */
  password: string
  /** An email no account has. */
  uniqueEmail(): string
}

/** The request of one cell: the URL (with path parameters filled in) and its JSON body, if any. */
export interface AccessRequest {
  url: string
  payload?: Record<string, unknown>
}

/** One operation's row: the status each actor must get, and how to build the request. */
export interface AccessRow<F = BaseFixtures> {
  expected: Readonly<Record<AccessActor, number>>
  request(fixtures: F, actor: AccessActor): AccessRequest | Promise<AccessRequest>
}

/** A module's rows, keyed `'<METHOD> <path as the OpenAPI document spells it>'`, e.g. `'GET /api/vehicles/{id}'`. */
export type AccessRows<F = BaseFixtures> = Readonly<Record<string, AccessRow<F>>>

/**
 * A module's part of the matrix: its rows, and the data they need beyond the base accounts, built
 * once per matrix run from the fixtures of the modules before it in the registry.
 */
export interface ModuleAccess<F = never> {
  // The registry holds modules with different fixture types; each module's own file is fully typed.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rows: AccessRows<any>
  fixtures?: (base: F) => Promise<object>
}

/** Declares a module's access rows with the fixtures they read. */
export function defineAccess<Needs extends object, Own extends object = object>(access: {
  fixtures?: (fx: BaseFixtures & Needs) => Promise<Own>
  rows: AccessRows<BaseFixtures & Needs & Own>
}): ModuleAccess<BaseFixtures & Needs> {
  return access
}

/** Same status for every actor but the given ones: rows stay short where most cells agree. */
export function expectAll(status: number, except: Partial<Record<AccessActor, number>> = {}): Record<AccessActor, number> {
  return { anonymous: status, customerA: status, customerB: status, assignedMechanic: status, mechanic: status, advisor: status, admin: status, ...except }
}
