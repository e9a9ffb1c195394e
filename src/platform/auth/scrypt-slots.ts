import { unavailable } from '../http/errors.ts'

/** How many scrypt calls may run at once, and how many callers may wait for one. */
export interface ScryptSlotLimits {
  concurrency: number
  queue: number
}

/**
 * A counting semaphore for scrypt. Each call holds 128 × N × r bytes (128 MiB at N=2^17) and one of
 * libuv's 4 threads: unbounded, a burst of sign-ins exhausts memory and starves every other
 * thread-pool user (DNS, files). Callers past the queue bound are refused with 503 rather than
 * queued without end.
 */
export function createScryptSlots(limits: ScryptSlotLimits) {
  let running = 0
  const waiting: Array<() => void> = []
  let current = { ...limits }

  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }

  return {
    /** Changes the bounds (at app start, from the settings); calls already admitted are unaffected. */
    configure(next: ScryptSlotLimits) {
      current = { ...next }
    },
    /** Runs `work` once a slot is free; throws 503 when the queue is full. */
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running < current.concurrency) {
        running++
      } else {
        if (waiting.length >= current.queue) throw unavailable('Too many sign-ins at once; try again shortly.', undefined, 1)
        // The slot is handed over by `release` without decrementing, so no newcomer can jump the queue.
        await new Promise<void>((resolve) => waiting.push(resolve))
      }
      try {
        return await work()
      } finally {
        release()
      }
    },
    /** Calls running and waiting now (for tests and metrics). */
    stats() {
      return { running, waiting: waiting.length }
    },
  }
}
