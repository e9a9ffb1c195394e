// node:crypto's createHash is pure computation (bytes in, digest out: no clock, no randomness, no I/O), so it
// belongs in the kernel as much as any arithmetic does.
import { createHash } from 'node:crypto'
import { canonicalJson } from './canonical-json.ts'
import type { LineKind, Totals } from './money.ts'

/** A line as the customer is shown it on an estimate. */
export interface EstimateLineContent {
  id: number
  kind: LineKind
  description: string
  quantity: number
  unitPriceCents: number
  discountCents: number
  amountCents: number
  netCents: number
}

/** A job as the customer is shown it on an estimate. */
export interface EstimateJobContent {
  id: number
  title: string
  concern: string | null
  lines: readonly EstimateLineContent[]
}

/** Exactly what the customer is shown of an estimate, and so exactly what its hash covers. */
export interface EstimateContent {
  version: number
  jobs: readonly EstimateJobContent[]
  totals: Totals
}

/** Thrown when jobs or lines cannot be put in one defined order: an id that is not an integer, or twice. */
export class EstimateContentError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'EstimateContentError'
  }
}

function byId<T extends { id: number }>(items: readonly T[], what: string): T[] {
  const seen = new Set<number>()
  for (const { id } of items) {
    if (!Number.isSafeInteger(id)) throw new EstimateContentError(`A ${what} id must be an integer, not ${String(id)}.`)
    if (seen.has(id)) throw new EstimateContentError(`The ${what} id ${id} appears twice.`)
    seen.add(id)
  }
  return [...items].sort((a, b) => a.id - b.id)
}

function line(source: EstimateLineContent): EstimateLineContent {
  return {
    id: source.id,
    kind: source.kind,
    description: source.description,
    quantity: source.quantity,
    unitPriceCents: source.unitPriceCents,
    discountCents: source.discountCents,
    amountCents: source.amountCents,
    netCents: source.netCents,
  }
}

/**
 * The estimate content of jobs, lines and totals that may carry more (a Job's status or timeEntries, a Line's
 * partId, reservedQuantity or timestamps, notes): a new object with only the shown fields, jobs and each job's
 * lines sorted by id. Throws EstimateContentError on a non-integer or repeated id.
 */
export function estimateContent(source: EstimateContent): EstimateContent {
  const { totals } = source
  return {
    version: source.version,
    jobs: byId(source.jobs, 'job').map((job) => ({
      id: job.id,
      title: job.title,
      concern: job.concern,
      lines: byId(job.lines, 'line').map(line),
    })),
    totals: {
      labourCents: totals.labourCents,
      partsCents: totals.partsCents,
      feesCents: totals.feesCents,
      discountCents: totals.discountCents,
      subtotalCents: totals.subtotalCents,
      taxCents: totals.taxCents,
      totalCents: totals.totalCents,
    },
  }
}

/**
 * The estimate's `hash`: SHA-256, lowercase hex, of the UTF-8 canonical JSON of estimateContent(estimate).
 * It picks the fields itself, so passing whole jobs and lines is safe: nothing outside EstimateContent counts.
 */
export function estimateHash(estimate: EstimateContent): string {
  return createHash('sha256').update(canonicalJson(estimateContent(estimate)), 'utf8').digest('hex')
}
