import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'

/** Bytes of the HMAC-SHA256 tag in front of every sealed value. */
export const MAC_BYTES = 32

// The scope's length goes in first, so (scope, body) pairs cannot be re-split: a genuine entry of key
// "ab" + body "c…" never verifies as key "abc". Reused: sealing is synchronous.
const lengthBuffer = Buffer.alloc(4)

/**
 * Authenticates what the cache stores in or sends through Redis, with HMAC-SHA256 over a scope (the
 * physical key, or the channel) and the bytes. The first secret signs; every secret verifies, so a
 * rotation keeps the previous one readable until its entries are gone (docs/decisions/006-cache-trust.md).
 */
export class Seal {
  private readonly keys: KeyObject[]

  constructor(secrets: readonly (string | Buffer)[]) {
    if (secrets.length === 0) throw new Error('a seal needs at least one secret')
    // KeyObjects: the secret is parsed once, not on every HMAC.
    this.keys = secrets.map((s) => createSecretKey(typeof s === 'string' ? Buffer.from(s, 'utf8') : s))
  }

  /** The MAC of `body` under `scope` with the signing secret. */
  mac(scope: string, body: Uint8Array | string, key: KeyObject = this.keys[0]!): Buffer {
    lengthBuffer.writeUInt32BE(Buffer.byteLength(scope))
    return createHmac('sha256', key).update(lengthBuffer).update(scope).update(body).digest()
  }

  /** `mac ‖ body`: what is stored in Redis under `scope`. */
  seal(scope: string, body: Buffer): Buffer {
    return Buffer.concat([this.mac(scope, body), body], MAC_BYTES + body.length)
  }

  /** The body of a sealed value when its MAC is right under `scope` with any secret; undefined otherwise. */
  open(scope: string, raw: Buffer): Buffer | undefined {
    if (raw.length < MAC_BYTES) return undefined
    const body = raw.subarray(MAC_BYTES)
    const given = raw.subarray(0, MAC_BYTES)
    for (const key of this.keys) if (timingSafeEqual(this.mac(scope, body, key), given)) return body
    return undefined
  }

  /** Whether `mac` (base64url) is right for `text` under `scope` with any secret. */
  verifyText(scope: string, text: string, mac: string): boolean {
    const given = Buffer.from(mac, 'base64url')
    if (given.length !== MAC_BYTES) return false
    return this.keys.some((key) => timingSafeEqual(this.mac(scope, text, key), given))
  }
}
