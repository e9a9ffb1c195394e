import type { FastifyInstance, FastifyRequest } from 'fastify'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import type { Tag } from '../../platform/cache/cache-declaration.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { created, errors, success } from '../../platform/http/responses.ts'
import { shopTag } from '../shop/index.ts'
import { WORK_ORDER_NAMESPACES, allWorkOrdersTag, customerWorkOrdersTag, mechanicWorkOrdersTag, workOrderTag } from './work-orders.cache.ts'
import { workOrderServices } from './work-orders.deps.ts'
import { CreateWorkOrderBody, ListWorkOrdersQuery, StatusBody, UpdateWorkOrderBody, WorkOrderList, WorkOrderSchema } from './work-orders.schemas.ts'

const TAGS = ['work-orders']

/** A customer's list is their orders', a mechanic's those assigned to them, the desk's all; totals depend on the shop's tax rates. */
function listTags(request: FastifyRequest): Tag[] {
  const principal = request.principal
  if (principal?.role === 'customer') return [customerWorkOrdersTag(principal.userId), shopTag()]
  if (principal?.role === 'mechanic') return [mechanicWorkOrdersTag(principal.userId), shopTag()]
  return [allWorkOrdersTag(), shopTag()]
}

/** Number() gives the id as the validator coerces it, so `/05` and `/5` carry the same tag. */
const oneTags = (request: FastifyRequest): Tag[] => [workOrderTag(Number((request.params as { id?: unknown }).id)), shopTag()]

/** GET, POST /api/work-orders and GET, PATCH /api/work-orders/:id, POST …/:id/status. */
export async function workOrdersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { orders } = workOrderServices(app)

  app.get(
    '/',
    {
      config: { permission: 'work_order:read', cache: { namespace: WORK_ORDER_NAMESPACES.list, scope: 'user', tags: listTags } },
      schema: {
        tags: TAGS,
        operationId: 'listWorkOrders',
        summary: 'List work orders',
        description:
          'Customers get their own orders, mechanics those assigned to them, advisors and admins all; the filters narrow what the caller sees ' +
          '(a customer filtering on another customer gets an empty page, not 403). Items are orders without their jobs, with totals. ' +
          'Cursor-paginated by id; response-cached per user except with q.',
        querystring: ListWorkOrdersQuery,
        response: { 200: success('A page of work orders', WorkOrderList) },
      },
    },
    async (request) => orders.list(actorOf(request), request.query),
  )

  app.post(
    '/',
    {
      config: { permission: 'work_order:create' },
      schema: {
        tags: TAGS,
        operationId: 'createWorkOrder',
        summary: 'Open a work order',
        description:
          'Advisors and admins open a draft order for a vehicle: its owner becomes the customer, the caller its advisor. ' +
          'A named mechanic must be an active mechanic and a named bay an active bay (400 otherwise).',
        body: CreateWorkOrderBody,
        response: { 201: created('The new work order', WorkOrderSchema) },
      },
    },
    async (request, reply) => {
      const order = await orders.create(actorOf(request), request.body)
      return reply.code(201).header('location', `/api/work-orders/${order.id}`).send(order)
    },
  )

  app.get(
    '/:id',
    {
      config: { permission: 'work_order:read', cache: { namespace: WORK_ORDER_NAMESPACES.one, scope: 'user', tags: oneTags } },
      schema: {
        tags: TAGS,
        operationId: 'getWorkOrder',
        summary: 'Get a work order',
        description:
          'The order with its jobs, lines, time entries and totals (over jobs not declined, tax at the shop\'s current rates). ' +
          'Its customer, its assigned mechanic, advisors and admins; anyone else gets 404.',
        params: IdParams,
        response: { 200: success('The work order', WorkOrderSchema), ...errors({ 404: [WorkOrderErrors.WORK_ORDER_NOT_FOUND] }) },
      },
    },
    async (request) => orders.get(actorOf(request), request.params.id),
  )

  app.patch(
    '/:id',
    {
      config: { permission: 'work_order:update' },
      schema: {
        tags: TAGS,
        operationId: 'updateWorkOrder',
        summary: 'Change a work order',
        description:
          'Advisors and admins any field; the assigned mechanic notes and label only (another field is 403). Not on an invoiced or void ' +
          'order (409). Reassigning the mechanic takes an active mechanic; odometerOut is at least odometerIn.',
        params: IdParams,
        body: UpdateWorkOrderBody,
        response: {
          200: success('The work order as changed', WorkOrderSchema),
          ...errors({ 403: [{ ...PlatformErrors.FORBIDDEN, description: 'A mechanic changing another field than notes or label' }], 404: [WorkOrderErrors.WORK_ORDER_NOT_FOUND], 409: [WorkOrderErrors.WORK_ORDER_CLOSED] }),
        },
      },
    },
    async (request) => orders.update(actorOf(request), request.params.id, request.body),
  )

  app.post(
    '/:id/status',
    {
      config: { permission: 'work_order:status' },
      schema: {
        tags: TAGS,
        operationId: 'changeWorkOrderStatus',
        summary: 'Move a work order to another status',
        description:
          'Advisors and admins: declined → draft, approved → in_progress, in_progress → completed, completed → in_progress (reopen), ' +
          'and void (with a reason) from any status before invoiced. The assigned mechanic: in_progress and completed. completed needs ' +
          'every approved job completed (409 ECAR_ERR_JOBS_NOT_COMPLETED) and odometerOut (in the body or already set; 400). ' +
          'awaiting_approval, approved, declined and invoiced are reached by the estimate, decision and invoice flows only. ' +
          'Any other move is 409 ECAR_ERR_ILLEGAL_TRANSITION with `allowed`: the statuses this caller may move the order to now.',
        params: IdParams,
        body: StatusBody,
        response: {
          200: success('The work order in its new status', WorkOrderSchema),
          ...errors({ 404: [WorkOrderErrors.WORK_ORDER_NOT_FOUND], 409: [PlatformErrors.ILLEGAL_TRANSITION, WorkOrderErrors.JOBS_NOT_COMPLETED] }),
        },
      },
    },
    async (request) => orders.changeStatus(actorOf(request), request.params.id, request.body),
  )
}
