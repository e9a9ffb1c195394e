import type { FastifyPluginAsync } from 'fastify'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { PermissionTable } from '../auth/permissions.ts'
import type { CacheDeclaration } from '../cache/cache-declaration.ts'
import type { ModuleAccess } from '../http/access.ts'
import type { ErrorCatalog } from '../http/error-catalog.ts'

/** A route plugin and the prefix it is mounted under. */
export interface RouteMount {
  readonly prefix: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- route plugins take no options of their own
  readonly plugin: FastifyPluginAsync<any>
}

/**
 * Everything the rest of the system needs to know about a module, in one place: app.ts mounts its
 * routes and plugins, drizzle-kit and the table-ownership check read its tables, the cache plugin
 * learns its namespaces and tag families, docs/caching.md is generated from its cache declaration,
 * the authorization matrix runs its access rows, and the error-code check reads its catalogue.
 * A new module is a folder plus one line in src/modules/index.ts (docs/decisions/014-module-registry.md).
 */
export interface ModuleDefinition {
  /** The folder name under src/modules. */
  readonly name: string
  /** Plugins registered before any module's routes: workers, decorations other modules use. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- plugins take no options of their own
  readonly plugins?: readonly FastifyPluginAsync<any>[]
  readonly routes: readonly RouteMount[]
  /** The OpenAPI tags its routes use, with what each stands for. */
  readonly apiTags?: readonly { name: string; description: string }[]
  /** The tables this module owns: only its repositories insert, update or delete their rows. */
  readonly tables: Readonly<Record<string, PgTable>>
  readonly cache: CacheDeclaration
  /** The permissions its routes name (`config.permission`) and which roles hold them. */
  readonly permissions: PermissionTable
  readonly access: ModuleAccess
  readonly errors: ErrorCatalog
}

/** Declares a module (an identity function that checks the shape). */
export function defineModule<const M extends ModuleDefinition>(definition: M): M {
  return definition
}
