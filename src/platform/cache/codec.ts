import { Packr } from 'msgpackr'

// MessagePack: about half the size of JSON for our rows, and Dates come back as Dates.
const packr = new Packr({ useRecords: false, mapsAsObjects: true })

/** What is stored under a physical key: the value, the tag tokens it was loaded under, and when it expires. */
export interface StoredEntry {
  /** The cached value. */
  v: unknown
  /** Tag tokens observed when the lookup began, in the order of the entry's tags (the epoch first). */
  t: string[]
  /** Expiry, epoch milliseconds. */
  x: number
}

/** Encodes an entry for Redis. */
export function encodeEntry(entry: StoredEntry): Buffer {
  return packr.pack(entry)
}

/** Decodes an entry; undefined for anything that is not one (a foreign or corrupt value is a miss). */
export function decodeEntry(raw: Buffer): StoredEntry | undefined {
  try {
    const entry = packr.unpack(raw) as StoredEntry
    return entry && Array.isArray(entry.t) && typeof entry.x === 'number' ? entry : undefined
  } catch {
    return undefined
  }
}
