import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm'
import type { Actor } from '../../platform/auth/principal.ts'
import type { Executor } from '../../platform/db/database.ts'
import { likeLower, searchWords } from '../../platform/db/text-search.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { bays } from '../bays/index.ts'
import { users } from '../users/index.ts'
import { vehicles } from '../vehicles/index.ts'
import { OPEN_WORK_ORDER_STATUSES, type WorkOrderStatus } from './work-order.machine.ts'
import { workOrders, type WorkOrderRow } from './work-orders.table.ts'

/** The writable columns of a work order. */
export type WorkOrderValues = Omit<typeof workOrders.$inferInsert, 'id' | 'number' | 'createdAt' | 'updatedAt'>

/** What a page of work orders is filtered by. */
export interface WorkOrderFilter {
  status?: WorkOrderStatus | undefined
  mechanicId?: number | undefined
  customerId?: number | undefined
  vehicleId?: number | undefined
  q?: string | undefined
  afterId: number
  limit: number
}

/** The reach of a grant as a condition: the customer's own, the mechanic's assigned, or every order. */
export function reachCondition(actor: Pick<Actor, 'grant' | 'userId'>): SQL | undefined {
  if (actor.grant === 'own') return eq(workOrders.customerId, actor.userId)
  if (actor.grant === 'assigned') return eq(workOrders.mechanicId, actor.userId)
  return undefined
}

// Every word must be in the number, the plate or VIN (also without spaces, -, . and /), or the customer's name.
function searchCondition(q: string | undefined): SQL | undefined {
  const words = searchWords(q).map((word) => {
    const options: SQL[] = [
      sql`lower(${workOrders.number}) like lower(${word.literal})`,
      likeLower(vehicles.searchText, word.literal),
      likeLower(users.searchText, word.literal),
    ]
    if (word.compact !== null) {
      options.push(sql`replace(lower(${workOrders.number}), '-', '') like lower(${word.compact})`, likeLower(vehicles.searchIds, word.compact))
    }
    return or(...options)!
  })
  return words.length > 0 ? and(...words) : undefined
}

/** A page of the orders the actor reaches that match the filter, by ascending id. */
export async function listWorkOrders(db: Executor, actor: Pick<Actor, 'grant' | 'userId'>, filter: WorkOrderFilter): Promise<WorkOrderRow[]> {
  const conditions: (SQL | undefined)[] = [gt(workOrders.id, filter.afterId), reachCondition(actor)]
  if (filter.status !== undefined) conditions.push(eq(workOrders.status, filter.status))
  if (filter.mechanicId !== undefined) conditions.push(eq(workOrders.mechanicId, filter.mechanicId))
  if (filter.customerId !== undefined) conditions.push(eq(workOrders.customerId, filter.customerId))
  if (filter.vehicleId !== undefined) conditions.push(eq(workOrders.vehicleId, filter.vehicleId))
  const search = searchCondition(filter.q)
  if (search === undefined) {
    return db.select().from(workOrders).where(and(...conditions)).orderBy(asc(workOrders.id)).limit(filter.limit)
  }
  const rows = await db
    .select({ order: workOrders })
    .from(workOrders)
    .innerJoin(vehicles, eq(vehicles.id, workOrders.vehicleId))
    .innerJoin(users, eq(users.id, workOrders.customerId))
    .where(and(...conditions, search))
    .orderBy(asc(workOrders.id))
    .limit(filter.limit)
  return rows.map((row) => row.order)
}

/** One work order, or undefined. */
export async function findWorkOrder(db: Executor, id: number): Promise<WorkOrderRow | undefined> {
  const [row] = await db.select().from(workOrders).where(eq(workOrders.id, id)).limit(1)
  return row
}

/** One work order locked until the transaction ends: every write on an order or its jobs takes this lock first. */
export async function lockWorkOrder(tx: Executor, id: number): Promise<WorkOrderRow | undefined> {
  const [row] = await tx.select().from(workOrders).where(eq(workOrders.id, id)).for('update')
  return row
}

/** Inserts a work order; one inserted completed or invoiced (the demo, fixtures) was completed now unless it says when. */
export async function insertWorkOrder(tx: Executor, values: WorkOrderValues): Promise<WorkOrderRow> {
  const done = values.status === 'completed' || values.status === 'invoiced'
  const [row] = await tx
    .insert(workOrders)
    .values({ ...values, completedAt: values.completedAt ?? (done ? new Date() : null) })
    .returning()
  return row!
}

/** Updates an order's columns, and updatedAt when one really changes. */
export async function updateWorkOrder(tx: Executor, id: number, changes: Partial<WorkOrderValues>): Promise<WorkOrderRow> {
  const [row] = await tx
    .update(workOrders)
    .set({ ...changes, updatedAt: updatedAtFor(workOrders, changes, workOrders.updatedAt) })
    .where(eq(workOrders.id, id))
    .returning()
  return row!
}

/** Moves an order's updatedAt to now: a change of its jobs or lines is a change of the order. */
export async function bumpWorkOrder(tx: Executor, id: number): Promise<void> {
  await tx.update(workOrders).set({ updatedAt: sql`now()` }).where(eq(workOrders.id, id))
}

/** True when the vehicle has a work order that is neither invoiced nor void. */
export async function hasOpenWorkOrders(db: Executor, vehicleId: number): Promise<boolean> {
  const rows = await db
    .select({ id: workOrders.id })
    .from(workOrders)
    .where(and(eq(workOrders.vehicleId, vehicleId), inArray(workOrders.status, [...OPEN_WORK_ORDER_STATUSES])))
    .limit(1)
  return rows.length > 0
}

/** True when the vehicle has any work order at all. */
export async function hasWorkOrders(db: Executor, vehicleId: number): Promise<boolean> {
  const rows = await db.select({ id: workOrders.id }).from(workOrders).where(eq(workOrders.vehicleId, vehicleId)).limit(1)
  return rows.length > 0
}

/** The vehicle's owner (who becomes the order's customer), or undefined when there is no such vehicle. */
export async function vehicleOwner(db: Executor, vehicleId: number): Promise<number | undefined> {
  // Shared lock: the vehicle cannot be deleted or change hands before this order commits.
  const [row] = await db.select({ ownerId: vehicles.ownerId }).from(vehicles).where(eq(vehicles.id, vehicleId)).for('share')
  return row?.ownerId
}

/** True when the user is an active mechanic (share-locked, so they stay one until the commit). */
export async function isActiveMechanic(db: Executor, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.role, 'mechanic'), eq(users.active, true)))
    .for('share')
  return row !== undefined
}

/** True when the bay exists and is active. */
export async function isActiveBay(db: Executor, bayId: number): Promise<boolean> {
  const [row] = await db.select({ id: bays.id }).from(bays).where(and(eq(bays.id, bayId), eq(bays.active, true))).for('share')
  return row !== undefined
}
