/** The tag every entry carries: changing its token retires the whole cache at once. */
export const EPOCH_TAG = '#epoch'

/**
 * Physical names of one deployment's cache in Redis. Logical keys keep the seed's names
 * (`customer_vehicles_12`); physical keys add the prefix and version (`ecar:v1:customer_vehicles_12`).
 * Tag tokens and locks live beside them under `#t:` and `#l:`, which no logical key starts with.
 */
export class KeySpace {
  /** `<prefix>:v<version>:`, the start of every key this deployment's cache owns. */
  readonly root: string

  constructor(
    readonly prefix: string,
    readonly version: number,
  ) {
    this.root = `${prefix}:v${version}:`
  }

  entry(logicalKey: string): string {
    return this.root + logicalKey
  }

  tag(tag: string): string {
    return `${this.root}#t:${tag}`
  }

  lock(logicalKey: string): string {
    return `${this.root}#l:${logicalKey}`
  }

  /** The pub/sub channel of the invalidation bus. */
  get channel(): string {
    return `${this.root}#bus`
  }

  /** The logical key of a physical one, or undefined when the key is not an entry of this deployment. */
  logical(physicalKey: string): string | undefined {
    if (!physicalKey.startsWith(this.root)) return undefined
    const rest = physicalKey.slice(this.root.length)
    return rest.startsWith('#') ? undefined : rest
  }
}

/** Throws for logical keys that would collide with the cache's own bookkeeping keys. */
export function assertLogicalKey(key: string): void {
  if (key.length === 0 || key.length > 512 || key.startsWith('#')) throw new Error(`invalid cache key "${key.slice(0, 40)}"`)
}

/**
 * Matches a Redis-style glob (`*`, `?`, `[…]`, `\` escapes) against a string, as SCAN MATCH does,
 * so the L1 can drop exactly the entries a pattern clear removes from Redis.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '^'
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '\\' && i + 1 < glob.length) out += escapeRe(glob[++i]!)
    else if (c === '*') out += '[\\s\\S]*'
    else if (c === '?') out += '[\\s\\S]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end === -1) out += '\\['
      else {
        let body = glob.slice(i + 1, end)
        const negate = body.startsWith('^')
        if (negate) body = body.slice(1)
        out += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, (m) => `\\${m}`)}]`
        i = end
      }
    } else out += escapeRe(c)
  }
  return new RegExp(`${out}$`)
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
