import pg from 'pg'
import { sql } from 'drizzle-orm'
import type { Executor } from '../db/database.ts'
import type { InvalidationMessage, MessageSeal } from './invalidation-message.ts'

/** The PostgreSQL channel of cache invalidations. */
export const PG_CHANNEL = 'ecar_cache'
// NOTIFY payloads are limited to 8000 bytes; a larger tag list becomes a clear of the L1s.
const MAX_PAYLOAD = 7900

/** Seals a message for NOTIFY, degrading an oversized tag list to a full L1 clear. */
export function notifyPayload(message: InvalidationMessage, seal: MessageSeal): string {
  const text = seal.encode(message)
  if (text.length <= MAX_PAYLOAD) return text
  return seal.encode({ kind: 'clear', from: message.from, root: message.root })
}

/** Sends a message with NOTIFY; inside a transaction it is delivered at commit, and not at all on rollback. */
export async function notify(executor: Executor, message: InvalidationMessage, seal: MessageSeal): Promise<void> {
  await executor.execute(sql`select pg_notify(${PG_CHANNEL}, ${notifyPayload(message, seal)})`)
}

/**
 * The second invalidation path: LISTEN on the database that took the write. It does not depend on
 * Redis, so instances stay coherent while Redis is down. Reconnects by itself; `onUp` runs after
 * every (re)connection because notifications sent meanwhile are lost.
 */
export class PgFeed {
  healthy = false
  private client: pg.Client | undefined
  private closed = false
  private attempt = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly url: string,
    private readonly seal: MessageSeal,
    private readonly handlers: { onMessage(message: InvalidationMessage): void; onUp(): void; onDown(): void },
  ) {}

  start(): void {
    void this.connect()
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    const client = this.client
    this.client = undefined
    this.healthy = false
    await client?.end().catch(() => {})
  }

  private async connect(): Promise<void> {
    if (this.closed) return
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 5000 })
    client.on('error', () => this.lost(client))
    client.on('end', () => this.lost(client))
    client.on('notification', (n) => {
      if (n.channel !== PG_CHANNEL || !n.payload) return
      const message = this.seal.decode(n.payload)
      if (message) this.handlers.onMessage(message)
    })
    try {
      await client.connect()
      await client.query(`listen ${PG_CHANNEL}`)
      if (this.closed) {
        await client.end()
        return
      }
      this.client = client
      this.attempt = 0
      this.healthy = true
      this.handlers.onUp()
    } catch {
      this.lost(client)
    }
  }

  private lost(client: pg.Client) {
    if (client !== this.client && this.client !== undefined) return
    const wasHealthy = this.healthy
    this.healthy = false
    this.client = undefined
    client.end().catch(() => {})
    if (wasHealthy) this.handlers.onDown()
    if (this.closed || this.timer) return
    const delay = Math.min(100 * 2 ** this.attempt++, 5000)
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.connect()
    }, delay)
    this.timer.unref()
  }
}
