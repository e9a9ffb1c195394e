/** How often a Redis outage is summed up in the log while it lasts. */
export const OUTAGE_SUMMARY_MS = 60_000

/** The two log methods the state log needs (a pino or Fastify logger has them). */
export interface StateLogger {
  warn(data: Record<string, unknown>, message: string): void
  info(data: Record<string, unknown>, message: string): void
}

/**
 * Logs a Redis connection's state, not its every failure: ioredis reports an error on each
 * reconnection attempt (every REDIS_MAX_RECONNECT_DELAY_MS, 2 s by default), which buried the
 * log during an outage. One line when the connection is lost, one when it is back, and a summary
 * every `summaryMs` in between.
 */
export class ConnectionStateLog {
  private downSince: number | undefined
  private failures = 0
  private lastError = ''
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly log: StateLogger,
    private readonly name: string,
    private readonly summaryMs = OUTAGE_SUMMARY_MS,
  ) {}

  /** A connection error (each failed attempt while down). */
  error(error: Error): void {
    this.failures++
    this.lastError = error.message
    if (this.downSince !== undefined) return
    this.downSince = Date.now()
    this.log.warn({ err: error.message }, `${this.name} connection lost: reads go to the database; reconnecting in the background`)
    this.timer = setInterval(() => this.summary(), this.summaryMs)
    this.timer.unref()
  }

  /** The connection is ready (again). */
  ready(): void {
    if (this.downSince === undefined) return
    this.log.info({ downMs: Date.now() - this.downSince, failedAttempts: this.failures }, `${this.name} connection back`)
    this.reset()
  }

  /** Stops the periodic summary (on close). */
  stop(): void {
    this.reset()
  }

  private summary(): void {
    if (this.downSince === undefined) return
    this.log.warn(
      { downMs: Date.now() - this.downSince, failedAttempts: this.failures, err: this.lastError },
      `${this.name} still unreachable`,
    )
  }

  private reset(): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.downSince = undefined
    this.failures = 0
  }
}
