import { defineAccess, expectAll, type BaseFixtures } from '../../platform/http/access.ts'
import type { VehicleFixtures } from '../vehicles/index.ts'
import { insertJob, insertLines } from './jobs.repository.ts'
import { seedEstimate } from './estimates.seed.ts'
import type { WorkOrderStatus } from './work-order.machine.ts'
import { insertWorkOrder } from './work-orders.repository.ts'

/** One order of customer A's vehicle, assigned to the matrix's assigned mechanic, with a job and a line. */
export interface MatrixWorkOrder {
  id: number
  jobId: number
  lineId: number
}

/** What the work-order rows need beyond the base accounts and vehicles. */
export interface WorkOrderFixtures {
  /** A draft order of customer A's vehicle A, assigned to the assigned mechanic: read by cells, never changed. */
  workOrderA: MatrixWorkOrder
  /** A new such order in this status, its job in this status (for cells that change one). */
  freshWorkOrder(status?: WorkOrderStatus, jobStatus?: 'proposed' | 'approved'): Promise<MatrixWorkOrder>
  /** A new awaiting order with its job on a sent estimate: the hash and share token to decide it with. */
  sentWorkOrder(): Promise<MatrixWorkOrder & { estimateHash: string; token: string }>
}

type Fx = BaseFixtures & VehicleFixtures & WorkOrderFixtures

async function orderOf(fx: BaseFixtures & VehicleFixtures, status: WorkOrderStatus, jobStatus: 'proposed' | 'approved'): Promise<MatrixWorkOrder> {
  const row = await insertWorkOrder(fx.db, {
    vehicleId: fx.vehicleA.id,
    customerId: fx.customerA.id,
    status,
    mechanicId: fx.assignedMechanic.id,
    advisorId: fx.advisor.id,
    odometerIn: 42_000,
    concerns: ['Noise from the front'],
  })
  const job = await insertJob(fx.db, { workOrderId: row.id, title: 'Front brakes', status: jobStatus, position: 1 })
  const [line] = await insertLines(fx.db, [{ jobId: job.id, kind: 'labour', description: 'Labour', quantityHundredths: 100, unitPriceCents: 9_000, discountCents: 0, position: 1 }])
  return { id: row.id, jobId: job.id, lineId: line!.id }
}

// Customers hold only the read permission; mechanics not assigned to the order get 404 wherever the assigned one passes.
const floorWrite = (ok: number) => expectAll(ok, { anonymous: 401, customerA: 403, customerB: 403, mechanic: 404 })
const officeWrite = (ok: number) => expectAll(ok, { anonymous: 401, customerA: 403, customerB: 403, assignedMechanic: 403, mechanic: 403 })
const freshUrl = async (fx: Fx, path: (o: MatrixWorkOrder) => string, status: WorkOrderStatus = 'draft', jobStatus: 'proposed' | 'approved' = 'proposed') =>
  path(await fx.freshWorkOrder(status, jobStatus))

/** Work orders: the customer reads their own, the assigned mechanic works on theirs, the desk does everything. */
export const workOrdersAccess = defineAccess<VehicleFixtures, WorkOrderFixtures>({
  async fixtures(fx) {
    return {
      workOrderA: await orderOf(fx, 'draft', 'proposed'),
      freshWorkOrder: (status = 'draft', jobStatus = 'proposed') => orderOf(fx, status, jobStatus),
      async sentWorkOrder() {
        const order = await orderOf(fx, 'awaiting_approval', 'proposed')
        const { hash, token } = await seedEstimate(fx.db, { workOrderId: order.id, sentBy: fx.advisor.id })
        return { ...order, estimateHash: hash, token }
      },
    }
  },
  rows: {
    'GET /api/work-orders': { expected: expectAll(200, { anonymous: 401 }), request: () => ({ url: '/api/work-orders' }) },
    'POST /api/work-orders': {
      expected: officeWrite(201),
      request: (fx) => ({ url: '/api/work-orders', payload: { vehicleId: fx.vehicleA.id, odometerIn: 42_100, mechanicId: fx.assignedMechanic.id } }),
    },
    'GET /api/work-orders/{id}': {
      expected: expectAll(200, { anonymous: 401, customerB: 404, mechanic: 404 }),
      request: (fx) => ({ url: `/api/work-orders/${fx.workOrderA.id}` }),
    },
    'PATCH /api/work-orders/{id}': {
      expected: floorWrite(200),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}`), payload: { notes: 'Checked by the matrix' } }),
    },
    'POST /api/work-orders/{id}/status': {
      expected: floorWrite(200),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/status`, 'approved', 'approved'), payload: { status: 'in_progress' } }),
    },
    'POST /api/work-orders/{id}/jobs': {
      expected: floorWrite(201),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/jobs`), payload: { title: 'Wiper blades', concern: 'Streaking' } }),
    },
    'PATCH /api/work-orders/{id}/jobs/{jobId}': {
      expected: floorWrite(200),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/jobs/${o.jobId}`), payload: { cause: 'Worn pads' } }),
    },
    'DELETE /api/work-orders/{id}/jobs/{jobId}': {
      expected: officeWrite(204),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/jobs/${o.jobId}`) }),
    },
    'POST /api/work-orders/{id}/jobs/{jobId}/lines': {
      expected: officeWrite(201),
      request: async (fx) => ({
        url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/jobs/${o.jobId}/lines`),
        payload: { kind: 'part', description: 'Brake pads', quantity: 1, unitPriceCents: 6_900 },
      }),
    },
    'PATCH /api/work-orders/{id}/jobs/{jobId}/lines/{lineId}': {
      expected: officeWrite(200),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/jobs/${o.jobId}/lines/${o.lineId}`), payload: { quantity: 1.5 } }),
    },
    'DELETE /api/work-orders/{id}/jobs/{jobId}/lines/{lineId}': {
      expected: officeWrite(204),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/jobs/${o.jobId}/lines/${o.lineId}`) }),
    },
    'POST /api/work-orders/{id}/jobs/{jobId}/clock': {
      expected: expectAll(403, { anonymous: 401, assignedMechanic: 200, mechanic: 404 }),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/jobs/${o.jobId}/clock`, 'in_progress', 'approved'), payload: { action: 'start' } }),
    },
    'POST /api/work-orders/{id}/estimates': {
      expected: officeWrite(201),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/estimates`) }),
    },
    'POST /api/work-orders/{id}/decisions': {
      expected: expectAll(201, { anonymous: 401, customerB: 404, assignedMechanic: 403, mechanic: 403 }),
      request: async (fx, actor) => {
        const order = await fx.sentWorkOrder()
        const staff = actor !== 'customerA' && actor !== 'customerB'
        return {
          url: `/api/work-orders/${order.id}/decisions`,
          payload: { estimateHash: order.estimateHash, decisions: [{ jobId: order.jobId, decision: 'approved' }], ...(staff ? { method: 'phone' } : {}) },
        }
      },
    },
    'GET /api/work-orders/{id}/approvals': {
      expected: expectAll(200, { anonymous: 401, customerB: 404, mechanic: 404 }),
      request: (fx) => ({ url: `/api/work-orders/${fx.workOrderA.id}/approvals` }),
    },
    // The link is the credential: whoever holds it, signed in or not, as the account links.
    'GET /api/estimates/{token}': {
      expected: expectAll(200),
      request: async (fx) => ({ url: `/api/estimates/${(await fx.sentWorkOrder()).token}` }),
    },
    'POST /api/estimates/{token}/decisions': {
      expected: expectAll(201),
      request: async (fx) => {
        const order = await fx.sentWorkOrder()
        return { url: `/api/estimates/${order.token}/decisions`, payload: { estimateHash: order.estimateHash, name: 'Alex Driver', decisions: [{ jobId: order.jobId, decision: 'approved' }] } }
      },
    },
    'GET /api/work-orders/{id}/inspection': {
      expected: floorWrite(200),
      request: (fx) => ({ url: `/api/work-orders/${fx.workOrderA.id}/inspection` }),
    },
    'PUT /api/work-orders/{id}/inspection': {
      expected: floorWrite(200),
      request: async (fx) => ({ url: await freshUrl(fx, (o) => `/api/work-orders/${o.id}/inspection`), payload: { items: [{ name: 'Tyres', result: 'ok' }] } }),
    },
  },
})

/** The fixture type other modules' fixtures build on. */
export type { Fx as WorkOrderAccessFixtures }
