import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'
import { EmailSchema, NameSchema, PasswordSchema, PhoneSchema } from '../users/users.schemas.ts'
import { VehicleSchema } from '../vehicles/vehicles.schemas.ts'
import type { CustomerRow } from './customers.repository.ts'

const Timestamp = Type.String({ format: 'date-time' })

/** A customer account as staff see it. */
export const CustomerSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Customer = Static<typeof CustomerSchema>

/** The API object of a customer row. */
export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** `{ items, nextCursor }` of customers. */
export const CustomerList = ListOf(CustomerSchema)

/** All of a customer's vehicles, unpaginated (the seed's get_customer_vehicles). */
export const CustomerVehicles = Type.Object({
  items: Type.Array(VehicleSchema),
  nextCursor: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Only when limit or cursor was given' })),
})

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
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Case-insensitive literal substring of name, email or phone' })),
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
