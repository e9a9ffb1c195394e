interface InFlight {
  promise: Promise<unknown>
  tags: readonly string[]
}

/**
 * One load per key in this process. A load is detached when any of its tags is invalidated, so
 * callers after a write never share a load that began before it.
 */
export class SingleFlight {
  private readonly inflight = new Map<string, InFlight>()

  /** Runs `work` once per key: callers that come while it runs share its result (`joined`). */
  async run<T>(key: string, tags: readonly string[], work: () => Promise<T>): Promise<{ value: T; joined: boolean }> {
    const running = this.inflight.get(key)
    if (running) return { value: (await running.promise) as T, joined: true }
    const promise = work()
    const entry: InFlight = { promise, tags }
    this.inflight.set(key, entry)
    try {
      return { value: await promise, joined: false }
    } finally {
      if (this.inflight.get(key) === entry) this.inflight.delete(key)
    }
  }

  /** Detaches every running load that carries any of these tags. */
  detach(tags: readonly string[]): void {
    for (const [key, flight] of this.inflight) if (flight.tags.some((t) => tags.includes(t))) this.inflight.delete(key)
  }

  /** Detaches every running load. */
  clear(): void {
    this.inflight.clear()
  }
}
