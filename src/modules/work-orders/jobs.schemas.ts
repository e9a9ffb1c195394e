import { Type, type Static } from 'typebox'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'

const id = (description: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, description })
const text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, [TEXT_KEYWORD]: true, description })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
/** Quantities are checked exactly by quantityToHundredths (at most 2 decimals); the schema bounds them. */
export const MAX_QUANTITY = 99_999.99
const Quantity = Type.Number({ exclusiveMinimum: 0, maximum: MAX_QUANTITY, description: 'Hours or units, > 0 with at most 2 decimals' })
const Cents = (description: string) => Type.Integer({ minimum: 0, maximum: 100_000_000, description })
const Kind = Type.Union([Type.Literal('labour'), Type.Literal('part'), Type.Literal('fee')])

/** The body of POST /api/work-orders/:id/jobs. */
export const CreateJobBody = Type.Object(
  {
    title: text(200, 'What the job is'),
    concern: Type.Optional(text(1000, 'The concern it answers')),
    serviceId: Type.Optional(id('A service of the catalogue: staff at the desk get its labour and part lines')),
  },
  { additionalProperties: false },
)
export type CreateJobInput = Static<typeof CreateJobBody>

/** The body of PATCH /api/work-orders/:id/jobs/:jobId. */
export const UpdateJobBody = Type.Object(
  {
    title: Type.Optional(text(200, 'Only while proposed')),
    concern: Type.Optional(Nullable(text(1000, 'Only while proposed'))),
    cause: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    correction: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    completed: Type.Optional(Type.Boolean({ description: 'true marks an approved job done (completedAt now); false undoes it' })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateJobInput = Static<typeof UpdateJobBody>

/** The body of POST /api/work-orders/:id/jobs/:jobId/lines. */
export const CreateLineBody = Type.Object(
  {
    kind: Kind,
    description: text(300, 'What the customer sees on the estimate and invoice'),
    quantity: Quantity,
    unitPriceCents: Type.Optional(Cents('Labour: defaults to the shop\'s labourRateCents; part: 0 until parts exist; fee: required')),
    discountCents: Type.Optional(Cents('0 to the line\'s amount (400 above it); default 0')),
    partId: Type.Optional(Nullable(id('Part lines: the part (the parts module arrives later)'))),
  },
  { additionalProperties: false },
)
export type CreateLineInput = Static<typeof CreateLineBody>

/** The body of PATCH /api/work-orders/:id/jobs/:jobId/lines/:lineId. */
export const UpdateLineBody = Type.Object(
  {
    description: Type.Optional(text(300, 'What the customer sees')),
    quantity: Type.Optional(Quantity),
    unitPriceCents: Type.Optional(Cents('Unit price')),
    discountCents: Type.Optional(Cents('0 to the line\'s amount')),
    partId: Type.Optional(Nullable(id('Part lines: the part'))),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateLineInput = Static<typeof UpdateLineBody>

/** The body of POST /api/work-orders/:id/jobs/:jobId/clock. */
export const ClockBody = Type.Object({ action: Type.Union([Type.Literal('start'), Type.Literal('stop')]) }, { additionalProperties: false })
export type ClockInput = Static<typeof ClockBody>

const InspectionItemSchema = Type.Object(
  {
    name: text(100, 'The checkpoint: brake pads front, tyre tread, …'),
    result: Type.Union([Type.Literal('ok'), Type.Literal('attention'), Type.Literal('urgent')]),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
)

/** The body of PUT /api/work-orders/:id/inspection: the whole checklist. */
export const InspectionBody = Type.Object({ items: Type.Array(InspectionItemSchema, { maxItems: 200 }) }, { additionalProperties: false })
export type InspectionInput = Static<typeof InspectionBody>

/** A work order's inspection. */
export const InspectionSchema = Type.Object(
  {
    workOrderId: Type.Integer(),
    items: Type.Array(Type.Object({ name: Type.String(), result: Type.String(), note: Type.Optional(Type.String()) })),
    updatedAt: Nullable(Type.String({ format: 'date-time' })),
    updatedBy: Nullable(Type.Integer()),
  },
  { title: 'Inspection', description: 'Empty items and null updatedAt until the first PUT' },
)
export type Inspection = Static<typeof InspectionSchema>

/** The answer of the clock: the entry started or stopped, and the one a start stopped elsewhere. */
export const ClockResult = Type.Object(
  {
    entry: Type.Object({ id: Type.Integer(), jobId: Type.Integer(), mechanicId: Type.Integer(), startedAt: Type.String(), stoppedAt: Nullable(Type.String()) }),
    stopped: Nullable(Type.Object({ id: Type.Integer(), jobId: Type.Integer(), mechanicId: Type.Integer(), startedAt: Type.String(), stoppedAt: Nullable(Type.String()) })),
  },
  { title: 'ClockResult' },
)
