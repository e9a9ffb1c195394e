/**
 * The authorization matrix: each module lists, next to its routes, who gets which status on each of
 * its operations. test/security/access-matrix.test.ts runs every row against the served OpenAPI
 * document, so a route without a row (or a row without a route) fails the suite.
 */

/** Who sends a request in the matrix: nobody, two customers, and one user of each staff role. */
export type AccessActor = 'anonymous' | 'customerA' | 'customerB' | 'mechanic' | 'advisor' | 'admin'

/** A signed-in account of the matrix fixtures. */
export interface AccessAccount {
  id: number
  email: string
}

/** What a row's request builder may use; each call of a `fresh…`/`unique…` helper gives new data. */
export interface AccessFixtures {
  customerA: AccessAccount
  customerB: AccessAccount
  mechanic: AccessAccount
  advisor: AccessAccount
  admin: AccessAccount
  /** A staff account no actor signs in as: the target of /api/users/{id}. */
  targetStaff: AccessAccount
  /** Customer A's vehicle and customer B's: reads only, never changed or deleted by a cell. */
  vehicleA: { id: number }
  vehicleB: { id: number }
  /** The password of every fixture account. */
  password: string
  /** A new vehicle of that owner, for cells that change or delete one. */
  freshVehicleOf(ownerId: number): Promise<{ id: number }>
  /** A new customer opened at the desk: no password yet, so it can be invited. */
  freshDeskCustomer(): Promise<AccessAccount>
  /** The token of a new, live one-time link of a new desk customer. */
  freshLinkToken(purpose: 'password_reset' | 'invitation'): Promise<string>
  /** An email no account has. */
  uniqueEmail(): string
  /** A valid VIN no vehicle has. */
  uniqueVin(): string
}

/** The request of one cell: the URL (with path parameters filled in) and its JSON body, if any. */
export interface AccessRequest {
  url: string
  payload?: Record<string, unknown>
}

/** One operation's row: the status each actor must get, and how to build the request. */
export interface AccessRow {
  expected: Readonly<Record<AccessActor, number>>
  request(fixtures: AccessFixtures, actor: AccessActor): AccessRequest | Promise<AccessRequest>
}

/** A module's rows, keyed `'<METHOD> <path as the OpenAPI document spells it>'`, e.g. `'GET /api/vehicles/{id}'`. */
export type AccessRows = Readonly<Record<string, AccessRow>>
