import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'
import { WORK_ORDER_STATUSES } from './work-order.machine.ts'

const id = (description?: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, ...(description ? { description } : {}) })
const Timestamp = Type.String({ format: 'date-time' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
// Trimmed, with at least one visible character.
const text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, [TEXT_KEYWORD]: true, description })
/** Above any real odometer, as the vehicles' mileage. */
export const MAX_ODOMETER = 2_000_000
const Odometer = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_ODOMETER, description })
const Concerns = Type.Array(text(500, 'One concern in the customer\'s words'), { maxItems: 20, description: 'The customer\'s concerns, up to 20' })

/** A status of a work order. */
export const WorkOrderStatusSchema = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('awaiting_approval'),
    Type.Literal('approved'),
    Type.Literal('in_progress'),
    Type.Literal('completed'),
    Type.Literal('invoiced'),
    Type.Literal('declined'),
    Type.Literal('void'),
  ],
  { description: `One of ${WORK_ORDER_STATUSES.join(', ')} (the machine of work-order.machine.ts)` },
)

/** The totals of a work order: sums over the jobs not declined (src/kernel/money.ts). */
export const TotalsSchema = Type.Object(
  {
    labourCents: Type.Integer(),
    partsCents: Type.Integer(),
    feesCents: Type.Integer(),
    discountCents: Type.Integer(),
    subtotalCents: Type.Integer(),
    taxCents: Type.Integer(),
    totalCents: Type.Integer(),
  },
  { title: 'WorkOrderTotals', description: 'Σ net by kind, Σ discounts, subtotal = Σ net, tax per kind at the shop\'s current rates, total' },
)

/** A line of a job as the API shows it. */
export const LineSchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.Union([Type.Literal('labour'), Type.Literal('part'), Type.Literal('fee')]),
    description: Type.String(),
    quantity: Type.Number({ description: 'Hours or units, at most 2 decimals' }),
    unitPriceCents: Type.Integer(),
    discountCents: Type.Integer(),
    amountCents: Type.Integer({ description: 'quantity × unitPriceCents, rounded half away from zero' }),
    netCents: Type.Integer({ description: 'amountCents − discountCents' }),
    partId: Nullable(Type.Integer()),
    reservedQuantity: Type.Number({ description: 'Part lines: the quantity reserved in stock (parts arrive later: 0)' }),
    backorderedQuantity: Type.Number({ description: 'Part lines: the quantity waiting for stock (parts arrive later: 0)' }),
  },
  { title: 'WorkOrderLine' },
)
export type Line = Static<typeof LineSchema>

/** A clocked time entry. */
export const TimeEntrySchema = Type.Object(
  { id: Type.Integer(), jobId: Type.Integer(), mechanicId: Type.Integer(), startedAt: Timestamp, stoppedAt: Nullable(Timestamp) },
  { title: 'TimeEntry' },
)
export type TimeEntry = Static<typeof TimeEntrySchema>

const Method = Type.Union([Type.Literal('portal'), Type.Literal('share_link'), Type.Literal('phone'), Type.Literal('in_person')])

/** The customer's decision on a job, as recorded (never changed). */
export const JobDecisionSchema = Type.Object(
  {
    decision: Type.Union([Type.Literal('approved'), Type.Literal('declined')]),
    byUserId: Nullable(Type.Integer({ description: 'The signed-in user who recorded it (the owner on the portal, staff on the phone); null through the share link' })),
    byName: Type.String({ description: 'The customer who decided: their account name, or the name given on the share link' }),
    method: Method,
    at: Timestamp,
    estimateVersion: Type.Integer(),
    estimateHash: Type.String(),
  },
  { title: 'JobDecision' },
)
export type JobDecision = Static<typeof JobDecisionSchema>

/** `{ version, hash, sentAt }` of an order's latest estimate. */
export const EstimateRefSchema = Type.Object({ version: Type.Integer(), hash: Type.String(), sentAt: Timestamp }, { title: 'EstimateRef' })

/** A job as the API shows it. */
export const JobSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    serviceId: Nullable(Type.Integer()),
    concern: Nullable(Type.String()),
    cause: Nullable(Type.String()),
    correction: Nullable(Type.String()),
    status: Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('declined')]),
    completedAt: Nullable(Timestamp),
    decision: Nullable(JobDecisionSchema),
    lines: Type.Array(LineSchema),
    timeEntries: Type.Array(TimeEntrySchema),
  },
  { title: 'WorkOrderJob' },
)
export type Job = Static<typeof JobSchema>

const orderFields = {
  id: Type.Integer(),
  number: Type.String({ description: 'WO-000123' }),
  status: WorkOrderStatusSchema,
  label: Nullable(Type.String()),
  customerId: Type.Integer(),
  vehicleId: Type.Integer(),
  appointmentId: Nullable(Type.Integer()),
  advisorId: Nullable(Type.Integer()),
  mechanicId: Nullable(Type.Integer()),
  bayId: Nullable(Type.Integer()),
  odometerIn: Type.Integer(),
  odometerOut: Nullable(Type.Integer()),
  promisedAt: Nullable(Timestamp),
  completedAt: Type.Union([Timestamp, Type.Null()], { description: 'When the order was completed (kept once invoiced); null while open, after a reopen, or void' }),
  concerns: Type.Array(Type.String()),
  notes: Nullable(Type.String()),
  estimate: Type.Union([EstimateRefSchema, Type.Null()], { description: 'The latest estimate sent; null before the first' }),
  totals: TotalsSchema,
  invoiceId: Nullable(Type.Integer()),
  voidReason: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}

/** A work order in a list: everything but the jobs. */
export const WorkOrderSummarySchema = Type.Object(orderFields, { title: 'WorkOrderSummary', description: 'A work order without its jobs (GET /api/work-orders/:id has them)' })
export type WorkOrderSummary = Static<typeof WorkOrderSummarySchema>

/** A work order with its jobs, lines and time entries. */
export const WorkOrderSchema = Type.Object({ ...orderFields, jobs: Type.Array(JobSchema) }, { title: 'WorkOrder' })
export type WorkOrder = Static<typeof WorkOrderSchema>

/** `{ items, nextCursor }` of work orders. */
export const WorkOrderList = ListOf(WorkOrderSummarySchema)

/** `?status=&mechanicId=&customerId=&vehicleId=&q=` of GET /api/work-orders. */
export const ListWorkOrdersQuery = Type.Object(
  {
    status: Type.Optional(WorkOrderStatusSchema),
    mechanicId: Type.Optional(id('Only orders assigned to this mechanic (within what the caller sees)')),
    customerId: Type.Optional(id('Only this customer\'s orders (within what the caller sees)')),
    vehicleId: Type.Optional(id('Only this vehicle\'s orders (within what the caller sees)')),
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'Every word, case-insensitive, in the number, the plate, the VIN or the customer\'s name; not cached' }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type ListWorkOrdersInput = Static<typeof ListWorkOrdersQuery>

/** The body of POST /api/work-orders. */
export const CreateWorkOrderBody = Type.Object(
  {
    vehicleId: id('The vehicle; its owner becomes the customer'),
    odometerIn: Odometer('The odometer reading at drop-off'),
    concerns: Type.Optional(Concerns),
    mechanicId: Type.Optional(id('An active mechanic (400 otherwise)')),
    bayId: Type.Optional(id('An active bay (400 otherwise)')),
    promisedAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
)
export type CreateWorkOrderInput = Static<typeof CreateWorkOrderBody>

/** The body of PATCH /api/work-orders/:id. */
export const UpdateWorkOrderBody = Type.Object(
  {
    label: Type.Optional(Nullable(text(100, 'Free text for the board: waiting for parts, quality check'))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    concerns: Type.Optional(Concerns),
    mechanicId: Type.Optional(Nullable(id('An active mechanic, or null to unassign'))),
    bayId: Type.Optional(Nullable(id('An active bay, or null'))),
    promisedAt: Type.Optional(Nullable(Timestamp)),
    odometerIn: Type.Optional(Odometer('Corrects the drop-off reading')),
    odometerOut: Type.Optional(Nullable(Odometer('The reading at pick-up, at least odometerIn'))),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateWorkOrderInput = Static<typeof UpdateWorkOrderBody>

/** The body of POST /api/work-orders/:id/status. */
export const StatusBody = Type.Object(
  {
    status: WorkOrderStatusSchema,
    reason: Type.Optional(text(500, 'Why the order is voided: required for void')),
    odometerOut: Type.Optional(Odometer('For completed: the reading at pick-up, unless already set')),
  },
  { additionalProperties: false },
)
export type StatusInput = Static<typeof StatusBody>

/** `/:id/jobs/:jobId` path parameters. */
export const JobParams = Type.Object({ id: id('Decimal digits only'), jobId: id('Decimal digits only') })
/** `/:id/jobs/:jobId/lines/:lineId` path parameters. */
export const LineParams = Type.Object({ id: id('Decimal digits only'), jobId: id('Decimal digits only'), lineId: id('Decimal digits only') })
