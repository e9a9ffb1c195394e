import type { Seal } from './seal.ts'

/** What instances tell each other about cache changes, over Redis pub/sub and PostgreSQL NOTIFY. */
export type InvalidationMessage =
  /**
   * Entries with these tags are invalid (a write committed). `write` names the write: its database
   * announcement and its Redis-side message carry the same id, so a receiver can tell when the
   * second never came (the writer died between its commit and its Redis invalidation).
   */
  | { kind: 'tags'; tags: string[]; write?: string; from: string; root: string }
  /** Entries whose logical key matches the glob (all entries when absent) were cleared. */
  | { kind: 'clear'; pattern?: string; from: string; root: string }
  /** A write could not invalidate the shared tier: nobody may read it until the epoch is bumped. */
  | { kind: 'shared-tier-missed'; from: string; root: string }

/** Why a message was refused: counted in `ecar_cache_rejected_total{reason}`. */
export type MessageRejection = 'message_mac' | 'message_replay' | 'message_malformed'

/**
 * How long a sealed message stays acceptable after it was sent. Instances' clocks must agree to
 * within this; a genuine message replayed later (to empty the L1s again) is refused.
 */
export const MESSAGE_WINDOW_MS = 30_000

/** Parses a message; undefined for anything malformed or not for this deployment (`root`). */
export function parseMessage(text: string, root: string): InvalidationMessage | undefined {
  try {
    const message = JSON.parse(text) as InvalidationMessage
    if (message.root !== root || typeof message.from !== 'string') return undefined
    if (message.kind === 'tags' && Array.isArray(message.tags) && (message.write === undefined || typeof message.write === 'string')) return message
    if (message.kind === 'clear' || message.kind === 'shared-tier-missed') return message
  } catch {
    // not ours
  }
  return undefined
}

/**
 * Seals and opens the messages of one invalidation path (`scope`: the Redis channel, or the
 * PostgreSQL one). A message is `<mac>.<json>`, the JSON carrying its send time `at`: whoever can
 * publish on the channel but lacks the secret cannot forge one, and replaying a genuine one is
 * refused (outside the window, or seen already inside it).
 */
export class MessageSeal {
  /** MACs of the messages accepted within the window, and when each may be forgotten. */
  private readonly seen = new Map<string, number>()
  private sent = 0

  constructor(
    private readonly seal: Seal,
    private readonly scope: string,
    private readonly root: string,
    private readonly rejected: (reason: MessageRejection) => void,
    /**
     * Refuse replays (the Redis bus, which a Redis writer can publish on). PostgreSQL NOTIFY needs
     * none: only the database can send on it. There a clock skew beyond the window must not drop an
     * invalidation, and it never does: every bus message also goes out through the database.
     */
    private readonly refuseReplays = true,
  ) {}

  /** The sealed text of a message. */
  encode(message: InvalidationMessage): string {
    // `n` makes every message unique, so two identical invalidations in one millisecond are not one replay.
    const json = JSON.stringify({ ...message, at: Date.now(), n: this.sent++ })
    return `${this.seal.mac(this.scope, json).toString('base64url')}.${json}`
  }

  /** The message, when genuine, recent, new and for this deployment; undefined otherwise (counted). */
  decode(text: string, now = Date.now()): InvalidationMessage | undefined {
    const dot = text.indexOf('.')
    if (dot <= 0) return this.reject('message_mac')
    const mac = text.slice(0, dot)
    const json = text.slice(dot + 1)
    if (!this.seal.verifyText(this.scope, json, mac)) return this.reject('message_mac')
    const message = parseMessage(json, this.root)
    const at = message ? (JSON.parse(json) as { at?: unknown }).at : undefined
    if (!message || typeof at !== 'number') return this.reject('message_malformed')
    if (!this.refuseReplays) return message
    this.forget(now)
    if (Math.abs(now - at) > MESSAGE_WINDOW_MS || this.seen.has(mac)) return this.reject('message_replay')
    this.seen.set(mac, at + MESSAGE_WINDOW_MS)
    return message
  }

  private reject(reason: MessageRejection): undefined {
    this.rejected(reason)
    return undefined
  }

  private forget(now: number) {
    // Insertion order is nearly send order: stop at the first one still inside the window.
    for (const [mac, until] of this.seen) {
      if (until > now) break
      this.seen.delete(mac)
    }
  }
}
