import type { FastifyInstance, FastifyRequest } from 'fastify'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import type { Tag } from '../../platform/cache/cache-declaration.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { created, errors, noContent, success } from '../../platform/http/responses.ts'
import { ClockBody, ClockResult, CreateJobBody, CreateLineBody, InspectionBody, InspectionSchema, UpdateJobBody, UpdateLineBody } from './jobs.schemas.ts'
import { WORK_ORDER_NAMESPACES, workOrderInspectionTag, workOrderTag } from './work-orders.cache.ts'
import { workOrderServices } from './work-orders.deps.ts'
import { JobParams, JobSchema, LineParams, LineSchema } from './work-orders.schemas.ts'

const TAGS = ['work-orders']
const NOT_FOUND = [WorkOrderErrors.WORK_ORDER_NOT_FOUND, WorkOrderErrors.JOB_NOT_FOUND, WorkOrderErrors.LINE_NOT_FOUND]
const DECIDED = [WorkOrderErrors.JOB_DECIDED, WorkOrderErrors.WORK_ORDER_CLOSED]

const inspectionTags = (request: FastifyRequest): Tag[] => {
  const id = Number((request.params as { id?: unknown }).id)
  return [workOrderInspectionTag(id), workOrderTag(id)]
}

/** Jobs, lines, the clock and the inspection of a work order. */
export async function jobsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { jobs, clock } = workOrderServices(app)

  app.post(
    '/:id/jobs',
    {
      config: { permission: 'work_order:job_create' },
      schema: {
        tags: TAGS,
        operationId: 'createWorkOrderJob',
        summary: 'Add a job',
        description:
          'Advisors, admins and the assigned mechanic add a proposed job (the customer decides it through an estimate). At the desk a ' +
          'serviceId expands into the service\'s labour line (labourHours at the shop\'s labourRateCents) and one line per part ' +
          '(unitPriceCents 0 and a "price to be set" description until the parts module prices parts). A mechanic\'s finding keeps ' +
          'the serviceId but gets no lines and no prices: the advisor prices it. Not on a completed, invoiced, declined or void order (409).',
        params: IdParams,
        body: CreateJobBody,
        response: { 201: created('The new job', JobSchema), ...errors({ 404: NOT_FOUND, 409: DECIDED }) },
      },
    },
    async (request, reply) => {
      const job = await jobs.createJob(actorOf(request), request.params.id, request.body)
      return reply.code(201).header('location', `/api/work-orders/${request.params.id}/jobs/${job.id}`).send(job)
    },
  )

  app.patch(
    '/:id/jobs/:jobId',
    {
      config: { permission: 'work_order:job_update' },
      schema: {
        tags: TAGS,
        operationId: 'updateWorkOrderJob',
        summary: 'Change a job',
        description:
          'Advisors and admins: title and concern while the job is proposed (409 after), cause, correction and completed. The assigned ' +
          'mechanic: cause, correction and completed only (403 for another field). completed: true on an approved job only (409).',
        params: JobParams,
        body: UpdateJobBody,
        response: { 200: success('The job as changed', JobSchema), ...errors({ 403: [{ ...PlatformErrors.FORBIDDEN, description: 'A mechanic changing title or concern' }], 404: NOT_FOUND, 409: DECIDED }) },
      },
    },
    async (request) => jobs.updateJob(actorOf(request), request.params.id, request.params.jobId, request.body),
  )

  app.delete(
    '/:id/jobs/:jobId',
    {
      config: { permission: 'work_order:job_delete' },
      schema: {
        tags: TAGS,
        operationId: 'deleteWorkOrderJob',
        summary: 'Delete a proposed job',
        description: 'Advisors and admins, with its lines; a decided job stays (409: declined ones are the vehicle\'s recommendations).',
        params: JobParams,
        response: { 204: noContent('Deleted'), ...errors({ 404: NOT_FOUND, 409: DECIDED }) },
      },
    },
    async (request, reply) => {
      await jobs.deleteJob(actorOf(request), request.params.id, request.params.jobId)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/:id/jobs/:jobId/lines',
    {
      config: { permission: 'work_order:line_write' },
      schema: {
        tags: TAGS,
        operationId: 'createWorkOrderLine',
        summary: 'Add a line to a proposed job',
        description:
          'Advisors and admins. unitPriceCents defaults to the shop\'s labour rate on labour lines and to 0 on part lines (until parts ' +
          'exist); a fee needs it. discountCents is 0 to the line\'s amount (400 above). Only on proposed jobs (409).',
        params: JobParams,
        body: CreateLineBody,
        response: { 201: created('The new line', LineSchema), ...errors({ 404: NOT_FOUND, 409: DECIDED }) },
      },
    },
    async (request, reply) => {
      const { id, jobId } = request.params
      const line = await jobs.createLine(actorOf(request), id, jobId, request.body)
      return reply.code(201).header('location', `/api/work-orders/${id}/jobs/${jobId}/lines/${line.id}`).send(line)
    },
  )

  app.patch(
    '/:id/jobs/:jobId/lines/:lineId',
    {
      config: { permission: 'work_order:line_write' },
      schema: {
        tags: TAGS,
        operationId: 'updateWorkOrderLine',
        summary: 'Change a line of a proposed job',
        description: 'Advisors and admins; only on proposed jobs (409). The kind does not change: delete the line and add another.',
        params: LineParams,
        body: UpdateLineBody,
        response: { 200: success('The line as changed', LineSchema), ...errors({ 404: NOT_FOUND, 409: DECIDED }) },
      },
    },
    async (request) => jobs.updateLine(actorOf(request), request.params.id, request.params.jobId, request.params.lineId, request.body),
  )

  app.delete(
    '/:id/jobs/:jobId/lines/:lineId',
    {
      config: { permission: 'work_order:line_write' },
      schema: {
        tags: TAGS,
        operationId: 'deleteWorkOrderLine',
        summary: 'Delete a line of a proposed job',
        description: 'Advisors and admins; only on proposed jobs (409).',
        params: LineParams,
        response: { 204: noContent('Deleted'), ...errors({ 404: NOT_FOUND, 409: DECIDED }) },
      },
    },
    async (request, reply) => {
      await jobs.deleteLine(actorOf(request), request.params.id, request.params.jobId, request.params.lineId)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/:id/jobs/:jobId/clock',
    {
      config: { permission: 'work_order:clock' },
      schema: {
        tags: TAGS,
        operationId: 'clockWorkOrderJob',
        summary: 'Clock in or out of a job',
        description:
          'The assigned mechanic, on an approved job of an order in progress (409 otherwise). start stops the mechanic\'s open entry on ' +
          'any other job first (returned as stopped); a mechanic has at most one open entry, enforced by the database: of two starts ' +
          'racing, one wins and the other is 409 ECAR_ERR_ALREADY_CLOCKED_IN. stop without an open entry on this job is 409.',
        params: JobParams,
        body: ClockBody,
        response: { 200: success('The entry started or stopped', ClockResult), ...errors({ 404: NOT_FOUND, 409: [WorkOrderErrors.NOT_CLOCKED_IN, WorkOrderErrors.ALREADY_CLOCKED_IN, WorkOrderErrors.JOB_NOT_APPROVED, WorkOrderErrors.WORK_ORDER_NOT_IN_PROGRESS] }) },
      },
    },
    async (request) => clock.clock(actorOf(request), request.params.id, request.params.jobId, request.body),
  )

  app.get(
    '/:id/inspection',
    {
      config: { permission: 'work_order:inspection_read', cache: { namespace: WORK_ORDER_NAMESPACES.inspection, scope: 'user', tags: inspectionTags } },
      schema: {
        tags: TAGS,
        operationId: 'getWorkOrderInspection',
        summary: 'The inspection checklist',
        description: 'The assigned mechanic, advisors and admins. Empty (items [], updatedAt null) until the first PUT.',
        params: IdParams,
        response: { 200: success('The inspection', InspectionSchema), ...errors({ 404: NOT_FOUND }) },
      },
    },
    async (request) => clock.inspection(actorOf(request), request.params.id),
  )

  app.put(
    '/:id/inspection',
    {
      config: { permission: 'work_order:inspection_write' },
      schema: {
        tags: TAGS,
        operationId: 'putWorkOrderInspection',
        summary: 'Replace the inspection checklist',
        description: 'The assigned mechanic, advisors and admins; the whole list each time. Not on an invoiced or void order (409).',
        params: IdParams,
        body: InspectionBody,
        response: { 200: success('The inspection', InspectionSchema), ...errors({ 404: NOT_FOUND, 409: [WorkOrderErrors.WORK_ORDER_CLOSED] }) },
      },
    },
    async (request) => clock.putInspection(actorOf(request), request.params.id, request.body),
  )
}
