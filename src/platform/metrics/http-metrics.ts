import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import { FastHistogram, countView, registerCustom, type HistogramSeries } from './fast-histogram.ts'

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** The label value of requests no route matched: raw URLs would make the series unbounded. */
export const UNMATCHED_ROUTE = 'unmatched'

/**
 * `ecar_http_requests_total` and `ecar_http_request_duration_seconds` by method, route pattern and
 * status, recorded in an onResponse hook. Series are found through nested Maps keyed by the raw
 * values, so a request allocates nothing once its combination has been seen.
 */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const duration = new FastHistogram('ecar_http_request_duration_seconds', 'HTTP request duration by route pattern', HTTP_BUCKETS)
  registerCustom(registry, duration)
  registerCustom(registry, countView(duration, 'ecar_http_requests_total', 'HTTP requests by method, route pattern and status'))

  // route → method → status → series. Patterns and Node's parser's methods are bounded sets.
  // (Fastify reports a module root as `/api/vehicles` whether or not the URL had the trailing slash.)
  const byRoute = new Map<string, Map<string, Map<number, HistogramSeries>>>()

  const seriesFor = (route: string, method: string, status: number): HistogramSeries => {
    let byMethod = byRoute.get(route)
    if (!byMethod) byRoute.set(route, (byMethod = new Map()))
    let byStatus = byMethod.get(method)
    if (!byStatus) byMethod.set(method, (byStatus = new Map()))
    let series = byStatus.get(status)
    if (!series) byStatus.set(status, (series = duration.create({ method, route, status: String(status) })))
    return series
  }

  // A callback hook rather than an async one: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    // Read once: the routeOptions getter builds a new object on every access.
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE
    duration.observe(seriesFor(route, request.method, reply.statusCode), reply.elapsedTime / 1000)
    done()
  })
}
