import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'

/** Upper bounds that keep every value far inside its column and a real garage's range. */
export const MAX_LABOUR_HOURS = 100
export const MAX_INTERVAL_MONTHS = 120
export const MAX_INTERVAL_KM = 1_000_000

const Code = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$',
  'x-pattern-message': 'must be 1 to 32 letters, digits, - or _, starting with a letter or digit',
  description: 'Short code for the counter and the board, e.g. OIL-FILTER; stored upper-case; unique (409 ECAR_ERR_SERVICE_CODE_TAKEN)',
})
const Name = Type.String({ minLength: 1, maxLength: 120, [TEXT_KEYWORD]: true, description: 'Trimmed' })
const Description = Type.String({ maxLength: 2000, description: 'What the job includes, as the customer reads it' })
const LabourHours = Type.Number({
  exclusiveMinimum: 0,
  maximum: MAX_LABOUR_HOURS,
  description: 'Book time in hours: > 0 with at most 2 decimals (0.25 = 15 minutes)',
})
const IntervalMonths = Type.Union([Type.Integer({ minimum: 1, maximum: MAX_INTERVAL_MONTHS }), Type.Null()], {
  description: 'Due again this many months after it was done (reminders); null: no time interval',
})
const IntervalKm = Type.Union([Type.Integer({ minimum: 1, maximum: MAX_INTERVAL_KM }), Type.Null()], {
  description: 'Due again this many km after it was done, whichever comes first; null: no distance interval',
})
const Active = Type.Boolean({ description: 'Inactive services are hidden from customers and cannot be booked' })
// Parts arrive with the parts issue: until then a service has no parts, and a non-empty list is refused.
const Parts = Type.Array(
  Type.Object({ partId: Type.Integer({ minimum: 1 }), quantity: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }),
  { maxItems: 0, description: 'Parts arrive with the parts issue: until then always [] (a non-empty list is 400)' },
)

/** A service of the catalogue as the API shows it. */
export const ServiceSchema = Type.Object(
  {
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    description: Type.String(),
    labourHours: Type.Number(),
    parts: Type.Array(Type.Object({ partId: Type.Integer(), quantity: Type.Number() }, { additionalProperties: false })),
    intervalMonths: Type.Union([Type.Integer(), Type.Null()]),
    intervalKm: Type.Union([Type.Integer(), Type.Null()]),
    active: Type.Boolean(),
    estimatePriceCents: Type.Integer({
      description:
        "labourHours × the shop's labourRateCents, rounded half away from zero, plus the parts at their prices (parts arrive with " +
        'the parts issue and count 0 until then); before tax and discounts. Follows the shop\'s rate at once',
    }),
  },
  {
    title: 'Service',
    additionalProperties: false,
    examples: [
      { id: 1, code: 'OIL-FILTER', name: 'Oil and filter change', description: 'Drain and refill engine oil, new oil filter', labourHours: 0.5, parts: [], intervalMonths: 12, intervalKm: 15000, active: true, estimatePriceCents: 4750 },
    ],
  },
)
export type Service = Static<typeof ServiceSchema>

/** `{ items, nextCursor }` of services. */
export const ServiceList = ListOf(ServiceSchema)

/** `?active=&limit=&cursor=` of GET /api/services. */
export const ListServicesQuery = Type.Object(
  { active: Type.Optional(Type.Boolean({ description: 'Staff: only active (true) or inactive (false) services; customers always see active ones only' })), ...PageQuery },
  { additionalProperties: false },
)
export type ListServicesInput = Static<typeof ListServicesQuery>

/** The body of POST /api/services. */
export const CreateServiceBody = Type.Object(
  {
    code: Code,
    name: Name,
    description: Type.Optional(Description),
    labourHours: LabourHours,
    parts: Type.Optional(Parts),
    intervalMonths: Type.Optional(IntervalMonths),
    intervalKm: Type.Optional(IntervalKm),
    active: Type.Optional(Active),
  },
  { additionalProperties: false },
)
export type CreateServiceInput = Static<typeof CreateServiceBody>

/** The body of PATCH /api/services/:id: any writable field, at least one. */
export const UpdateServiceBody = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    labourHours: Type.Optional(LabourHours),
    parts: Type.Optional(Parts),
    intervalMonths: Type.Optional(IntervalMonths),
    intervalKm: Type.Optional(IntervalKm),
    active: Type.Optional(Active),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateServiceInput = Static<typeof UpdateServiceBody>
