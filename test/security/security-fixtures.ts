import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { AccessActor, BaseFixtures } from '../../src/platform/http/access.ts'
import type { Db } from '../../src/platform/db/database.ts'
import { MODULES } from '../../src/modules/index.ts'
import type { AppointmentFixtures } from '../../src/modules/appointments/index.ts'
import type { AuthFixtures } from '../../src/modules/auth/index.ts'
import type { BayFixtures } from '../../src/modules/bays/index.ts'
import type { ServiceFixtures } from '../../src/modules/services/index.ts'
import type { UsersFixtures } from '../../src/modules/users/index.ts'
import type { VehicleFixtures } from '../../src/modules/vehicles/index.ts'
import type { WorkOrderFixtures } from '../../src/modules/work-orders/index.ts'
import { castOf } from '../support/actors.ts'
import { createSession, TEST_PASSWORD } from '../support/factories/users.ts'

/** Every actor of the matrix, in report order. */
export const ACTORS: readonly AccessActor[] = ['anonymous', 'customerA', 'customerB', 'assignedMechanic', 'mechanic', 'advisor', 'admin']

/** The base accounts and what every module of the registry adds for its rows. */
export type AccessFixtures = BaseFixtures & UsersFixtures & AuthFixtures & VehicleFixtures & BayFixtures & ServiceFixtures & AppointmentFixtures & WorkOrderFixtures

/** One operation of an OpenAPI document. */
export interface SpecOperation {
  method: string
  path: string
  key: string
  operation: OpenApiOperation
}

/** The parts of an OpenAPI operation the security tests read. */
export interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[]
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> }
}

/** A JSON schema as @fastify/swagger emits it for parameters and request bodies (inline: only response schemas become $refs). */
export interface JsonSchema {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minProperties?: number
  pattern?: string
  format?: string
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'options', 'trace']

/** Every path × method of the served OpenAPI document (HEAD excluded), keyed like the access rows. */
export function specOperations(app: FastifyInstance): SpecOperation[] {
  const spec = app.swagger() as { paths?: Record<string, Record<string, OpenApiOperation>> }
  const out: SpecOperation[] = []
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue
      out.push({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}`, operation })
    }
  }
  return out
}

/** The signed-in actors with their user ids, plus the matrix's shared data. */
export interface SecurityFixtures extends AccessFixtures {
  /** A fresh bearer header for the actor (none for anonymous): one per request, so a logout cell ends only itself. */
  authFor(actor: AccessActor): Promise<Record<string, string>>
}

/**
 * Inserts the matrix's accounts (the cast of test/support/actors.ts: two customers, two mechanics, an advisor, an admin), then lets every
 * module of the registry, in order, add the data its rows need (vehicles, a target staff account, …).
 */
export async function createSecurityFixtures(db: Db): Promise<SecurityFixtures> {
  const accounts = await castOf(db)
  const emails = new Set<string>()
  const base: BaseFixtures = {
    db,
    ...accounts,
    password: TEST_PASSWORD,
    uniqueEmail() {
      let email: string
      do email = `sec-${randomBytes(6).toString('hex')}@example.test`
      while (emails.has(email))
      emails.add(email)
      return email
    },
  }
  const fixtures: Record<string, unknown> = { ...base }
  // Each module's builder sees what the modules before it built (the registry is in dependency order).
  for (const module of MODULES) Object.assign(fixtures, await module.access.fixtures?.(fixtures as never))
  return Object.assign(fixtures as unknown as AccessFixtures, {
    async authFor(actor: AccessActor) {
      if (actor === 'anonymous') return {}
      return (await createSession(db, accounts[actor].id)).auth
    },
  })
}

/** The state a refused request must not change: per table, its row count and a digest of every row. */
export async function dataFingerprint(db: Db): Promise<string> {
  const result = await db.execute(sql`
    select
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(md5(string_agg(u::text, ',' order by id)), '') from users u) as users,
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(md5(string_agg(v::text, ',' order by id)), '') from vehicles v) as vehicles,
      (select count(*) || ':' || coalesce(md5(string_agg(s::text, ',' order by token_hash)), '') from sessions s) as sessions,
      (select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by token_hash)), '') from account_tokens t) as account_tokens,
      (select count(*) || ':' || coalesce(md5(string_agg(m::text, ',' order by id)), '') from messages m) as messages,
      (select count(*) || ':' || coalesce(md5(string_agg(b::text, ',' order by id)), '') from bays b) as bays,
      (select count(*) || ':' || coalesce(md5(string_agg(c::text, ',' order by id)), '') from services c) as services,
      (select count(*) || ':' || coalesce(md5(string_agg(a::text, ',' order by id)), '') from appointments a) as appointments
  `)
  const rows = (result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])
  return JSON.stringify(rows[0])
}
