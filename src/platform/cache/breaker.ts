/**
 * A circuit breaker for the shared tier. After a failure Redis is skipped for `openMs`; then one
 * caller probes it while the others keep skipping, so an outage costs one timeout per window, not
 * one per request.
 */
export class Breaker {
  private openUntil = 0
  private probing = false

  constructor(
    private readonly openMs: number,
    private readonly connected: () => boolean,
  ) {}

  /** Whether the caller may use Redis now; a caller that gets true must report success or failure. */
  allow(now = Date.now()): boolean {
    if (!this.connected()) return false
    if (now >= this.openUntil) {
      if (this.openUntil === 0) return true
      if (this.probing) return false
      this.probing = true
      return true
    }
    return false
  }

  /** Whether the connection is up, whatever the skip window says. */
  get isConnected(): boolean {
    return this.connected()
  }

  /** True while Redis is disconnected or inside a skip window. */
  get isOpen(): boolean {
    return !this.connected() || Date.now() < this.openUntil
  }

  success(): void {
    this.openUntil = 0
    this.probing = false
  }

  /**
   * Reports a failed command. An error Redis itself replied with (OOM under `noeviction`, a script
   * error) proves the server is reachable: the caller treats it as a miss and Redis is not skipped.
   */
  failure(error?: unknown, now = Date.now()): void {
    this.probing = false
    if (error instanceof Error && error.name === 'ReplyError') return
    this.openUntil = now + this.openMs
  }
}
