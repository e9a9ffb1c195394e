import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'
import { EmailSchema, NameSchema, PasswordSchema, PhoneSchema } from '../users/index.ts'
import { VehicleSchema } from '../vehicles/index.ts'
import type { CustomerRow } from '../users/index.ts'

const Timestamp = Type.String({ format: 'date-time' })

/** A customer account as staff see it. */
export const CustomerSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  notes: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "The front desk's notes on the customer: staff only, never shown to the customer" })),
  remindersConsent: Type.Boolean({ description: 'Service reminders may be mailed (api-contract.md, Mail)' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, {
  title: 'Customer',
  description: 'A customer account as staff see it',
  examples: [
    {
      id: 7,
      email: 'jo@example.com',
      name: 'Jo Driver',
      phone: '07700 900123',
      active: true,
      notes: 'Prefers a call after 5 pm',
      remindersConsent: true,
      createdAt: '2026-02-10T14:00:00.000Z',
      updatedAt: '2026-02-10T14:00:00.000Z',
    },
  ],
})
export type Customer = Static<typeof CustomerSchema>

/** The customer object as the customer themself sees it: the front desk's notes are internal. */
export function toOwnCustomer(row: CustomerRow): Customer {
  const { notes: _internal, ...own } = toCustomer(row)
  return own
}

/** The API object of a customer row. */
export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    active: row.active,
    notes: row.notes,
    remindersConsent: row.remindersConsent,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** `{ items, nextCursor }` of customers. */
export const CustomerList = ListOf(CustomerSchema)

/** All of a customer's vehicles, unpaginated (the seed's get_customer_vehicles). */
export const CustomerVehicles = Type.Object(
  {
    items: Type.Array(VehicleSchema),
    nextCursor: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Only when limit or cursor was given' })),
  },
  { title: 'CustomerVehicles', description: "A customer's vehicles: all of them, or one page when limit or cursor is given" },
)

/** `?limit=&cursor=` of GET /api/customers/:id/vehicles: without either, every vehicle and no nextCursor. */
export const CustomerVehiclesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: PageQuery.cursor,
  },
  { additionalProperties: false },
)
export type CustomerVehiclesInput = Static<typeof CustomerVehiclesQuery>

/** `?q=&limit=&cursor=` of GET /api/customers. */
export const ListCustomersQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          "Words separated by spaces, each a case-insensitive literal substring (after NFKC) of name, email, phone or the plate or VIN " +
          'of one of the customer\'s vehicles; a word with letters or digits also matches phones, plates and VINs with spaces, -, . and / ignored',
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type ListCustomersInput = Static<typeof ListCustomersQuery>

/** The body of POST /api/customers: a customer account opened at the front desk. */
export const CreateCustomerBody = Type.Object(
  {
    // Without a password the account cannot sign in until one is set.
    email: EmailSchema,
    name: NameSchema,
    phone: Type.Optional(PhoneSchema),
    password: Type.Optional(PasswordSchema),
  },
  { additionalProperties: false },
)
export type CreateCustomerInput = Static<typeof CreateCustomerBody>

/** The body of PATCH /api/customers/:id: any subset; `phone: null` and `notes: null` clear them. */
export const UpdateCustomerBody = Type.Object(
  {
    name: Type.Optional(NameSchema),
    phone: Type.Optional(Type.Union([PhoneSchema, Type.Null()])),
    email: Type.Optional(EmailSchema),
    notes: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
    remindersConsent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateCustomerInput = Static<typeof UpdateCustomerBody>
