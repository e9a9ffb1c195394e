import cluster, { type Worker } from 'node:cluster'
import { pino } from 'pino'
import type { Config } from './platform/config.ts'

// A worker that dies this soon after starting is crash-looping: wait before the next fork.
const QUICK_DEATH_MS = 5000
const RESTART_DELAY_MS = 1000
// Workers get closeWithGrace's 10 s to drain; past this the primary stops waiting.
const DRAIN_TIMEOUT_MS = 15_000

// Set by the primary on the workers it forks before one has started listening.
const BOOTSTRAP_ENV = 'ECAR_WORKER_BOOTSTRAP'

/**
 * Whether this process runs the one-time start work (migrations are safe anywhere thanks to the
 * advisory lock, but the demo seed and the first admin should run once): the single process, or the
 * first worker the primary forks (or its replacement if it died before listening).
 */
export function runsBootstrap(): boolean {
  // Not a setting: a handshake from the primary to the worker it forked.
  // eslint-disable-next-line no-restricted-properties
  return cluster.isPrimary || process.env[BOOTSTRAP_ENV] === '1'
}

/**
 * The primary of a WEB_CONCURRENCY > 1 deployment: serves nothing itself, forks the workers (the first
 * alone, so migrations and bootstrap finish before the others start), replaces workers that die,
 * and on SIGTERM/SIGINT drains every worker before exiting.
 */
export function runPrimary(config: Config): void {
  const log = pino({ level: config.logLevel }).child({ role: 'primary', pid: process.pid })
  const startedAt = new Map<number, number>()
  let shuttingDown = false
  let started = false

  const fork = (): Worker => {
    const worker = cluster.fork(started ? {} : { [BOOTSTRAP_ENV]: '1' })
    startedAt.set(worker.id, Date.now())
    return worker
  }

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0)
    startedAt.delete(worker.id)
    if (shuttingDown) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info('all workers stopped')
        process.exit(0)
      }
      return
    }
    log.error({ worker: worker.id, workerPid: worker.process.pid, code, signal, livedMs: lived }, 'worker died; starting another')
    setTimeout(fork, lived < QUICK_DEATH_MS ? RESTART_DELAY_MS : 0)
  })

  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return
    shuttingDown = true
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined)
    log.info({ signal, workers: workers.length }, 'draining workers')
    if (workers.length === 0) process.exit(0)
    // Each worker's closeWithGrace stops accepting, finishes in-flight requests and closes its pools.
    for (const worker of workers) worker.process.kill('SIGTERM')
    setTimeout(() => {
      log.error('workers did not stop in time; exiting')
      process.exit(1)
    }, DRAIN_TIMEOUT_MS).unref()
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)

  // The first worker alone, so that migrations and bootstrap are done before the others start.
  fork()
  cluster.once('listening', () => {
    started = true
    for (let i = 1; i < config.webConcurrency; i++) fork()
    log.info({ workers: config.webConcurrency, port: config.port }, 'ECAR workers started')
  })
}
