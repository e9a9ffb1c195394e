import type { Actor } from '../../platform/auth/principal.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { forbidden, invalidInput } from '../../platform/http/errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { lineAmounts, MoneyError, quantityToHundredths } from '../../kernel/money.ts'
import { changesBetween } from '../audit/index.ts'
import { findServices } from '../services/index.ts'
import { deleteJob, deleteLine, findJob, findLine, insertJob, insertLines, nextJobPosition, nextLinePosition, updateJob, updateLine, type JobValues, type LineValues } from './jobs.repository.ts'
import type { CreateJobInput, CreateLineInput, UpdateJobInput, UpdateLineInput } from './jobs.schemas.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { lineInput, toLine } from './work-orders.present.ts'
import { bumpWorkOrder } from './work-orders.repository.ts'
import type { Job, WorkOrder } from './work-orders.schemas.ts'
import type { Pricing, WorkOrderDeps } from './work-orders.service.ts'
import { assertWorking, audit, reachableOrder, touchOrder } from './work-orders.support.ts'
import type { JobRow, LineRow, WorkOrderRow } from './work-orders.table.ts'

/** What an assigned mechanic may change on a job; any other field is 403. */
const MECHANIC_JOB_FIELDS = new Set(['cause', 'correction', 'completed'])

const jobNotFound = () => problem(WorkOrderErrors.JOB_NOT_FOUND, 'Job not found.')
const lineNotFound = () => problem(WorkOrderErrors.LINE_NOT_FOUND, 'Line not found.')

function assertProposed(job: JobRow): void {
  if (job.status !== 'proposed') throw problem(WorkOrderErrors.JOB_DECIDED, `The job is ${job.status}: its lines, prices and title no longer change.`)
}

/** A line's figures checked by the kernel: a discount above the amount is a 400 on body.discountCents. */
function checkedLine(values: Pick<LineRow, 'kind' | 'quantityHundredths' | 'unitPriceCents' | 'discountCents'>): void {
  try {
    lineAmounts(lineInput(values as LineRow))
  } catch (error) {
    if (error instanceof MoneyError) throw invalidInput(error.message, [{ field: `body.${error.field}`, message: error.message }])
    throw error
  }
}

function hundredths(quantity: number, field = 'quantity'): number {
  try {
    return quantityToHundredths(quantity, field)
  } catch (error) {
    if (error instanceof MoneyError) throw invalidInput(error.message, [{ field: `body.${field}`, message: error.message }])
    throw error
  }
}

const lineAudit = (row: LineRow) => ({ ...toLine(row), jobId: row.jobId })

/** The lines a catalogue service expands into: its labour at the shop's rate, its parts at 0 until the parts module prices them. */
async function serviceLines(tx: Executor, serviceId: number, jobId: number, labourRateCents: number): Promise<{ title: string; lines: LineValues[] }> {
  const [service] = await findServices(tx, [serviceId])
  if (!service || !service.active) throw invalidInput('The request is invalid; see errors.', [{ field: 'body.serviceId', message: 'is not an active service' }])
  const lines: LineValues[] = [
    { jobId, kind: 'labour', description: service.name, quantityHundredths: quantityToHundredths(service.labourHours), unitPriceCents: labourRateCents, discountCents: 0, partId: null, position: 1 },
    ...service.parts.map((part, i) => ({
      jobId,
      kind: 'part',
      description: `Part #${part.partId} (price to be set)`,
      quantityHundredths: quantityToHundredths(part.quantity),
      unitPriceCents: 0,
      discountCents: 0,
      partId: part.partId,
      position: i + 2,
    })),
  ]
  return { title: service.name, lines }
}

/** Jobs and lines of work orders. */
export function createJobsService(deps: WorkOrderDeps & { presentOne(tx: Executor, row: WorkOrderRow, pricing: Pricing): Promise<WorkOrder> }) {
  const { writer } = deps

  /** The order (locked, reachable, still in work) and the job of it; then the write, the bump, the touch. */
  async function onJob<T>(actor: Actor, id: number, jobId: number, work: (tx: Executor, order: WorkOrderRow, job: JobRow, touch: Touch) => Promise<T>): Promise<T> {
    return writer.transaction(async (tx, touch) => {
      const order = await reachableOrder(tx, actor, id, true)
      const job = await findJob(tx, id, jobId)
      if (!job) throw jobNotFound()
      assertWorking(order)
      const result = await work(tx, order, job, touch)
      await bumpWorkOrder(tx, id)
      touchOrder(touch, order)
      return result
    })
  }

  /** The order as it stands inside the write's transaction, for answers that show the whole order. */
  const freshJob = async (tx: Executor, actor: Actor, id: number, jobId: number, pricing: Pricing): Promise<Job> =>
    (await deps.presentOne(tx, await reachableOrder(tx, actor, id), pricing)).jobs.find((job) => job.id === jobId)!

  return {
    /**
     * Adds a proposed job. At the desk a serviceId expands into its lines (labour at the shop's rate,
     * parts at 0 until parts exist); a mechanic's finding has no lines: the advisor prices it.
     */
    async createJob(actor: Actor, id: number, input: CreateJobInput): Promise<Job> {
      const pricing = await deps.pricing()
      return writer.transaction(async (tx, touch) => {
        const order = await reachableOrder(tx, actor, id, true)
        assertWorking(order)
        const values: JobValues = {
          workOrderId: id,
          title: input.title,
          concern: input.concern ?? null,
          serviceId: input.serviceId ?? null,
          status: 'proposed',
          position: await nextJobPosition(tx, id),
        }
        if (input.serviceId !== undefined && actor.role === 'mechanic') {
          const [service] = await findServices(tx, [input.serviceId])
          if (!service) throw invalidInput('The request is invalid; see errors.', [{ field: 'body.serviceId', message: 'is not a service' }])
        }
        const job = await insertJob(tx, values)
        await audit(tx, actor.userId, 'job.created', 'job', job.id, changesBetween(null, { workOrderId: id, title: job.title, concern: job.concern, serviceId: job.serviceId, status: job.status }))
        if (input.serviceId !== undefined && actor.role !== 'mechanic') {
          const { lines } = await serviceLines(tx, input.serviceId, job.id, pricing.labourRateCents)
          for (const line of await insertLines(tx, lines)) await audit(tx, actor.userId, 'line.created', 'line', line.id, changesBetween(null, lineAudit(line)))
        }
        await bumpWorkOrder(tx, id)
        touchOrder(touch, order)
        return freshJob(tx, actor, id, job.id, pricing)
      })
    },

    /**
     * Changes a job. Title and concern only while proposed (409); cause, correction and completed any time
     * the order is in work; completed only on an approved job (409). A mechanic: cause, correction, completed.
     */
    async updateJob(actor: Actor, id: number, jobId: number, input: UpdateJobInput): Promise<Job> {
      if (actor.role === 'mechanic') {
        const others = Object.keys(input).filter((field) => !MECHANIC_JOB_FIELDS.has(field))
        if (others.length > 0) throw forbidden(`A mechanic may change cause, correction and completed only, not ${others.join(', ')}.`)
      }
      const pricing = await deps.pricing()
      return onJob(actor, id, jobId, async (tx, _order, job) => {
        if (input.title !== undefined || input.concern !== undefined) assertProposed(job)
        const { completed, ...fields } = input
        const changes: Partial<JobValues> = { ...fields }
        if (completed !== undefined) {
          if (job.status !== 'approved') throw problem(WorkOrderErrors.JOB_NOT_APPROVED, 'Only an approved job can be completed.')
          changes.completedAt = completed ? (job.completedAt ?? new Date()) : null
        }
        const row = await updateJob(tx, jobId, changes)
        const pick = (j: JobRow) => ({ title: j.title, concern: j.concern, cause: j.cause, correction: j.correction, completedAt: j.completedAt?.toISOString() ?? null })
        const diff = changesBetween(pick(job), pick(row))
        if (Object.keys(diff).length > 0) await audit(tx, actor.userId, 'job.updated', 'job', jobId, diff)
        await bumpWorkOrder(tx, id)
        return freshJob(tx, actor, id, jobId, pricing)
      })
    },

    /** Deletes a proposed job with its lines (409 once decided). */
    async deleteJob(actor: Actor, id: number, jobId: number): Promise<void> {
      await onJob(actor, id, jobId, async (tx, _order, job) => {
        assertProposed(job)
        await deleteJob(tx, jobId)
        await audit(tx, actor.userId, 'job.deleted', 'job', jobId, changesBetween({ workOrderId: id, title: job.title, status: job.status }, { workOrderId: null, title: null, status: null }))
      })
    },

    /** Adds a line to a proposed job; the price defaults as the body's schema says. */
    async createLine(actor: Actor, id: number, jobId: number, input: CreateLineInput) {
      const { labourRateCents } = await deps.pricing()
      return onJob(actor, id, jobId, async (tx, _order, job) => {
        assertProposed(job)
        let unitPriceCents = input.unitPriceCents
        if (unitPriceCents === undefined) {
          if (input.kind === 'fee') throw invalidInput('A fee needs its price.', [{ field: 'body.unitPriceCents', message: 'is required for a fee' }])
          unitPriceCents = input.kind === 'labour' ? labourRateCents : 0
        }
        const values: LineValues = {
          jobId,
          kind: input.kind,
          description: input.description,
          quantityHundredths: hundredths(input.quantity),
          unitPriceCents,
          discountCents: input.discountCents ?? 0,
          partId: input.kind === 'part' ? (input.partId ?? null) : null,
          position: await nextLinePosition(tx, jobId),
        }
        checkedLine(values as LineRow)
        const [line] = await insertLines(tx, [values])
        await audit(tx, actor.userId, 'line.created', 'line', line!.id, changesBetween(null, lineAudit(line!)))
        return toLine(line!)
      })
    },

    /** Changes a line of a proposed job. */
    async updateLine(actor: Actor, id: number, jobId: number, lineId: number, input: UpdateLineInput) {
      return onJob(actor, id, jobId, async (tx, _order, job) => {
        const current = await findLine(tx, jobId, lineId)
        if (!current) throw lineNotFound()
        assertProposed(job)
        const changes: Partial<LineValues> = {
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.quantity !== undefined ? { quantityHundredths: hundredths(input.quantity) } : {}),
          ...(input.unitPriceCents !== undefined ? { unitPriceCents: input.unitPriceCents } : {}),
          ...(input.discountCents !== undefined ? { discountCents: input.discountCents } : {}),
          ...(input.partId !== undefined ? { partId: current.kind === 'part' ? input.partId : null } : {}),
        }
        checkedLine({ ...current, ...changes } as LineRow)
        const line = await updateLine(tx, lineId, changes)
        const diff = changesBetween(lineAudit(current), lineAudit(line))
        if (Object.keys(diff).length > 0) await audit(tx, actor.userId, 'line.updated', 'line', lineId, diff)
        return toLine(line)
      })
    },

    /** Deletes a line of a proposed job. */
    async deleteLine(actor: Actor, id: number, jobId: number, lineId: number): Promise<void> {
      await onJob(actor, id, jobId, async (tx, _order, job) => {
        const current = await findLine(tx, jobId, lineId)
        if (!current) throw lineNotFound()
        assertProposed(job)
        await deleteLine(tx, lineId)
        await audit(tx, actor.userId, 'line.deleted', 'line', lineId, changesBetween(lineAudit(current), Object.fromEntries(Object.keys(lineAudit(current)).map((k) => [k, null]))))
      })
    },
  }
}
