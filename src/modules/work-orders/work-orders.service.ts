import type { Actor } from '../../platform/auth/principal.ts'
import type { Touch, Writer } from '../../platform/cache/writer.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { forbidden, illegalTransition, invalidInput, type FieldError } from '../../platform/http/errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import type { TaxRates } from '../../kernel/money.ts'
import { changesBetween } from '../audit/index.ts'
import { jobsOf } from './jobs.repository.ts'
import { workOrderMachine, type WorkOrderStatus } from './work-order.machine.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { presentSummaries, presentWorkOrders } from './work-orders.present.ts'
import { insertWorkOrder, isActiveBay, isActiveMechanic, listWorkOrders, updateWorkOrder, vehicleOwner, type WorkOrderValues } from './work-orders.repository.ts'
import type { CreateWorkOrderInput, ListWorkOrdersInput, StatusInput, UpdateWorkOrderInput, WorkOrder } from './work-orders.schemas.ts'
import { audit, machineActor, reachableOrder, touchOrder } from './work-orders.support.ts'
import type { WorkOrderRow } from './work-orders.table.ts'

const DEFAULT_PAGE_SIZE = 50
/** What an assigned mechanic may change on an order (PATCH); any other field is 403. */
const MECHANIC_FIELDS = new Set(['notes', 'label'])

/** What the work-order services need. */
export interface WorkOrderDeps {
  db: Db
  writer: Writer
  /**
   * The shop's tax rates and labour rate now (its data-cached settings row). Read before a write's
   * transaction opens: on a miss the cache loads through the pool, which on PGlite is the one connection.
   */
  pricing(): Promise<Pricing>
}

/** What prices and totals take from the shop. */
export interface Pricing {
  taxRates: TaxRates
  labourRateCents: number
  /** What a priced document (the estimate mail) names: the shop and the currency of its cents. */
  shopName: string
  currency: string
}

/** The fields of an order the audit log compares (the API's names). */
export function auditedFields(row: WorkOrderRow): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, id: _i, ...fields } = row
  return { ...fields, promisedAt: row.promisedAt?.toISOString() ?? null, completedAt: row.completedAt?.toISOString() ?? null }
}

/** Checks that named staff and bays are usable: 400 naming each field otherwise. */
async function assertAssignable(tx: Executor, input: { mechanicId?: number | null | undefined; bayId?: number | null | undefined }): Promise<void> {
  const errors: FieldError[] = []
  if (input.mechanicId != null && !(await isActiveMechanic(tx, input.mechanicId))) errors.push({ field: 'body.mechanicId', message: 'is not an active mechanic' })
  if (input.bayId != null && !(await isActiveBay(tx, input.bayId))) errors.push({ field: 'body.bayId', message: 'is not an active bay' })
  if (errors.length > 0) throw invalidInput('The request is invalid; see errors.', errors)
}

/** Inserts a draft order for a vehicle (the owner becomes the customer), audited and touched: POST and the check-in flow. */
export async function openWorkOrder(
  tx: Executor,
  touch: Touch,
  input: Omit<WorkOrderValues, 'customerId' | 'status'> & { actorId: number | null; checkAssignable?: boolean },
): Promise<WorkOrderRow> {
  const customerId = await vehicleOwner(tx, input.vehicleId)
  if (customerId === undefined) throw invalidInput('The request is invalid; see errors.', [{ field: 'body.vehicleId', message: 'is not a vehicle' }])
  if (input.checkAssignable !== false) await assertAssignable(tx, input)
  const { actorId, checkAssignable: _checked, ...values } = input
  const row = await insertWorkOrder(tx, { ...values, customerId, status: 'draft' })
  await audit(tx, actorId, 'work_order.created', 'work_order', row.id, changesBetween(null, auditedFields(row)))
  touchOrder(touch, row)
  return row
}

/** Work orders: open, list, read, change and move through the machine. */
export function createWorkOrdersService(deps: WorkOrderDeps) {
  const { db, writer } = deps

  async function presentOne(executor: Executor, row: WorkOrderRow, pricing: Pricing): Promise<WorkOrder> {
    return (await presentWorkOrders(executor, [row], pricing.taxRates))[0]!
  }

  return {
    presentOne,

    /** Opens a draft order (advisor, admin). */
    async create(actor: Actor, input: CreateWorkOrderInput): Promise<WorkOrder> {
      const pricing = await deps.pricing()
      return writer.transaction(async (tx, touch) => {
        const row = await openWorkOrder(tx, touch, {
          vehicleId: input.vehicleId,
          odometerIn: input.odometerIn,
          concerns: input.concerns ?? [],
          mechanicId: input.mechanicId ?? null,
          bayId: input.bayId ?? null,
          promisedAt: input.promisedAt === undefined ? null : new Date(input.promisedAt),
          advisorId: actor.userId,
          actorId: actor.userId,
        })
        return presentOne(tx, row, pricing)
      })
    },

    /** A page of the orders the actor reaches, filtered. */
    async list(actor: Actor, query: ListWorkOrdersInput) {
      const limit = query.limit ?? DEFAULT_PAGE_SIZE
      const rows = await listWorkOrders(db, actor, { ...query, afterId: decodeCursor(query.cursor), limit: limit + 1 })
      const page = toPage(rows, limit, (row) => row)
      return { items: await presentSummaries(db, page.items, (await deps.pricing()).taxRates), nextCursor: page.nextCursor }
    },

    /** One order with its jobs; 404 out of reach. */
    async get(actor: Actor, id: number): Promise<WorkOrder> {
      const pricing = await deps.pricing()
      return presentOne(db, await reachableOrder(db, actor, id), pricing)
    },

    /** Changes an order's fields: staff at the desk any, the assigned mechanic notes and label only (403 for others). */
    async update(actor: Actor, id: number, input: UpdateWorkOrderInput): Promise<WorkOrder> {
      if (actor.role === 'mechanic') {
        const others = Object.keys(input).filter((field) => !MECHANIC_FIELDS.has(field))
        if (others.length > 0) throw forbidden(`A mechanic may change notes and label only, not ${others.join(', ')}.`)
      }
      const pricing = await deps.pricing()
      return writer.transaction(async (tx, touch) => {
        const current = await reachableOrder(tx, actor, id, true)
        if (current.status === 'invoiced' || current.status === 'void') {
          throw problem(WorkOrderErrors.WORK_ORDER_CLOSED, `The work order is ${current.status}: it no longer changes.`)
        }
        await assertAssignable(tx, input)
        const odometerIn = input.odometerIn ?? current.odometerIn
        const odometerOut = input.odometerOut === undefined ? current.odometerOut : input.odometerOut
        if (odometerOut !== null && odometerOut < odometerIn) {
          throw invalidInput('The request is invalid; see errors.', [{ field: 'body.odometerOut', message: 'must be at least odometerIn' }])
        }
        const { promisedAt, ...rest } = input
        const changes: Partial<WorkOrderValues> = { ...rest, ...(promisedAt === undefined ? {} : { promisedAt: promisedAt === null ? null : new Date(promisedAt) }) }
        const row = await updateWorkOrder(tx, id, changes)
        const diff = changesBetween(auditedFields(current), auditedFields(row))
        if (Object.keys(diff).length > 0) {
          await audit(tx, actor.userId, 'work_order.updated', 'work_order', id, diff)
          touchOrder(touch, row, current.mechanicId)
        }
        return presentOne(tx, row, pricing)
      })
    },

    /**
     * Moves an order through the machine as this caller. Refused moves change nothing: 409 with the
     * statuses the caller may reach from here; void needs a reason (400); completed needs every
     * approved job completed (409) and odometerOut (400).
     */
    async changeStatus(actor: Actor, id: number, input: StatusInput): Promise<WorkOrder> {
      const pricing = await deps.pricing()
      return writer.transaction(async (tx, touch) => {
        const current = await reachableOrder(tx, actor, id, true)
        const from = current.status as WorkOrderStatus
        const who = machineActor(actor)
        if (!workOrderMachine.can(from, input.status, who)) throw illegalTransition(from, input.status, workOrderMachine.allowedFrom(from, who))
        // Completed now; invoicing keeps the completion; any other move (a reopen, a void) clears it.
        const completedAt = input.status === 'completed' ? new Date() : input.status === 'invoiced' ? current.completedAt : null
        const changes: Partial<WorkOrderValues> = { status: input.status, completedAt }
        const requirement = workOrderMachine.requirement(from, input.status)
        if (requirement === 'reason') {
          if (input.reason === undefined) throw invalidInput('A reason is required to void a work order.', [{ field: 'body.reason', message: 'is required for void' }])
          changes.voidReason = input.reason
        }
        if (requirement === 'approvedJobsCompletedAndOdometerOut') {
          const odometerOut = input.odometerOut ?? current.odometerOut
          if (odometerOut === null) throw invalidInput('The odometer reading at pick-up is required.', [{ field: 'body.odometerOut', message: 'is required for completed' }])
          if (odometerOut < current.odometerIn) throw invalidInput('The request is invalid; see errors.', [{ field: 'body.odometerOut', message: 'must be at least odometerIn' }])
          const open = (await jobsOf(tx, [id])).filter((job) => job.status === 'approved' && job.completedAt === null)
          if (open.length > 0) throw problem(WorkOrderErrors.JOBS_NOT_COMPLETED, `${open.length} approved job(s) are not completed yet.`)
          changes.odometerOut = odometerOut
        }
        const row = await updateWorkOrder(tx, id, changes)
        await audit(tx, actor.userId, 'work_order.status_changed', 'work_order', id, changesBetween(auditedFields(current), auditedFields(row)))
        touchOrder(touch, row)
        return presentOne(tx, row, pricing)
      })
    },
  }
}

/** The work-orders service. */
export type WorkOrdersService = ReturnType<typeof createWorkOrdersService>
