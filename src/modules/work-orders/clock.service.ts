import type { Actor } from '../../platform/auth/principal.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Db } from '../../platform/db/database.ts'
import { violatedConstraint } from '../../platform/db/db-errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { changesBetween } from '../audit/index.ts'
import { findInspection, findJob, openEntryOf, orderOfJob, startEntry, stopOpenEntry, upsertInspection } from './jobs.repository.ts'
import type { ClockInput, Inspection, InspectionInput } from './jobs.schemas.ts'
import { vehicleWorkOrdersTag, workOrderInspectionTag, workOrderTag } from './work-orders.cache.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { toTimeEntry } from './work-orders.present.ts'
import type { TimeEntry } from './work-orders.schemas.ts'
import { audit, reachableOrder } from './work-orders.support.ts'
import type { InspectionRow } from './work-orders.table.ts'

const ONE_OPEN_ENTRY = 'work_order_time_entries_one_open_key'

function toInspection(workOrderId: number, row: InspectionRow | undefined): Inspection {
  return { workOrderId, items: row?.items ?? [], updatedAt: row?.updatedAt.toISOString() ?? null, updatedBy: row?.updatedBy ?? null }
}

/** The mechanic's clock on jobs, and the order's inspection checklist. */
export function createClockService(deps: { db: Db; writer: Writer }) {
  const { db, writer } = deps

  return {
    /**
     * Starts or stops the assigned mechanic's time on an approved job of an order in progress. Starting
     * stops the mechanic's open entry elsewhere first, in the same transaction; the partial unique index
     * (one open entry per mechanic) settles two starts racing: one wins, the other is 409 and changes nothing.
     */
    async clock(actor: Actor, id: number, jobId: number, input: ClockInput): Promise<{ entry: TimeEntry; stopped: TimeEntry | null }> {
      try {
        return await writer.transaction(async (tx, touch) => {
          const order = await reachableOrder(tx, actor, id, true)
          const job = await findJob(tx, id, jobId)
          if (!job) throw problem(WorkOrderErrors.JOB_NOT_FOUND, 'Job not found.')
          if (input.action === 'stop') {
            const stopped = await stopOpenEntry(tx, actor.userId, jobId)
            if (!stopped) throw problem(WorkOrderErrors.NOT_CLOCKED_IN, 'You are not clocked in on this job.')
            await audit(tx, actor.userId, 'time_entry.stopped', 'time_entry', stopped.id, { stoppedAt: [null, stopped.stoppedAt!.toISOString()] })
            touch(workOrderTag(id))
            return { entry: toTimeEntry(stopped), stopped: null }
          }
          if (order.status !== 'in_progress') throw problem(WorkOrderErrors.WORK_ORDER_NOT_IN_PROGRESS, `The work order is ${order.status}: time is clocked while it is in progress.`)
          if (job.status !== 'approved') throw problem(WorkOrderErrors.JOB_NOT_APPROVED, 'Time is clocked on approved jobs only.')
          const open = await openEntryOf(tx, actor.userId)
          if (open?.jobId === jobId) throw problem(WorkOrderErrors.ALREADY_CLOCKED_IN, 'You are already clocked in on this job.')
          const stopped = open ? await stopOpenEntry(tx, actor.userId) : undefined
          if (stopped) {
            await audit(tx, actor.userId, 'time_entry.stopped', 'time_entry', stopped.id, { stoppedAt: [null, stopped.stoppedAt!.toISOString()] })
            const other = await orderOfJob(tx, stopped.jobId)
            if (other !== undefined) touch(workOrderTag(other))
          }
          const entry = await startEntry(tx, jobId, actor.userId)
          await audit(tx, actor.userId, 'time_entry.started', 'time_entry', entry.id, changesBetween(null, { jobId, mechanicId: actor.userId, startedAt: entry.startedAt.toISOString() }))
          touch(workOrderTag(id))
          return { entry: toTimeEntry(entry), stopped: stopped ? toTimeEntry(stopped) : null }
        })
      } catch (error) {
        if (violatedConstraint(error) === ONE_OPEN_ENTRY) throw problem(WorkOrderErrors.ALREADY_CLOCKED_IN, 'Another start of your clock won the race; nothing changed.')
        throw error
      }
    },

    /** The order's inspection (empty before the first PUT). */
    async inspection(actor: Actor, id: number): Promise<Inspection> {
      await reachableOrder(db, actor, id)
      return toInspection(id, await findInspection(db, id))
    },

    /** Replaces the order's inspection checklist (not on an invoiced or void order: 409). */
    async putInspection(actor: Actor, id: number, input: InspectionInput): Promise<Inspection> {
      return writer.transaction(async (tx, touch) => {
        const order = await reachableOrder(tx, actor, id, true)
        if (order.status === 'invoiced' || order.status === 'void') {
          throw problem(WorkOrderErrors.WORK_ORDER_CLOSED, `The work order is ${order.status}: its inspection no longer changes.`)
        }
        const before = await findInspection(tx, id)
        const row = await upsertInspection(tx, id, input.items, actor.userId)
        const diff = changesBetween({ items: before?.items ?? null }, { items: row.items })
        if (Object.keys(diff).length > 0) await audit(tx, actor.userId, 'inspection.updated', 'work_order', id, diff)
        touch(workOrderInspectionTag(id), vehicleWorkOrdersTag(order.vehicleId))
        return toInspection(id, row)
      })
    },
  }
}
