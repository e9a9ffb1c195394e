import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { EPOCH_TAG, type KeySpace } from './key-space.ts'
import type { Seal } from './seal.ts'

// Reads an entry and the current token of each of its tags in one round trip. A tag with no token
// yet (new, expired or evicted) gets a fresh random one, so an entry stored under an older token can
// never match again: no ABA, even when Redis evicts or loses tag keys.
const READ_SCRIPT = `
local out = { redis.call('GET', KEYS[1]) or false }
for i = 2, #KEYS do
  local token = redis.call('GET', KEYS[i])
  if not token then
    token = ARGV[1]
    redis.call('SET', KEYS[i], token, 'PX', ARGV[2])
  end
  out[i] = token
end
return out
`

// Gives each tag a new random token: every entry stored under an older one is invalid from now on.
const BUMP_SCRIPT = `
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return #KEYS
`

// Tag tokens outlive any entry that could reference them; an expired token only costs a miss.
const TAG_TTL_MS = 48 * 3_600_000

type ScriptRedis = Redis & {
  ecarRead(numKeys: number, ...args: (string | number)[]): Promise<(Buffer | null)[]>
  ecarBump(numKeys: number, ...args: (string | number)[]): Promise<number>
}

// Tokens must be unique, not secret (whoever can read them can write Redis anyway): a random prefix
// per process and a counter. Drawing random bytes on every read cost ~4 % of the CPU of a Redis hit.
const TOKEN_PREFIX = randomBytes(9).toString('base64url')
let tokenCount = 0

/** A tag token no other read or bump, in this process or any other, has drawn or will draw. */
export function newTagToken(): string {
  return TOKEN_PREFIX + (tokenCount++).toString(36)
}

/**
 * Deletes the keys matching a Redis glob (those `keep` accepts, when given) in SCAN batches with
 * UNLINK: never KEYS or FLUSHDB, so Redis keeps answering other clients between batches, and keys
 * outside the glob are never touched. Returns how many keys went.
 */
export async function unlinkMatching(redis: Redis, match: string, options: { batch?: number; keep?: (key: string) => boolean } = {}): Promise<number> {
  const { batch = 500, keep } = options
  let deleted = 0
  let cursor = '0'
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', match, 'COUNT', batch)
    cursor = next
    const keys = keep ? found.filter(keep) : found
    if (keys.length > 0) deleted += await redis.unlink(...keys)
  } while (cursor !== '0')
  return deleted
}

/**
 * The shared tier in Redis: entries, tag tokens, stampede locks and SCAN-based deletes. Entries are
 * sealed (HMAC over the physical key and the encoded entry, tag tokens and expiry included): one
 * that does not verify, forged or moved from another key, is read as absent and counted.
 */
export class RedisStore {
  private readonly redis: ScriptRedis

  constructor(
    redis: Redis,
    private readonly keys: KeySpace,
    private readonly seal: Seal,
    private readonly rejected: (reason: 'entry_mac') => void = () => {},
  ) {
    redis.defineCommand('ecarRead', { lua: READ_SCRIPT })
    redis.defineCommand('ecarBump', { lua: BUMP_SCRIPT })
    this.redis = redis as ScriptRedis
  }

  /** The raw entry (or null) and the current token of the epoch and of each tag, in that order. */
  async read(logicalKey: string, tags: readonly string[]): Promise<{ raw: Buffer | null; tokens: string[] }> {
    const entryKey = this.keys.entry(logicalKey)
    const tagKeys = [this.keys.tag(EPOCH_TAG), ...tags.map((t) => this.keys.tag(t))]
    // Every tag has a token almost always: one MGET (as atomic as the script, and cheaper for Redis
    // than running Lua) answers. A tag without one yet needs the script, which gives it one atomically.
    let reply = await this.redis.mgetBuffer(entryKey, ...tagKeys)
    if (reply.some((b, i) => i > 0 && b === null)) {
      reply = await this.redis.ecarReadBuffer(1 + tagKeys.length, entryKey, ...tagKeys, newTagToken(), TAG_TTL_MS)
    }
    const tokens = reply.slice(1).map((b) => (b ? b.toString() : ''))
    const sealed = reply[0]
    if (!sealed) return { raw: null, tokens }
    const raw = this.seal.open(entryKey, sealed)
    if (!raw) this.rejected('entry_mac')
    return { raw: raw ?? null, tokens }
  }

  /** Stores an encoded entry, sealed under its physical key. */
  async write(logicalKey: string, raw: Buffer, ttlMs: number): Promise<void> {
    const entryKey = this.keys.entry(logicalKey)
    await this.redis.set(entryKey, this.seal.seal(entryKey, raw), 'PX', Math.max(1, Math.round(ttlMs)))
  }

  /** Invalidates tags by giving them new tokens (pass EPOCH_TAG to retire everything). */
  async bump(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return
    await this.redis.ecarBump(tags.length, ...tags.map((t) => this.keys.tag(t)), newTagToken(), TAG_TTL_MS)
  }

  /** Takes the loader lock of a key for ttlMs; true when this caller holds it. */
  async tryLock(logicalKey: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.lock(logicalKey), '1', 'PX', ttlMs, 'NX')) === 'OK'
  }

  async unlock(logicalKey: string): Promise<void> {
    await this.redis.unlink(this.keys.lock(logicalKey))
  }

  /**
   * Deletes this deployment's keys whose logical part matches a glob (all of them, tags and locks
   * included, when glob is undefined), in SCAN batches with UNLINK: never KEYS, never FLUSHDB, so
   * Redis keeps answering other clients between batches.
   */
  async deleteMatching(glob: string | undefined, batch = 500): Promise<number> {
    // A pattern such as `*` must not take the bookkeeping keys (`#t:`, `#l:`) with it.
    const keep = glob === undefined ? undefined : (key: string) => this.keys.logical(key) !== undefined
    return unlinkMatching(this.redis, `${this.keys.root}${glob ?? '*'}`, { batch, keep })
  }

  /** Counts keys per namespace (`<ns>_…`) with SCAN, stopping after budgetMs; `complete` says whether it finished. */
  async countByNamespace(namespaces: readonly string[], budgetMs: number): Promise<{ counts: Record<string, number>; complete: boolean }> {
    const counts = Object.fromEntries(namespaces.map((n) => [n, 0])) as Record<string, number>
    const deadline = Date.now() + budgetMs
    let cursor = '0'
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', `${this.keys.root}*`, 'COUNT', 1000)
      cursor = next
      for (const key of found) {
        const logical = this.keys.logical(key)
        if (logical === undefined) continue
        for (const ns of namespaces) if (logical.startsWith(`${ns}_`)) counts[ns]!++
      }
    } while (cursor !== '0' && Date.now() < deadline)
    return { counts, complete: cursor === '0' }
  }
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    ecarReadBuffer(numKeys: number, ...args: (string | number)[]): Promise<(Buffer | null)[]> & Context
  }
}
