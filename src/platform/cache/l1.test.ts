import { describe, expect, it } from 'vitest'
import { l1ByteBudget } from './create-cache.ts'
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
