/*
 * Declared cache tags. A tag is built only by a family a module declares in its `<module>.cache.ts`
 * (`tagFamily('vehicle:<id>', …)`), so `touch()` (which accepts `Tag`, not `string`) cannot be handed
 * a tag nobody reads, and docs/caching.md is generated from the same declarations
 * (test/docs/caching-doc.test.ts fails when they differ).
 */

declare const TAG: unique symbol

/** A cache tag made by a declared family; plain strings are not tags. */
export type Tag = string & { readonly [TAG]: true }

/** A declared family of tags: `pattern` shows its shape, calling it builds one tag. */
export interface TagFamily<Args extends readonly unknown[] = readonly []> {
  (...args: Args): Tag
  readonly pattern: string
  /** What the family stands for: which views carry it (docs/caching.md). */
  readonly description: string
  /** True when a string is a tag of this family. */
  matches(tag: string): boolean
}

/** Any family, whatever its arguments (what declarations list). */
export type AnyTagFamily = TagFamily<never>

const PLACEHOLDER = /<[a-zA-Z]+>/g

/** Declares a tag family from its pattern: `'vehicle:<id>'` builds `vehicle:12` from `(12)`. */
export function tagFamily<Args extends readonly (string | number)[] = []>(pattern: string, description: string): TagFamily<Args> {
  const parts = pattern.split(PLACEHOLDER)
  const holes = parts.length - 1
  const shape = new RegExp(`^${parts.map(escapeRegExp).join('[^:#\\s]+')}$`)
  const build = (...args: Args): Tag => {
    if (args.length !== holes) throw new Error(`tag ${pattern} takes ${holes} argument(s), got ${args.length}`)
    let i = 0
    return pattern.replace(PLACEHOLDER, () => String(args[i++])) as Tag
  }
  return Object.assign(build, { pattern, description, matches: (tag: string) => shape.test(tag) })
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Where a namespace's entries come from. */
export type NamespaceKind = 'response' | 'data' | 'session'

/** One cache namespace a module fills. */
export interface NamespaceDeclaration {
  readonly name: string
  readonly kind: NamespaceKind
  /** The logical key as docs/caching.md shows it. */
  readonly key: string
  /** What it holds, and for whom. */
  readonly holds: string
  /** The setting its TTL comes from, e.g. `CACHE_TTL_RESPONSE`. */
  readonly ttlSetting: string
  /** The tag families its entries carry. */
  readonly tags: readonly AnyTagFamily[]
}

/** One write and the tag families it touches. */
export interface WriteDeclaration {
  readonly write: string
  readonly touches: readonly AnyTagFamily[]
  /** Why, when it is not obvious. */
  readonly note?: string
}

/** A module's cache: its namespaces, the tag families it owns, and which of its writes touch which. */
export interface CacheDeclaration {
  readonly namespaces: readonly NamespaceDeclaration[]
  /** Families this module owns (others may read or touch them through its public index). */
  readonly tags: readonly AnyTagFamily[]
  readonly writes: readonly WriteDeclaration[]
}

/** An empty declaration, for modules that cache nothing and touch nothing. */
export const NO_CACHE: CacheDeclaration = { namespaces: [], tags: [], writes: [] }

/**
 * Checks tags against the declared families: what the writer runs on every touched tag, so a tag
 * made by a cast (`'x' as Tag`) still fails loudly in tests rather than invalidating nothing.
 */
export function tagChecker(families: readonly AnyTagFamily[]): (tag: string) => boolean {
  return (tag) => families.some((family) => family.matches(tag))
}
