/** The tag every entry carries: changing its token retires the whole cache at once. */
export const EPOCH_TAG = '#epoch'

/**
 * Physical names of one deployment's cache in Redis. Logical keys keep the seed's names
 * (`customer_vehicles_12`); physical keys add the prefix, version and deployment id
 * (`ecar:v1:Xk3…:customer_vehicles_12`), so two deployments sharing a Redis and a prefix never read,
 * write or clear each other's keys. Tag tokens and locks live beside them under `#t:` and `#l:`,
 * which no logical key starts with.
 */
export class KeySpace {
  /** `<prefix>:v<version>:<deployment>:`, the start of every key this deployment's cache owns. */
  readonly root: string

  constructor(
    readonly prefix: string,
    readonly version: number,
    /** The id from the database (cache_identity); omitted only by tests of the naming itself. */
    readonly deploymentId?: string,
  ) {
    this.root = deploymentId === undefined ? `${prefix}:v${version}:` : `${prefix}:v${version}:${deploymentId}:`
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

type GlobToken = { kind: 'star' } | { kind: 'one' } | { kind: 'char'; c: string } | { kind: 'class'; negate: boolean; ranges: [string, string][] }

function parseGlob(glob: string): GlobToken[] {
  const tokens: GlobToken[] = []
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') {
      // Runs of stars match what one star matches.
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' })
    } else if (c === '?') tokens.push({ kind: 'one' })
    else if (c === '\\' && i + 1 < glob.length) tokens.push({ kind: 'char', c: glob[++i]! })
    else if (c === '[') {
      let j = i + 1
      const negate = glob[j] === '^'
      if (negate) j++
      const ranges: [string, string][] = []
      while (j < glob.length && glob[j] !== ']') {
        let lo = glob[j]!
        if (lo === '\\' && j + 1 < glob.length) lo = glob[++j]!
        if (glob[j + 1] === '-' && j + 2 < glob.length && glob[j + 2] !== ']') {
          let hi = glob[j + 2]!
          // Redis swaps a reversed range ([z-a] is [a-z]) rather than refusing it.
          if (hi < lo) [lo, hi] = [hi, lo]
          ranges.push([lo, hi])
          j += 3
        } else {
          ranges.push([lo, lo])
          j++
        }
      }
      tokens.push({ kind: 'class', negate, ranges })
      i = j // an unterminated class runs to the end, as in Redis
    } else tokens.push({ kind: 'char', c })
  }
  return tokens
}

function matchesOne(token: GlobToken, c: string): boolean {
  switch (token.kind) {
    case 'one':
      return true
    case 'char':
      return token.c === c
    case 'class': {
      const inside = token.ranges.some(([lo, hi]) => c >= lo && c <= hi)
      return token.negate ? !inside : inside
    }
    default:
      return false
  }
}

/**
 * A matcher for a Redis-style glob (`*`, `?`, `[…]`, `\` escapes), as SCAN MATCH applies it, so the L1
 * drops exactly the entries a pattern clear removes from Redis. Linear backtracking over one star at a
 * time (O(pattern × key)): a pattern of many stars cannot stall the process, as a regular expression
 * built from it could.
 */
export function globMatcher(glob: string): (text: string) => boolean {
  const tokens = parseGlob(glob)
  return (text) => {
    let p = 0
    let t = 0
    let starP = -1
    let starT = 0
    while (t < text.length) {
      const token = tokens[p]
      if (token && token.kind !== 'star' && matchesOne(token, text[t]!)) {
        p++
        t++
      } else if (token?.kind === 'star') {
        starP = p++
        starT = t
      } else if (starP !== -1) {
        p = starP + 1
        t = ++starT
      } else return false
    }
    while (tokens[p]?.kind === 'star') p++
    return p === tokens.length
  }
}
