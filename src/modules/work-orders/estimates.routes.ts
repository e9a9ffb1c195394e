import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import type { Tag } from '../../platform/cache/cache-declaration.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { created, errors, success } from '../../platform/http/responses.ts'
import { ApprovalList, DecisionsBody, SentEstimateSchema } from './estimates.schemas.ts'
import { WORK_ORDER_NAMESPACES, workOrderTag } from './work-orders.cache.ts'
import { workOrderServices } from './work-orders.deps.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { WorkOrderSchema } from './work-orders.schemas.ts'

const TAGS = ['work-orders']
const oneTag = (request: FastifyRequest): Tag[] => [workOrderTag(Number((request.params as { id?: unknown }).id))]
const DECISION_REFUSALS = [
  WorkOrderErrors.NO_ESTIMATE,
  WorkOrderErrors.ESTIMATE_CHANGED,
  WorkOrderErrors.JOB_NOT_ON_ESTIMATE,
  WorkOrderErrors.JOB_ALREADY_DECIDED,
  WorkOrderErrors.WORK_ORDER_CLOSED,
]

/** POST …/:id/estimates, POST …/:id/decisions, GET …/:id/approvals. */
export async function estimatesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { estimates } = workOrderServices(app)

  app.post(
    '/:id/estimates',
    {
      config: { permission: 'work_order:estimate_send' },
      schema: {
        tags: TAGS,
        operationId: 'sendWorkOrderEstimate',
        summary: 'Send an estimate',
        description:
          'Advisors and admins send every proposed, undecided job that has lines as estimate version n + 1 (jobs without lines are not ' +
          'priced yet and stay off it). `hash` is the SHA-256 of the canonical JSON of exactly what the customer is shown; `totals` are ' +
          'over the jobs sent, at the shop\'s current tax rates. The first estimate moves a draft order to awaiting_approval; later ones ' +
          '(add-on work) leave the status as it is. A new version supersedes the previous one: only the latest can be decided. ' +
          '`shareUrl` carries a new random token for the customer without an account, valid 7 days (`expiresAt`); it is mailed to ' +
          'the customer\'s address in the same transaction (the outbox: sent with SMTP_URL, recorded otherwise; `mailedTo`). ' +
          '409 ECAR_ERR_NOTHING_TO_SEND when no job qualifies or the order is completed, invoiced, declined or void.',
        params: IdParams,
        response: {
          201: created('The estimate as sent', SentEstimateSchema),
          ...errors({ 404: [WorkOrderErrors.WORK_ORDER_NOT_FOUND], 409: [WorkOrderErrors.NOTHING_TO_SEND] }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await estimates.send(actorOf(request), request.params.id)),
  )

  app.post(
    '/:id/decisions',
    {
      config: { permission: 'work_order:decide' },
      schema: {
        tags: TAGS,
        operationId: 'decideWorkOrderJobs',
        summary: 'Approve or decline jobs of the latest estimate',
        description:
          'The owner (method portal, the default for them) or an advisor or admin recording a call or a visit (method phone or in_person: ' +
          'required for staff; 400 otherwise). `estimateHash` must be the latest estimate\'s, and no job or line of it may have changed ' +
          'since it was sent (409 ECAR_ERR_ESTIMATE_CHANGED: send a new estimate); each job must be on it (409 ECAR_ERR_JOB_NOT_ON_ESTIMATE) ' +
          'and not yet decided (409 ECAR_ERR_JOB_ALREADY_DECIDED: a decision is never changed). A refused request records nothing. ' +
          'Some jobs may be decided now and the rest later. Once every sent job is decided an awaiting order moves to approved (any job ' +
          'approved) or declined (none). The decision is recorded in the customer\'s name; byUserId is the signed-in user who recorded it. ' +
          'Answers the work order as it now is.',
        params: IdParams,
        body: DecisionsBody,
        response: {
          201: created('The work order with the decisions', WorkOrderSchema),
          ...errors({ 404: [WorkOrderErrors.WORK_ORDER_NOT_FOUND], 409: DECISION_REFUSALS }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await estimates.decide(actorOf(request), request.params.id, request.body)),
  )

  app.get(
    '/:id/approvals',
    {
      config: { permission: 'work_order:approvals_read', cache: { namespace: WORK_ORDER_NAMESPACES.approvals, scope: 'user', tags: oneTag } },
      schema: {
        tags: TAGS,
        operationId: 'listWorkOrderApprovals',
        summary: 'List the decisions on a work order',
        description:
          'Every decision ever recorded on the order, oldest first (one per job at most, so never paginated): its customer, its assigned ' +
          'mechanic, advisors and admins. Response-cached per user.',
        params: IdParams,
        response: { 200: success('The decisions', ApprovalList), ...errors({ 404: [WorkOrderErrors.WORK_ORDER_NOT_FOUND] }) },
      },
    },
    async (request) => ({ items: await estimates.approvals(actorOf(request), request.params.id) }),
  )
}
