import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'
import { shopTag } from '../shop/index.ts'

/*
 * Cache keys and tags of work orders, and which write touches which. Every write on an order (its
 * fields, status, jobs, lines) changes what its detail and every list showing it hold (lists carry
 * status, updatedAt and totals), so it touches the order's tag and the lists of everyone who sees it:
 * staff (`work_orders`), the customer, and the assigned mechanic (an assignment change: old and new).
 */

/** Everything derived from one work order (its detail, with jobs, lines, time entries, totals). */
export const workOrderTag = tagFamily<[number]>('work_order:<id>', 'everything derived from one work order')

/** A work order's inspection checklist. */
export const workOrderInspectionTag = tagFamily<[number]>('work_order:<id>:inspection', "one work order's inspection checklist")

/** Every staff list of work orders. */
export const allWorkOrdersTag = tagFamily('work_orders', 'every staff (advisor, admin) list of work orders')

/** One customer's lists of their work orders. */
export const customerWorkOrdersTag = tagFamily<[number]>('customer:<id>:work_orders', "one customer's lists of their work orders")

/** One mechanic's lists of the work orders assigned to them. */
export const mechanicWorkOrdersTag = tagFamily<[number]>('mechanic:<id>:work_orders', 'one mechanic\'s lists of the work orders assigned to them')

/** Everything derived from one vehicle's work orders, jobs, decisions and inspections: its history. */
export const vehicleWorkOrdersTag = tagFamily<[number]>('vehicle:<id>:work_orders', "everything derived from one vehicle's work orders (its history)")

/** Cache namespaces of work-order entries. */
export const WORK_ORDER_NAMESPACES = {
  list: 'work_order_list',
  one: 'work_order_detail',
  inspection: 'work_order_inspection',
  approvals: 'work_order_approvals',
} as const

const EVERY_ORDER_WRITE = [workOrderTag, allWorkOrdersTag, customerWorkOrdersTag, mechanicWorkOrdersTag, vehicleWorkOrdersTag]

/** The work-orders module's cache declaration. */
export const WORK_ORDERS_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: WORK_ORDER_NAMESPACES.list,
      kind: 'response',
      key: 'work_order_list_u<userId>_<role>_<route pattern>|<params>|<validated query>',
      holds:
        "GET /api/work-orders, per user (**not cached** with `q`): a customer's carries `customer:<userId>:work_orders`, a mechanic's " +
        '`mechanic:<userId>:work_orders`, staff\'s `work_orders`; all carry `shop` (totals use its tax rates)',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [customerWorkOrdersTag, mechanicWorkOrdersTag, allWorkOrdersTag, shopTag],
    },
    {
      name: WORK_ORDER_NAMESPACES.one,
      kind: 'response',
      key: 'work_order_detail_u<userId>_<role>_/api/work-orders/:id|{"id":<id>}|{}',
      holds: 'GET /api/work-orders/:id, per user: the order with jobs, lines, time entries and totals (tax rates from the shop)',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [workOrderTag, shopTag],
    },
    {
      name: WORK_ORDER_NAMESPACES.inspection,
      kind: 'response',
      key: 'work_order_inspection_u<userId>_<role>_/api/work-orders/:id/inspection|{"id":<id>}|{}',
      holds: 'GET /api/work-orders/:id/inspection, per user; reach (the assigned mechanic) also follows `work_order:<id>`',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [workOrderInspectionTag, workOrderTag],
    },
    {
      name: WORK_ORDER_NAMESPACES.approvals,
      kind: 'response',
      key: 'work_order_approvals_u<userId>_<role>_/api/work-orders/:id/approvals|{"id":<id>}|{}',
      holds: 'GET /api/work-orders/:id/approvals, per user: every decision on the order',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [workOrderTag],
    },
  ],
  tags: [workOrderTag, workOrderInspectionTag, allWorkOrdersTag, customerWorkOrdersTag, mechanicWorkOrdersTag, vehicleWorkOrdersTag],
  writes: [
    { write: 'POST /api/work-orders', touches: EVERY_ORDER_WRITE, note: '`work_order:<new id>`: a 404 for that id may be cached' },
    { write: 'PATCH /api/work-orders/:id', touches: EVERY_ORDER_WRITE, note: 'on a reassignment the old and the new mechanic\'s lists' },
    { write: 'POST /api/work-orders/:id/status', touches: EVERY_ORDER_WRITE },
    { write: 'POST, PATCH, DELETE /api/work-orders/:id/jobs[/:jobId][/lines[/:lineId]]', touches: EVERY_ORDER_WRITE, note: 'lists show totals and updatedAt' },
    { write: 'POST /api/work-orders/:id/jobs/:jobId/clock', touches: [workOrderTag], note: 'time entries show in the detail only; starting a job stops the mechanic\'s open entry, whose order is touched too' },
    { write: 'PUT /api/work-orders/:id/inspection', touches: [workOrderInspectionTag, vehicleWorkOrdersTag], note: "the vehicle's history lists its inspections" },
    { write: 'POST /api/work-orders/:id/estimates', touches: EVERY_ORDER_WRITE, note: 'the order\'s estimate and status (the first moves it to awaiting_approval)' },
    { write: 'POST /api/work-orders/:id/decisions, POST /api/estimates/:token/decisions', touches: EVERY_ORDER_WRITE, note: 'jobs\' status and decision, the order\'s status' },
    { write: 'appointment check-in (createWorkOrderFromCheckIn), demo seed', touches: EVERY_ORDER_WRITE },
  ],
}
