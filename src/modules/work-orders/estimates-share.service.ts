// The share link: the customer without an account sees and decides their order's latest estimate.
import type { DbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import type { RateRule } from '../../platform/auth/rate-limiter.ts'
import { tokenHash } from '../../platform/auth/tokens.ts'
import type { Executor } from '../../platform/db/database.ts'
import { addressKey } from '../../platform/http/client-address.ts'
import { problem, tooManyRequests } from '../../platform/http/errors.ts'
import { decisionsOf, estimateByTokenHash, latestEstimate } from './estimates.repository.ts'
import type { SharedEstimate, ShareDecisionsInput } from './estimates.schemas.ts'
import { recordDecisions, type EstimateDeps } from './estimates.service.ts'
import type { EstimateRow } from './estimates.table.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { findWorkOrder, lockWorkOrder } from './work-orders.repository.ts'

/** Share-link requests (views and decisions) one client address may make per window: guessing tokens is hopeless, scraping is slowed. */
export const SHARE_LINK_RATE: RateRule = { name: 'estimate-link-address', limit: 60, windowMs: 10 * 60 * 1000 }

/** The estimate and the order a live token reaches: 404 unknown, 410 expired. */
async function linkOf(db: Executor, token: string, now: Date): Promise<EstimateRow> {
  const row = await estimateByTokenHash(db, tokenHash(token))
  if (!row) throw problem(WorkOrderErrors.ESTIMATE_LINK_NOT_FOUND, 'No estimate link with this token.')
  if (row.shareExpiresAt.getTime() <= now.getTime()) throw problem(WorkOrderErrors.ESTIMATE_LINK_EXPIRED, 'This estimate link has expired; ask the shop for a new one.')
  return row
}

/** The share-link services. */
export function createShareService(deps: EstimateDeps & { limiter: Pick<DbRateLimiter, 'hit'> }) {
  const { db, writer, limiter } = deps

  async function limit(ip: string): Promise<void> {
    const decision = await limiter.hit(SHARE_LINK_RATE, addressKey(ip))
    if (!decision.allowed) throw tooManyRequests('Too many estimate-link requests from this address; try again later.', decision.retryAfterSeconds)
  }

  async function present(executor: Executor, link: EstimateRow): Promise<SharedEstimate> {
    const order = await findWorkOrder(executor, link.workOrderId)
    const latest = (await latestEstimate(executor, link.workOrderId)) ?? link
    const decided = new Map((await decisionsOf(executor, [link.workOrderId])).map((d) => [d.jobId, d.decision as 'approved' | 'declined']))
    return {
      workOrderNumber: order?.number ?? '',
      version: latest.version,
      hash: latest.hash,
      sentAt: latest.sentAt.toISOString(),
      expiresAt: link.shareExpiresAt.toISOString(),
      jobs: latest.content.jobs.map((job) => ({ ...job, lines: [...job.lines], decision: decided.get(job.id) ?? null })),
      totals: latest.content.totals,
    }
  }

  return {
    /** The latest estimate of the token's order. */
    async view(token: string, ip: string): Promise<SharedEstimate> {
      await limit(ip)
      return present(db, await linkOf(db, token, new Date()))
    },

    /** Decisions through the link, in the name given (method share_link, no user). */
    async decide(token: string, ip: string, input: ShareDecisionsInput): Promise<SharedEstimate> {
      await limit(ip)
      const pricing = await deps.pricing()
      return writer.transaction(async (tx, touch) => {
        const link = await linkOf(tx, token, new Date())
        const order = await lockWorkOrder(tx, link.workOrderId)
        if (!order) throw problem(WorkOrderErrors.ESTIMATE_LINK_NOT_FOUND, 'No estimate link with this token.')
        await recordDecisions(tx, touch, order, input, { method: 'share_link', byUserId: null, byName: input.name, actorId: null }, pricing)
        return present(tx, link)
      })
    },
  }
}
