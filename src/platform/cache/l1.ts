import { LRUCache } from 'lru-cache'

/** An entry of the in-process tier. Values are shared, so callers must treat them as immutable. */
export interface L1Entry {
  value: unknown
  tags: readonly string[]
  /** Fresh until then. */
  expiresAt: number
  /** Kept until then, to be served only when the database cannot answer (stale-if-error). */
  staleUntil: number
  /** Bytes of the entry as encoded for Redis; the tier counts the heap it holds from this. */
  size: number
}

/**
 * What an entry costs the V8 heap, from its encoded size: decoded values weigh more than their
 * MessagePack bytes (measured: 3.1× for a list of records, 1.4× for a cached body, 4.2× for a session
 * lookup, key, LRU slot and tag index included). Deliberately on the high side: the byte budget is
 * what keeps the process inside its heap limit. Measured by bench/l1-entry-heap.ts.
 */
export function heapBytes(encodedBytes: number): number {
  return 3 * encodedBytes + 400
}

// Past this many remembered tag invalidations, forget them all and empty the tier instead.
const MAX_TRACKED_TAGS = 100_000

/** How many entries, and how many estimated heap bytes, an LRU of the tier may hold. */
export interface L1Bounds {
  maxEntries: number
  maxBytes: number
}

/**
 * The in-process tier: an LRU bounded by entries and bytes, with a tag index so an invalidation
 * drops exactly the entries that carry the tag.
 *
 * It also closes the stale-set race for itself: a lookup notes the invalidation sequence when it
 * begins, and `set` refuses a value if any of its tags was invalidated since (or is held: see
 * `invalidate`), because that value may have been read from the database before the write.
 */
export class L1 {
  private readonly main: LRUCache<string, L1Entry>
  private readonly reserved: { prefix: string; lru: LRUCache<string, L1Entry> }[]
  private readonly all: LRUCache<string, L1Entry>[]
  // Most tags mark one key (a session, a customer's list): those hold the key itself, not a Set,
  // which saved ~150 bytes of heap per entry (bench/l1-entry-heap.ts).
  private readonly byTag = new Map<string, string | Set<string>>()
  private readonly tagSeq = new Map<string, number>()
  private readonly holds = new Map<string, number>()
  private seq = 0
  private resetSeq = 0

  /**
   * `reserved` gives the keys under a prefix an LRU of their own, so that other entries never evict
   * them: session lookups, needed by every signed-in request, would otherwise compete with larger,
   * rarer entries (a 10,000-entry LRU over 100,000 customers' sessions and lists holds one in twenty).
   */
  constructor(options: L1Bounds & { reserved?: readonly (L1Bounds & { prefix: string })[] }) {
    const lru = (bounds: L1Bounds) =>
      new LRUCache<string, L1Entry>({
        max: Math.max(1, bounds.maxEntries),
        maxSize: Math.max(1, bounds.maxBytes),
        sizeCalculation: (entry) => heapBytes(entry.size),
        dispose: (entry, key) => this.unindex(key, entry.tags),
      })
    this.main = lru(options)
    this.reserved = (options.reserved ?? []).map((r) => ({ prefix: r.prefix, lru: lru(r) }))
    this.all = [this.main, ...this.reserved.map((r) => r.lru)]
  }

  get size(): number {
    let size = 0
    for (const lru of this.all) size += lru.size
    return size
  }

  /** Estimated heap bytes held by the entries (see `heapBytes`). */
  get bytes(): number {
    let bytes = 0
    for (const lru of this.all) bytes += lru.calculatedSize
    return bytes
  }

  /** The bounds of each LRU: the main one (prefix '') first, then the reserved ones. */
  get bounds(): (L1Bounds & { prefix: string })[] {
    return [{ prefix: '', lru: this.main }, ...this.reserved].map(({ prefix, lru }) => ({ prefix, maxEntries: lru.max, maxBytes: lru.maxSize }))
  }

  /** Entry count per namespace, where the logical key starts with `<namespace>_`. */
  countByPrefix(prefixes: readonly string[]): Record<string, number> {
    const counts = Object.fromEntries(prefixes.map((p) => [p, 0])) as Record<string, number>
    for (const lru of this.all) {
      for (const key of lru.keys()) for (const p of prefixes) if (key.startsWith(`${p}_`)) counts[p]!++
    }
    return counts
  }

  /** The entry under a key, fresh or within its stale window (the caller compares `expiresAt`). */
  get(key: string, now = Date.now()): L1Entry | undefined {
    const lru = this.lruFor(key)
    const entry = lru.get(key)
    if (entry === undefined) return undefined
    if (entry.staleUntil <= now) {
      lru.delete(key)
      return undefined
    }
    return entry
  }

  /** Marks the start of a lookup; pass the result to `set`. */
  begin(): number {
    return this.seq
  }

  /** Stores an entry unless one of its tags was invalidated (or is held) since `startedAt`. */
  set(key: string, entry: L1Entry, startedAt: number, now = Date.now()): boolean {
    if (startedAt < this.resetSeq) return false
    for (const tag of entry.tags) {
      if ((this.tagSeq.get(tag) ?? -1) > startedAt) return false
      const hold = this.holds.get(tag)
      if (hold !== undefined && hold > now) return false
    }
    const lru = this.lruFor(key)
    lru.set(key, entry)
    // The LRU may refuse an entry larger than the whole tier; index only what it kept.
    if (lru.has(key)) {
      for (const tag of entry.tags) {
        const keys = this.byTag.get(tag)
        if (keys === undefined) this.byTag.set(tag, key)
        else if (typeof keys !== 'string') keys.add(key)
        else if (keys !== key) this.byTag.set(tag, new Set([keys, key]))
      }
    }
    return true
  }

  /**
   * Drops every entry carrying one of the tags. With `holdMs`, entries with these tags are also
   * refused for that long: used when another instance announces a write whose shared-tier
   * invalidation may not have landed yet, so a value read from the shared tier meanwhile is not kept.
   */
  invalidate(tags: readonly string[], holdMs = 0, now = Date.now()): void {
    this.seq++
    if (this.tagSeq.size + tags.length > MAX_TRACKED_TAGS) {
      this.clear()
      return
    }
    for (const tag of tags) {
      this.tagSeq.set(tag, this.seq)
      if (holdMs > 0) this.holds.set(tag, now + holdMs)
      const keys = this.byTag.get(tag)
      if (typeof keys === 'string') this.lruFor(keys).delete(keys)
      else if (keys) for (const key of [...keys]) this.lruFor(key).delete(key)
    }
    if (this.holds.size > 10_000) for (const [tag, until] of this.holds) if (until <= now) this.holds.delete(tag)
  }

  /** Drops the entries whose logical key matches; returns how many. */
  deleteMatching(matches: (key: string) => boolean): number {
    this.seq++
    this.resetSeq = this.seq
    let deleted = 0
    for (const lru of this.all) {
      for (const key of [...lru.keys()]) {
        if (matches(key)) {
          lru.delete(key)
          deleted++
        }
      }
    }
    return deleted
  }

  /** Empties the tier; lookups begun before cannot store their values. */
  clear(): void {
    this.seq++
    this.resetSeq = this.seq
    for (const lru of this.all) lru.clear()
    this.byTag.clear()
    this.tagSeq.clear()
    this.holds.clear()
  }

  private lruFor(key: string): LRUCache<string, L1Entry> {
    for (const r of this.reserved) if (key.startsWith(r.prefix)) return r.lru
    return this.main
  }

  private unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.byTag.get(tag)
      if (keys === undefined) continue
      if (typeof keys === 'string') {
        if (keys === key) this.byTag.delete(tag)
        continue
      }
      keys.delete(key)
      if (keys.size === 0) this.byTag.delete(tag)
    }
  }
}
