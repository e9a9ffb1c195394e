import { describe, expect, it, vi } from 'vitest'

describe('tag tokens', () => {
  it('never repeat within a process', async () => {
    const { newTagToken } = await import('./redis-store.ts')
    const tokens = new Set(Array.from({ length: 100_000 }, () => newTagToken()))
    expect(tokens.size).toBe(100_000)
  })

  it('differ between processes from the first one drawn (each loads the module afresh)', async () => {
    vi.resetModules()
    const first = (await import('./redis-store.ts')).newTagToken()
    vi.resetModules()
    const other = (await import('./redis-store.ts')).newTagToken()
    // Same counter value, different process prefix: an entry stored under one can never match the other.
    expect(other).not.toBe(first)
    expect(other.slice(0, 12)).not.toBe(first.slice(0, 12))
  })
})
