// Estimates written straight into the tables, for the access matrix's fixtures and the demo garage: the
// same content and hash the route would send, at the shop's tax rates as stored.
import { newToken, tokenHash } from '../../platform/auth/tokens.ts'
import type { Executor } from '../../platform/db/database.ts'
import { estimateHash } from '../../kernel/estimate-hash.ts'
import { readShop } from '../shop/index.ts'
import { contentOf } from './estimates.content.ts'
import { insertEstimate, latestEstimate } from './estimates.repository.ts'
import { SHARE_LINK_TTL_MS } from './estimates.service.ts'
import { jobsOf, linesOf } from './jobs.repository.ts'

/**
 * Stores the next estimate version of an order over its proposed jobs with lines (rows only: nothing is
 * touched or audited, nor is the order moved); returns its hash and share token.
 */
export async function seedEstimate(tx: Executor, input: { workOrderId: number; sentBy: number | null; sentAt?: Date }): Promise<{ version: number; hash: string; token: string }> {
  const shop = await readShop(tx)
  const proposed = (await jobsOf(tx, [input.workOrderId])).filter((job) => job.status === 'proposed')
  const lines = await linesOf(tx, proposed.map((job) => job.id))
  const jobs = proposed.filter((job) => lines.some((line) => line.jobId === job.id))
  const version = ((await latestEstimate(tx, input.workOrderId))?.version ?? 0) + 1
  const content = contentOf(jobs, lines, version, { labourBp: shop.labourTaxBp, partsBp: shop.partsTaxBp, feesBp: shop.feesTaxBp })
  const hash = estimateHash(content)
  const token = newToken()
  const sentAt = input.sentAt ?? new Date()
  await insertEstimate(tx, {
    workOrderId: input.workOrderId,
    version,
    hash,
    content,
    sentAt,
    sentBy: input.sentBy,
    shareTokenHash: tokenHash(token),
    shareExpiresAt: new Date(sentAt.getTime() + SHARE_LINK_TTL_MS),
  })
  return { version, hash, token }
}
