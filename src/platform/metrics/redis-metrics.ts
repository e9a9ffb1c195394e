import { performance } from 'node:perf_hooks'
import type { Command, Redis } from 'ioredis'
import { Gauge, type Registry } from 'prom-client'
import { FastHistogram, registerCustom, type HistogramSeries } from './fast-histogram.ts'

// Redis answers in well under a millisecond when healthy; the command timeout bounds the top.
const REDIS_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

type SendCommand = (command: Command, stream?: unknown) => unknown

/**
 * `ecar_redis_up` and `ecar_redis_command_duration_seconds{command}` for the shared command
 * connection. Every command, pipelined and Lua ones included, passes through `sendCommand`, so
 * wrapping it on the instance times each from send to reply or failure. Returns the unwrap.
 */
export function registerRedisMetrics(registry: Registry, redis: Redis): () => void {
  new Gauge({
    name: 'ecar_redis_up',
    help: '1 when the Redis command connection is ready, 0 otherwise',
    registers: [registry],
    collect() {
      this.set(redis.status === 'ready' ? 1 : 0)
    },
  })

  const duration = new FastHistogram('ecar_redis_command_duration_seconds', 'Redis command latency, send to reply, by command', REDIS_BUCKETS)
  registerCustom(registry, duration)
  const byCommand = new Map<string, HistogramSeries>()

  const target = redis as unknown as { sendCommand: SendCommand }
  const original = target.sendCommand
  const wrapped: SendCommand = function (this: Redis, command, stream) {
    const start = performance.now()
    const result = original.call(this, command, stream)
    const done = () => {
      let series = byCommand.get(command.name)
      if (!series) byCommand.set(command.name, (series = duration.create({ command: command.name })))
      duration.observe(series, (performance.now() - start) / 1000)
    }
    // Observing the command's own promise: the caller keeps the original and sees its rejection.
    command.promise.then(done, done)
    return result
  }
  target.sendCommand = wrapped
  return () => {
    if (target.sendCommand === wrapped) target.sendCommand = original
  }
}
