import type { Redis } from 'ioredis'
import type { InvalidationMessage, MessageSeal } from './invalidation-message.ts'

/**
 * The invalidation bus over Redis pub/sub. It is healthy only while its subscriber connection is
 * subscribed; every (re)subscription calls `onUp`, because messages sent while it was down are lost.
 */
export class RedisBus {
  healthy = false

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    /** Seals what is published and opens what is received: a forged or replayed message is dropped. */
    private readonly seal: MessageSeal,
    private readonly handlers: { onMessage(message: InvalidationMessage): void; onUp(): void; onDown(): void },
  ) {
    subscriber.on('ready', () => void this.subscribe())
    subscriber.on('close', () => this.down())
    subscriber.on('end', () => this.down())
    subscriber.on('messageBuffer', (_channel: Buffer, payload: Buffer) => {
      const message = this.seal.decode(payload.toString())
      if (message) this.handlers.onMessage(message)
    })
  }

  /** Connects in the background; reconnection is automatic. */
  start(): void {
    this.subscriber.connect().catch(() => {})
  }

  /** Publishes a message; false when Redis did not take it. */
  async publish(message: InvalidationMessage): Promise<boolean> {
    try {
      await this.publisher.publish(this.channel, this.seal.encode(message))
      return true
    } catch {
      return false
    }
  }

  close(): void {
    this.subscriber.disconnect()
  }

  private async subscribe() {
    try {
      await this.subscriber.subscribe(this.channel)
      if (!this.healthy) {
        this.healthy = true
        this.handlers.onUp()
      }
    } catch {
      this.down()
    }
  }

  private down() {
    if (!this.healthy) return
    this.healthy = false
    this.handlers.onDown()
  }
}
