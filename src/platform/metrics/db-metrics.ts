import { Counter, type Registry } from 'prom-client'
import type { Database } from '../db/database.ts'
import { FastHistogram, registerCustom } from './fast-histogram.ts'

const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/**
 * `ecar_db_queries_total` (the Drizzle query counter, read at scrape time) and
 * `ecar_db_query_duration_seconds` (every statement the driver ran, BEGIN/COMMIT included, timed by
 * the database's onQuery hook). Returns the hook's removal.
 */
export function registerDbMetrics(registry: Registry, database: Database): () => void {
  new Counter({
    name: 'ecar_db_queries_total',
    help: 'Queries sent through Drizzle by this process',
    registers: [registry],
    collect() {
      this.reset()
      this.inc(database.queries.count)
    },
  })
  const duration = new FastHistogram('ecar_db_query_duration_seconds', 'Database statement latency as the driver saw it', DB_BUCKETS)
  registerCustom(registry, duration)
  const series = duration.create({})
  return database.onQuery((ms) => duration.observe(series, ms / 1000))
}
