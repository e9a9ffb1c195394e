// The demo garage's work orders: rows only, on a fresh database with nothing cached (nothing is touched or audited).
import type { Executor } from '../../platform/db/database.ts'
import { findUserById } from '../users/index.ts'
import { insertDecisions } from './estimates.repository.ts'
import { seedEstimate } from './estimates.seed.ts'
import { insertJob, insertLines, startEntry, stopOpenEntry, updateJob, upsertInspection } from './jobs.repository.ts'
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from './work-order.machine.ts'
import { insertWorkOrder } from './work-orders.repository.ts'
import type { WorkOrderRow } from './work-orders.table.ts'

/** What the demo needs to give the seed. */
export interface SeedWorkOrdersInput {
  /** Vehicles to open orders for, with their owners; used round-robin. */
  vehicles: readonly { id: number; ownerId: number; mileage: number }[]
  mechanicIds: readonly number[]
  advisorId: number
  labourRateCents: number
}

const SEED_JOBS = [
  { title: 'Oil and filter change', concern: 'Service due', labourHundredths: 50, part: { description: 'Engine oil 5W-30, 5 l', quantityHundredths: 100, unitPriceCents: 4_200 } },
  { title: 'Front brake pads', concern: 'Squeal when braking', labourHundredths: 150, part: { description: 'Brake pad set, front', quantityHundredths: 100, unitPriceCents: 6_900 } },
]

type Method = 'portal' | 'share_link' | 'phone' | 'in_person'
type Decided = readonly ['approved' | 'declined', Method]

/**
 * Each status's story, one decision per seeded job: sent or not, and how the customer answered. The
 * approved and completed orders each keep a declined job, which the vehicle's history shows as a
 * recommendation; the void one was voided while its estimate waited.
 */
const STORIES: Readonly<Record<WorkOrderStatus, { sent: boolean; decided: readonly Decided[] }>> = {
  draft: { sent: false, decided: [] },
  awaiting_approval: { sent: true, decided: [] },
  approved: { sent: true, decided: [['approved', 'portal'], ['declined', 'share_link']] },
  in_progress: { sent: true, decided: [['approved', 'in_person'], ['approved', 'in_person']] },
  completed: { sent: true, decided: [['approved', 'portal'], ['declined', 'phone']] },
  invoiced: { sent: true, decided: [['approved', 'share_link'], ['approved', 'share_link']] },
  declined: { sent: true, decided: [['declined', 'phone'], ['declined', 'phone']] },
  void: { sent: true, decided: [] },
}

const HOUR = 3_600_000

/**
 * The demo's work orders: one per status (draft first, then each later status of the machine), each with
 * two jobs and their lines; the estimate sent (with its share link) and the customer's decisions as the
 * status's story says, job statuses following them; time entries and an inspection on those in progress
 * or done.
 */
export async function seedWorkOrders(tx: Executor, input: SeedWorkOrdersInput): Promise<WorkOrderRow[]> {
  const rows: WorkOrderRow[] = []
  for (const [index, status] of WORK_ORDER_STATUSES.entries()) {
    const vehicle = input.vehicles[index % input.vehicles.length]!
    const mechanicId = status === 'draft' ? null : (input.mechanicIds[index % Math.max(1, input.mechanicIds.length)] ?? null)
    const done = status === 'completed' || status === 'invoiced'
    const row = await insertWorkOrder(tx, {
      vehicleId: vehicle.id,
      customerId: vehicle.ownerId,
      status,
      advisorId: input.advisorId,
      mechanicId,
      odometerIn: vehicle.mileage,
      odometerOut: done ? vehicle.mileage + 12 : null,
      concerns: SEED_JOBS.map((job) => job.concern),
      label: status === 'in_progress' ? 'waiting for parts' : null,
      voidReason: status === 'void' ? 'Customer took the car elsewhere' : null,
    })
    const jobIds: number[] = []
    for (const [position, seed] of SEED_JOBS.entries()) {
      const job = await insertJob(tx, { workOrderId: row.id, title: seed.title, concern: seed.concern, status: 'proposed', position: position + 1 })
      await insertLines(tx, [
        { jobId: job.id, kind: 'labour', description: seed.title, quantityHundredths: seed.labourHundredths, unitPriceCents: input.labourRateCents, discountCents: 0, position: 1 },
        { jobId: job.id, kind: 'part', description: seed.part.description, quantityHundredths: seed.part.quantityHundredths, unitPriceCents: seed.part.unitPriceCents, discountCents: 0, position: 2 },
      ])
      jobIds.push(job.id)
    }
    await seedStory(tx, { row, jobIds, status, advisorId: input.advisorId, mechanicId })
    rows.push(row)
  }
  return rows
}

/** The estimate and decisions of one seeded order, then the work its status implies. */
async function seedStory(tx: Executor, input: { row: WorkOrderRow; jobIds: readonly number[]; status: WorkOrderStatus; advisorId: number; mechanicId: number | null }): Promise<void> {
  const { row, jobIds, status, mechanicId } = input
  const story = STORIES[status]
  if (story.sent) {
    // Sent before the decisions (a share link's seven days run from here).
    const estimate = await seedEstimate(tx, { workOrderId: row.id, sentBy: input.advisorId, sentAt: new Date(Date.now() - 3 * HOUR) })
    const customerName = (await findUserById(tx, row.customerId))?.name ?? 'Customer'
    await insertDecisions(
      tx,
      story.decided.map(([decision, method], i) => ({
        workOrderId: row.id,
        jobId: jobIds[i]!,
        decision,
        method,
        // Staff record calls and visits; the portal is the customer's account; a share link has no user.
        byUserId: method === 'portal' ? row.customerId : method === 'share_link' ? null : input.advisorId,
        byName: customerName,
        estimateVersion: estimate.version,
        estimateHash: estimate.hash,
      })),
    )
  }
  const done = status === 'completed' || status === 'invoiced'
  const worked = done || status === 'in_progress'
  for (const [i, [decision]] of story.decided.entries()) {
    // Done: every approved job; in progress: the first.
    const completed = decision === 'approved' && (done || (status === 'in_progress' && i === 0))
    await updateJob(tx, jobIds[i]!, { status: decision, completedAt: completed ? new Date() : null })
  }
  if (mechanicId !== null && worked) {
    await startEntry(tx, jobIds[0]!, mechanicId)
    await stopOpenEntry(tx, mechanicId, jobIds[0]!)
    await upsertInspection(tx, row.id, [{ name: 'Tyre tread', result: 'ok' }, { name: 'Wiper blades', result: 'attention', note: 'Streaking' }], mechanicId)
  }
}
