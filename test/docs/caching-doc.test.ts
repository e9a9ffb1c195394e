import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MODULES } from '../../src/modules/index.ts'
import { tagFamily } from '../../src/platform/cache/cache-declaration.ts'
import { renderCacheDoc, withCacheDoc } from '../../src/platform/registry/cache-doc.ts'
import { declaredCache } from '../../src/platform/registry/registry-views.ts'

const doc = () => readFileSync(new URL('../../docs/caching.md', import.meta.url), 'utf8')

describe('docs/caching.md and the cache declarations', () => {
  it('holds exactly the tables the modules declare (run `npm run docs:cache` after changing a declaration)', () => {
    expect(doc()).toBe(withCacheDoc(doc(), MODULES))
    expect(doc()).toContain(renderCacheDoc(MODULES))
  })

  it('lists a namespace added to a declaration, so a forgotten regeneration fails the test above', () => {
    const extra = { ...MODULES[0]!, cache: { ...MODULES[0]!.cache, namespaces: [{ name: 'probe_ns', kind: 'data' as const, key: 'probe_<id>', holds: 'x', ttlSetting: 'CACHE_TTL_RESPONSE', tags: [] }] } }
    expect(withCacheDoc(doc(), [extra, ...MODULES.slice(1)])).not.toBe(doc())
  })

  it('reads and touches only families some module owns', () => {
    const owned = new Set(declaredCache(MODULES).families)
    const used = MODULES.flatMap((m) => [...m.cache.namespaces.flatMap((ns) => ns.tags), ...m.cache.writes.flatMap((w) => w.touches)])
    expect(used.length).toBeGreaterThan(5)
    expect(used.filter((family) => !owned.has(family)).map((family) => family.pattern)).toEqual([])
  })

  it('gives every namespace at least one tag family that a declared write touches, so no entry lives on untouched', () => {
    const touched = new Set(MODULES.flatMap((m) => m.cache.writes.flatMap((w) => w.touches)))
    const orphans = MODULES.flatMap((m) => m.cache.namespaces).filter((ns) => !ns.tags.some((family) => touched.has(family)))
    expect(orphans.map((ns) => ns.name)).toEqual([])
  })

  it('builds tags only of a family\'s shape', () => {
    const family = tagFamily<[number]>('vehicle:<id>', 'probe')
    expect(family(12)).toBe('vehicle:12')
    expect(family.matches('vehicle:12')).toBe(true)
    expect(family.matches('vehicle:12:x')).toBe(false)
    expect(family.matches('vehicles')).toBe(false)
    expect(() => (family as unknown as (...args: unknown[]) => string)()).toThrow(/takes 1 argument/)
  })
})
