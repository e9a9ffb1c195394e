import type { Actor } from '../../platform/auth/principal.ts'
import { newToken, tokenHash } from '../../platform/auth/tokens.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { sqlState } from '../../platform/db/db-errors.ts'
import { illegalTransition, invalidInput, problem } from '../../platform/http/errors.ts'
import type { Outbox } from '../messages/index.ts'
import { findUserById } from '../users/index.ts'
import { estimateHash } from '../../kernel/estimate-hash.ts'
import { contentOf, currentHash } from './estimates.content.ts'
import { estimateMessage } from './estimates.mail.ts'
import { decisionsOf, estimatesOf, insertDecisions, insertEstimate, latestEstimate } from './estimates.repository.ts'
import type { Approval, SentEstimate } from './estimates.schemas.ts'
import type { DecisionRow } from './estimates.table.ts'
import { jobsOf, linesOf } from './jobs.repository.ts'
import { workOrderMachine } from './work-order.machine.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { applyJobDecisions } from './work-orders.flows.ts'
import { bumpWorkOrder, updateWorkOrder } from './work-orders.repository.ts'
import { auditedFields, type Pricing, type WorkOrderDeps } from './work-orders.service.ts'
import { changesBetween } from '../audit/index.ts'
import { assertWorking, audit, reachableOrder, touchOrder } from './work-orders.support.ts'
import type { WorkOrderRow } from './work-orders.table.ts'
import { presentWorkOrders } from './work-orders.present.ts'
import type { WorkOrder } from './work-orders.schemas.ts'

/** How long a share link answers after its estimate is sent. */
export const SHARE_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000

/** What the estimate services need beyond the work orders': where the share link points. */
export interface EstimateDeps extends WorkOrderDeps {
  publicUrl: string
}

/** One decision as asked. */
export interface DecisionInput {
  jobId: number
  decision: 'approved' | 'declined'
}

/** Who decides and how, as the decision row records it. */
export interface Decider {
  method: 'portal' | 'share_link' | 'phone' | 'in_person'
  byUserId: number | null
  byName: string
  actorId: number | null
}

/** A decision row as the API lists it. */
export function toApproval(row: DecisionRow): Approval {
  return {
    jobId: row.jobId,
    decision: row.decision as Approval['decision'],
    method: row.method as Approval['method'],
    byUserId: row.byUserId,
    byName: row.byName,
    at: row.at.toISOString(),
    estimateVersion: row.estimateVersion,
    estimateHash: row.estimateHash,
  }
}

const changed = (detail: string) => problem(WorkOrderErrors.ESTIMATE_CHANGED, detail)

/**
 * Records decisions on the order's latest estimate, in the caller's transaction with the order locked (so two
 * decisions of one job are serialized: the second finds the first; the unique index backs it up). Checks
 * everything before writing anything; then the decision rows, the jobs' statuses and the order's move.
 */
export async function recordDecisions(
  tx: Executor,
  touch: Touch,
  order: WorkOrderRow,
  input: { estimateHash: string; decisions: readonly DecisionInput[] },
  decider: Decider,
  pricing: Pricing,
): Promise<WorkOrderRow> {
  assertWorking(order)
  const latest = await latestEstimate(tx, order.id)
  if (!latest) throw problem(WorkOrderErrors.NO_ESTIMATE, 'No estimate has been sent for this work order.')
  if (input.estimateHash !== latest.hash) throw changed(`The hash is not that of the latest estimate (version ${latest.version}).`)
  const sentIds = latest.content.jobs.map((job) => job.id)
  const jobs = (await jobsOf(tx, [order.id])).filter((job) => sentIds.includes(job.id))
  if (jobs.length !== sentIds.length || (await currentHash(tx, jobs, latest.version, pricing.taxRates)) !== latest.hash) {
    throw changed(`A job or line of estimate version ${latest.version} changed after it was sent; send a new estimate.`)
  }
  const asked = input.decisions.map((d) => d.jobId)
  const twice = asked.findIndex((jobId, index) => asked.indexOf(jobId) !== index)
  if (twice >= 0) throw invalidInput('The request is invalid; see errors.', [{ field: `body.decisions.${twice}.jobId`, message: 'decides a job twice' }])
  const notSent = asked.filter((jobId) => !sentIds.includes(jobId))
  if (notSent.length > 0) throw problem(WorkOrderErrors.JOB_NOT_ON_ESTIMATE, `Job ${notSent.join(', ')} is not on estimate version ${latest.version}.`)
  const decisions = await decisionsOf(tx, [order.id])
  const decided = asked.filter((jobId) => decisions.some((d) => d.jobId === jobId) || jobs.find((job) => job.id === jobId)?.status !== 'proposed')
  if (decided.length > 0) throw problem(WorkOrderErrors.JOB_ALREADY_DECIDED, `Job ${decided.join(', ')} was already decided.`)
  let rows: DecisionRow[]
  try {
    rows = await insertDecisions(
      tx,
      input.decisions.map((d) => ({ workOrderId: order.id, jobId: d.jobId, decision: d.decision, method: decider.method, byUserId: decider.byUserId, byName: decider.byName, estimateVersion: latest.version, estimateHash: latest.hash })),
    )
  } catch (error) {
    if (sqlState(error) === '23505') throw problem(WorkOrderErrors.JOB_ALREADY_DECIDED, 'A job in the decisions was decided meanwhile.')
    throw error
  }
  for (const row of rows) {
    const { at: _at, ...recorded } = toApproval(row)
    await audit(tx, decider.actorId, 'decision.recorded', 'job', row.jobId, changesBetween(null, recorded))
  }
  const everSent = (await estimatesOf(tx, order.id)).flatMap((estimate) => estimate.content.jobs.map((job) => job.id))
  return applyJobDecisions(tx, touch, { workOrderId: order.id, actorId: decider.actorId, decisions: input.decisions, sentJobIds: everSent })
}

/** Estimates: send one, record the customer's decisions, list them. */
export function createEstimatesService(deps: EstimateDeps & { outbox: Pick<Outbox, 'enqueue'> }) {
  const { db, writer } = deps

  return {
    /** Sends the proposed, undecided jobs that have lines as the next version (advisor, admin). */
    async send(actor: Actor, id: number): Promise<SentEstimate> {
      const pricing = await deps.pricing()
      return writer.transaction(async (tx, touch) => {
        const order = await reachableOrder(tx, actor, id, true)
        if (order.status !== 'draft' && order.status !== 'awaiting_approval' && order.status !== 'approved' && order.status !== 'in_progress') {
          throw problem(WorkOrderErrors.NOTHING_TO_SEND, `The work order is ${order.status}: no estimate goes out for it.`)
        }
        const decided = new Set((await decisionsOf(tx, [id])).map((d) => d.jobId))
        const candidates = (await jobsOf(tx, [id])).filter((job) => job.status === 'proposed' && !decided.has(job.id))
        const lines = await linesOf(tx, candidates.map((job) => job.id))
        const jobs = candidates.filter((job) => lines.some((line) => line.jobId === job.id))
        if (jobs.length === 0) throw problem(WorkOrderErrors.NOTHING_TO_SEND, 'No proposed job with lines is waiting for a decision.')
        const previous = await latestEstimate(tx, id)
        const version = (previous?.version ?? 0) + 1
        const content = contentOf(jobs, lines, version, pricing.taxRates)
        const hash = estimateHash(content)
        const token = newToken()
        const sentAt = new Date()
        const expiresAt = new Date(sentAt.getTime() + SHARE_LINK_TTL_MS)
        const row = await insertEstimate(tx, { workOrderId: id, version, hash, content, sentAt, sentBy: actor.userId, shareTokenHash: tokenHash(token), shareExpiresAt: expiresAt })
        const shareUrl = `${deps.publicUrl}/estimate#token=${token}`
        // The link goes to the customer's address through the outbox, in this transaction; a deactivated account gets no mail.
        const customer = await findUserById(tx, order.customerId)
        const mailedTo = customer?.active ? customer.email : null
        if (customer && mailedTo !== null) {
          const shop = { name: pricing.shopName, currency: pricing.currency }
          await deps.outbox.enqueue(tx, estimateMessage({ to: customer, shop, workOrder: order, content, url: shareUrl, expiresAt }))
        }
        await audit(tx, actor.userId, 'estimate.sent', 'work_order', id, { estimate: [previous ? { version: previous.version, hash: previous.hash } : null, { version, hash, jobIds: jobs.map((job) => job.id) }] })
        if (order.status === 'draft') {
          if (!workOrderMachine.can('draft', 'awaiting_approval', 'system')) throw illegalTransition('draft', 'awaiting_approval', workOrderMachine.allowedFrom('draft', 'system'))
          const moved = await updateWorkOrder(tx, id, { status: 'awaiting_approval' })
          await audit(tx, actor.userId, 'work_order.status_changed', 'work_order', id, changesBetween(auditedFields(order), auditedFields(moved)))
        } else {
          await bumpWorkOrder(tx, id)
        }
        touchOrder(touch, order)
        return {
          version,
          hash,
          sentAt: row.sentAt.toISOString(),
          jobs: content.jobs.map((job) => ({ ...job, lines: [...job.lines] })),
          totals: content.totals,
          shareUrl,
          expiresAt: expiresAt.toISOString(),
          mailedTo,
        }
      })
    },

    /** The owner (portal) or staff recording a call or a visit (phone, in_person) decide jobs of the latest estimate. */
    async decide(actor: Actor, id: number, input: { estimateHash: string; decisions: readonly DecisionInput[]; method?: 'portal' | 'phone' | 'in_person' | undefined }): Promise<WorkOrder> {
      const method = input.method ?? (actor.role === 'customer' ? 'portal' : undefined)
      if (actor.role === 'customer' && method !== 'portal') throw invalidInput('The request is invalid; see errors.', [{ field: 'body.method', message: 'must be portal for the owner' }])
      if (actor.role !== 'customer' && method !== 'phone' && method !== 'in_person') {
        throw invalidInput('The request is invalid; see errors.', [{ field: 'body.method', message: 'staff record phone or in_person' }])
      }
      const pricing = await deps.pricing()
      return writer.transaction(async (tx, touch) => {
        const order = await reachableOrder(tx, actor, id, true)
        // The decision is the customer's: their name, whoever records it; byUserId is the signed-in user who did.
        const customer = await findUserById(tx, order.customerId)
        const row = await recordDecisions(tx, touch, order, input, { method: method!, byUserId: actor.userId, byName: customer?.name ?? 'Customer', actorId: actor.userId }, pricing)
        return (await presentWorkOrders(tx, [row], pricing.taxRates))[0]!
      })
    },

    /** Every decision on an order the caller reaches, oldest first. */
    async approvals(actor: Actor, id: number): Promise<Approval[]> {
      await reachableOrder(db, actor, id)
      return (await decisionsOf(db, [id])).map(toApproval)
    },
  }
}
