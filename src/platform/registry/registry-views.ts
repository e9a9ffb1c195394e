import type { PgTable } from 'drizzle-orm/pg-core'
import type { AnyTagFamily, NamespaceDeclaration, WriteDeclaration } from '../cache/cache-declaration.ts'
import type { ErrorSpec } from '../http/error-catalog.ts'
import type { ModuleDefinition } from './module-definition.ts'
import { mergePermissions, type Grants } from '../auth/permissions.ts'

/** What the cache plugin needs to know of every module: its namespaces and the tag families it may touch. */
export interface DeclaredCache {
  namespaces: readonly NamespaceDeclaration[]
  families: readonly AnyTagFamily[]
}

/** The cache declarations of every module, merged (a namespace or a tag pattern declared twice is an error). */
export function declaredCache(modules: readonly ModuleDefinition[]): DeclaredCache {
  const namespaces = new Map<string, NamespaceDeclaration>()
  const families = new Map<string, AnyTagFamily>()
  for (const module of modules) {
    for (const namespace of module.cache.namespaces) {
      if (namespaces.has(namespace.name)) throw new Error(`cache namespace ${namespace.name} is declared twice (again by ${module.name})`)
      namespaces.set(namespace.name, namespace)
    }
    for (const family of module.cache.tags) {
      if (families.has(family.pattern)) throw new Error(`tag family ${family.pattern} is declared twice (again by ${module.name})`)
      families.set(family.pattern, family)
    }
  }
  return { namespaces: [...namespaces.values()], families: [...families.values()] }
}

/** Every write of every module with the module that declares it. */
export function declaredWrites(modules: readonly ModuleDefinition[]): { module: string; write: WriteDeclaration }[] {
  return modules.flatMap((module) => module.cache.writes.map((write) => ({ module: module.name, write })))
}

/** Every table with the module that owns it. */
export function ownedTables(modules: readonly ModuleDefinition[]): { module: string; name: string; table: PgTable }[] {
  return modules.flatMap((module) => Object.entries(module.tables).map(([name, table]) => ({ module: module.name, name, table })))
}

/** Every module's permissions in one map (a name declared twice throws). */
export function declaredPermissions(modules: readonly ModuleDefinition[]): ReadonlyMap<string, Grants> {
  return mergePermissions(modules.map((module) => ({ module: module.name, permissions: module.permissions })))
}

/** Every error code with its module. */
export function declaredErrors(modules: readonly ModuleDefinition[]): { module: string; name: string; spec: ErrorSpec }[] {
  return modules.flatMap((module) => Object.entries(module.errors).map(([name, spec]) => ({ module: module.name, name, spec })))
}
