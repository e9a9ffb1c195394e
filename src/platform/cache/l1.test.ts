import { describe, expect, it } from 'vitest'
import { createL1, l1ByteBudget } from './create-cache.ts'
import { L1, heapBytes, type L1Entry } from './l1.ts'

const entry = (size: number, tags: string[] = []): L1Entry => ({ value: 'v', tags, expiresAt: Date.now() + 60_000, staleUntil: Date.now() + 120_000, size })

describe('the in-process tier counts heap, not encoded bytes', () => {
  it('reports the estimated heap of what it holds', () => {
    const l1 = new L1({ maxEntries: 100, maxBytes: 1_000_000 })
    l1.set('a', entry(1000), l1.begin())
    l1.set('b', entry(100), l1.begin())
    expect(l1.bytes).toBe(heapBytes(1000) + heapBytes(100))
    expect(heapBytes(1000)).toBeGreaterThan(3 * 1000)
  })

  it('evicts the least recently used entries once their heap passes the byte budget', () => {
    // Ten entries of 1,000 encoded bytes are ~34 kB of heap: a 20 kB budget keeps five.
    const l1 = new L1({ maxEntries: 100, maxBytes: 20_000 })
    for (let i = 0; i < 10; i++) l1.set(`k${i}`, entry(1000, [`t${i}`]), l1.begin())
    expect(l1.size).toBe(Math.floor(20_000 / heapBytes(1000)))
    expect(l1.get('k9')).toBeDefined()
    expect(l1.get('k0')).toBeUndefined()
    expect(l1.bytes).toBeLessThanOrEqual(20_000)
  })
})

describe('the byte budget', () => {
  const warnings: unknown[] = []
  const log = { warn: (...args: unknown[]) => void warnings.push(args) }

  it('is the setting when it fits in a third of the heap limit', () => {
    expect(l1ByteBudget(64 * 2 ** 20, log, 4096 * 2 ** 20)).toBe(64 * 2 ** 20)
    expect(warnings).toHaveLength(0)
  })

  it('is held to a third of the heap limit, with a warning, when the setting would not fit', () => {
    // e.g. CACHE_L1_MAX_BYTES=512 MiB in a process started with --max-old-space-size=256
    expect(l1ByteBudget(512 * 2 ** 20, log, 300 * 2 ** 20)).toBe(100 * 2 ** 20)
    expect(warnings).toHaveLength(1)
  })

  it('reads the running process heap limit by default', () => {
    const budget = l1ByteBudget(Number.MAX_SAFE_INTEGER, { warn: () => {} })
    expect(budget).toBeGreaterThan(0)
    expect(budget).toBeLessThan(Number.MAX_SAFE_INTEGER)
  })
})

describe('the tag index', () => {
  it('drops exactly the entries that carry an invalidated tag, whether a tag marks one key or several', () => {
    const l1 = new L1({ maxEntries: 100, maxBytes: 1_000_000 })
    l1.set('session_a', entry(10, ['session:a']), l1.begin())
    l1.set('list_1', entry(10, ['customer:1', 'vehicles']), l1.begin())
    l1.set('list_2', entry(10, ['customer:2', 'vehicles']), l1.begin())
    l1.invalidate(['session:a'])
    expect(l1.get('session_a')).toBeUndefined()
    expect(l1.get('list_1')).toBeDefined()
    l1.invalidate(['customer:2'])
    expect(l1.get('list_2')).toBeUndefined()
    expect(l1.get('list_1')).toBeDefined()
    l1.set('list_3', entry(10, ['vehicles']), l1.begin())
    l1.invalidate(['vehicles'])
    expect(l1.size).toBe(0)
  })

  it('keeps the index right when an entry is replaced or evicted', () => {
    const l1 = new L1({ maxEntries: 2, maxBytes: 1_000_000 })
    l1.set('k', entry(10, ['old']), l1.begin())
    l1.set('k', entry(10, ['new']), l1.begin())
    l1.invalidate(['old'])
    expect(l1.get('k')).toBeDefined()
    l1.set('x', entry(10, ['new']), l1.begin())
    // A third entry evicts the least recently used one ('k'); the tag still reaches 'x'.
    l1.set('y', entry(10, ['other']), l1.begin())
    expect(l1.get('k')).toBeUndefined()
    l1.invalidate(['new'])
    expect(l1.get('x')).toBeUndefined()
    expect(l1.get('y')).toBeDefined()
  })
})

describe('a reserved prefix', () => {
  it('keeps its entries apart: other entries never evict them, and they never evict others', () => {
    const l1 = new L1({ maxEntries: 3, maxBytes: 1_000_000, reserved: [{ prefix: 'session_', maxEntries: 2, maxBytes: 1_000_000 }] })
    l1.set('session_a', entry(10, ['session:a']), l1.begin())
    l1.set('session_b', entry(10, ['session:b']), l1.begin())
    for (let i = 0; i < 10; i++) l1.set(`list_${i}`, entry(10, [`customer:${i}`]), l1.begin())
    expect(l1.get('session_a')).toBeDefined()
    expect(l1.get('session_b')).toBeDefined()
    expect(l1.size).toBe(5)
    // The reserved LRU evicts within itself.
    l1.set('session_c', entry(10, ['session:c']), l1.begin())
    expect(l1.get('session_a')).toBeUndefined()
    expect(l1.get('list_9')).toBeDefined()
    expect(l1.bytes).toBe(5 * heapBytes(10))
  })

  it('is invalidated, counted and cleared with the rest of the tier', () => {
    const l1 = new L1({ maxEntries: 10, maxBytes: 1_000_000, reserved: [{ prefix: 'session_', maxEntries: 10, maxBytes: 1_000_000 }] })
    l1.set('session_a', entry(10, ['session:a', 'user:1']), l1.begin())
    l1.set('session_b', entry(10, ['session:b', 'user:2']), l1.begin())
    l1.set('vehicle_list_u1', entry(10, ['user:1']), l1.begin())
    expect(l1.countByPrefix(['session', 'vehicle'])).toEqual({ session: 2, vehicle: 1 })
    const started = l1.begin()
    l1.invalidate(['user:1'])
    expect(l1.get('session_a')).toBeUndefined()
    expect(l1.get('vehicle_list_u1')).toBeUndefined()
    // A lookup begun before the invalidation cannot store what it read.
    expect(l1.set('session_a', entry(10, ['session:a', 'user:1']), started)).toBe(false)
    expect(l1.deleteMatching((key) => key.startsWith('session_'))).toBe(1)
    l1.set('session_c', entry(10, ['session:c']), l1.begin())
    l1.clear()
    expect(l1.size).toBe(0)
  })
})

describe('the tier with session lookups kept apart', () => {
  const MiB = 2 ** 20
  const sessions = { namespace: 'session', maxEntries: 100_000, encodedBytes: 256 }

  it('sizes the session LRU for its entries, beside the configured bounds, when the heap allows', () => {
    const l1 = createL1({ l1MaxEntries: 10_000, l1MaxBytes: 64 * MiB }, [sessions], { warn: () => {} }, 4096 * MiB)
    expect(l1.bounds).toEqual([
      { prefix: '', maxEntries: 10_000, maxBytes: 64 * MiB },
      { prefix: 'session_', maxEntries: 100_000, maxBytes: 100_000 * heapBytes(256) },
    ])
  })

  it('shrinks every part in proportion, with a warning, to fit a third of a small heap', () => {
    const warnings: unknown[] = []
    const l1 = createL1({ l1MaxEntries: 10_000, l1MaxBytes: 64 * MiB }, [sessions], { warn: (...args: unknown[]) => void warnings.push(args) }, 300 * MiB)
    const [main, reserved] = l1.bounds
    expect(main!.maxBytes + reserved!.maxBytes).toBeLessThanOrEqual(100 * MiB)
    expect(main!.maxBytes + reserved!.maxBytes).toBeGreaterThan(99 * MiB)
    expect(main!.maxBytes / reserved!.maxBytes).toBeCloseTo((64 * MiB) / (100_000 * heapBytes(256)), 3)
    expect(warnings).toHaveLength(1)
  })

  it('shares the main LRU when no session entries are reserved (CACHE_L1_SESSIONS=0)', () => {
    const l1 = createL1({ l1MaxEntries: 10_000, l1MaxBytes: 64 * MiB }, [{ ...sessions, maxEntries: 0 }], { warn: () => {} }, 4096 * MiB)
    expect(l1.bounds).toHaveLength(1)
  })
})
