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
