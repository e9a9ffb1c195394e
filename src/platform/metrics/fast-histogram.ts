import type { Metric, Registry } from 'prom-client'

/** One labelled series of a {@link FastHistogram}: plain numbers, updated without allocating. */
export interface HistogramSeries {
  readonly labels: Readonly<Record<string, string>>
  count: number
  sum: number
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly buckets: Float64Array
}

type Value = { labels: Record<string, string | number>; value: number; metricName?: string }

/**
 * A histogram for hot paths. prom-client's `observe` hashes the label object into a string and
 * allocates on every call; here callers keep the {@link HistogramSeries} of each label set (in a
 * Map keyed by the raw values) and an observation is three additions. The registry reads the
 * series at scrape time through the same `get()` shape prom-client's own metrics have.
 */
export class FastHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly series: HistogramSeries[] = []

  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}

  /** A new series for these labels; the caller keeps it and passes it to {@link observe}. */
  create(labels: Record<string, string>): HistogramSeries {
    const series: HistogramSeries = { labels, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length + 1) }
    this.series.push(series)
    return series
  }

  /** Records one value (seconds). */
  observe(series: HistogramSeries, value: number): void {
    const bounds = this.bounds
    let i = 0
    while (i < bounds.length && value > bounds[i]!) i++
    series.buckets[i]!++
    series.sum += value
    series.count++
  }

  /** Every series, for a counter that shares them (see {@link countView}). */
  get all(): readonly HistogramSeries[] {
    return this.series
  }

  async get() {
    const values: Value[] = []
    const bucketName = `${this.name}_bucket`
    for (const s of this.series) {
      let cumulative = 0
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.buckets[i]!
        values.push({ metricName: bucketName, labels: { ...s.labels, le: this.bounds[i]! }, value: cumulative })
      }
      values.push({ metricName: bucketName, labels: { ...s.labels, le: '+Inf' }, value: s.count })
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum })
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count })
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }

  reset(): void {
    for (const s of this.series) {
      s.count = 0
      s.sum = 0
      s.buckets.fill(0)
    }
  }
}

/** A counter whose values are the observation counts of a histogram's series (no second update per event). */
export function countView(histogram: FastHistogram, name: string, help: string) {
  return {
    name,
    help,
    type: 'counter' as const,
    aggregator: 'sum' as const,
    async get() {
      return {
        name,
        help,
        type: 'counter' as const,
        aggregator: 'sum' as const,
        values: histogram.all.map((s) => ({ labels: s.labels, value: s.count })),
      }
    },
    reset() {},
  }
}

/**
 * Registers a duck-typed metric. prom-client's registry only calls `name`, `get()` and `reset()`,
 * but its typings name its own classes: this is the one cast that bridges them.
 */
export function registerCustom(registry: Registry, metric: { name: string; get(): Promise<unknown>; reset(): void }): void {
  registry.registerMetric(metric as unknown as Metric)
}
