import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'

/** Prometheus metrics at /metrics. */
export const metricsPlugin = fp(async (_app: FastifyInstance, _opts: { config: Config }) => {}, {
  name: 'ecar-metrics',
  dependencies: ['ecar-database', 'ecar-cache'],
})
