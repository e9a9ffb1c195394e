// What an estimate shows, built from rows: the same function makes the content sent and the content now,
// so comparing their hashes tells whether a sent job or its lines changed after sending.
import { estimateContent, estimateHash, type EstimateContent } from '../../kernel/estimate-hash.ts'
import { totals, type TaxRates } from '../../kernel/money.ts'
import type { Executor } from '../../platform/db/database.ts'
import { linesOf } from './jobs.repository.ts'
import { lineInput, toLine } from './work-orders.present.ts'
import type { JobRow, LineRow } from './work-orders.table.ts'

/** The canonical content of these jobs with these lines as estimate `version`, totals at these tax rates. */
export function contentOf(jobs: readonly JobRow[], lines: readonly LineRow[], version: number, taxRates: TaxRates): EstimateContent {
  const ids = new Set(jobs.map((job) => job.id))
  const shown = lines.filter((line) => ids.has(line.jobId))
  return estimateContent({
    version,
    jobs: jobs.map((job) => ({ id: job.id, title: job.title, concern: job.concern, lines: shown.filter((line) => line.jobId === job.id).map(toLine) })),
    totals: totals(shown.map(lineInput), taxRates),
  })
}

/** The hash the jobs would have now as estimate `version` (their current lines read in `db`). */
export async function currentHash(db: Executor, jobs: readonly JobRow[], version: number, taxRates: TaxRates): Promise<string> {
  const lines = await linesOf(db, jobs.map((job) => job.id))
  return estimateHash(contentOf(jobs, lines, version, taxRates))
}
