import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'
import type { VehicleRow } from './vehicles.table.ts'

/** The oldest model year accepted: Benz's Patent-Motorwagen. */
export const FIRST_MODEL_YEAR = 1886
/** Above any real odometer; also keeps the value far from the integer column's limit. */
export const MAX_MILEAGE = 2_000_000

const id = (description?: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, ...(description ? { description } : {}) })
const Timestamp = Type.String({ format: 'date-time' })
// Trimmed, with at least one visible character: a text of blanks or zero-width spaces is no text.
const text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, [TEXT_KEYWORD]: true, description })

const Make = text(64, 'Manufacturer, e.g. Ford; trimmed')
const Model = text(64, 'Model name, e.g. Focus; trimmed')
const LicensePlate = text(16, 'Trimmed')
const Color = text(32, 'Trimmed')
// Lower case is accepted and stored upper-case; I, O and Q are never valid VIN characters.
const Vin = Type.String({
  pattern: '^[A-HJ-NPR-Za-hj-npr-z0-9]{17}$',
  'x-pattern-message': 'must be 17 characters A-Z and 0-9 without I, O and Q',
  description: '17 characters A-Z and 0-9 without I, O, Q; case-insensitive on input, stored upper-case; unique (409 ECAR_ERR_DUPLICATE_VIN)',
})
// The upper bound depends on the date of the request, so the service checks it (400 on body.year).
const Year = Type.Integer({ minimum: FIRST_MODEL_YEAR, description: `${FIRST_MODEL_YEAR} to next calendar year` })
const Mileage = Type.Integer({
  minimum: 0,
  maximum: MAX_MILEAGE,
  description:
    'In the vehicle\'s odometerUnit. Recorded as an odometer reading (the first one on create); never lowered by an update ' +
    '(409 ECAR_ERR_MILEAGE_DECREASE, for everyone): staff lower it only as an odometer correction with a reason ' +
    '(POST /api/vehicles/:id/odometer)',
})

/** `km` or `mi`: what the vehicle's odometer counts in. */
export const OdometerUnitSchema = Type.Union([Type.Literal('km'), Type.Literal('mi')], {
  description: "km or mi: the unit of mileage and of readings given without one; new vehicles default to the shop's odometerUnit",
})

/** A vehicle's owner as staff see it beside the vehicle: who to call when the car is ready. */
export const OwnerSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'Staff only (customers see their own vehicles without it); always the current name and phone' },
)
export type Owner = Static<typeof OwnerSchema>

/** A vehicle as the API shows it. */
export const VehicleSchema = Type.Object({
  id: Type.Integer(),
  ownerId: Type.Integer(),
  owner: Type.Optional(OwnerSchema),
  make: Type.String(),
  model: Type.String(),
  year: Type.Integer(),
  vin: Type.String(),
  licensePlate: Type.String(),
  mileage: Type.Integer({ description: 'In odometerUnit: the latest odometer reading by recordedAt, converted to odometerUnit when it was taken in the other unit' }),
  odometerUnit: OdometerUnitSchema,
  color: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}, {
  title: 'Vehicle',
  description: 'A vehicle as the API shows it',
  examples: [
    {
      id: 42,
      ownerId: 7,
      make: 'Ford',
      model: 'Focus',
      year: 2019,
      vin: 'WF0XXXGCDX1234567',
      licensePlate: 'AB18 CDE',
      mileage: 48210,
      odometerUnit: 'km',
      color: 'Blue',
      createdAt: '2026-03-01T09:30:00.000Z',
      updatedAt: '2026-03-01T09:30:00.000Z',
    },
  ],
})
export type Vehicle = Static<typeof VehicleSchema>

/** The API object of a vehicle row, with its owner when given (staff answers). */
export function toVehicle(row: VehicleRow, owner?: Owner): Vehicle {
  return {
    id: row.id,
    ownerId: row.ownerId,
    ...(owner ? { owner: { id: owner.id, name: owner.name, phone: owner.phone } } : {}),
    make: row.make,
    model: row.model,
    year: row.year,
    vin: row.vin,
    licensePlate: row.licensePlate,
    mileage: row.mileage,
    odometerUnit: row.odometerUnit,
    color: row.color,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** A vehicle as a create or update answers it: with `warnings` when there are any (a North-American VIN's wrong check digit). */
export const WrittenVehicleSchema = Type.Object(
  {
    ...VehicleSchema.properties,
    warnings: Type.Optional(
      Type.Array(Type.String(), {
        minItems: 1,
        description:
          'Present only when there is something to report that does not refuse the write: a North-American VIN (first character 1-5) ' +
          'whose check digit does not compute, on create and when an update changes the VIN',
      }),
    ),
  },
  { title: 'WrittenVehicle', description: 'A vehicle as a create or update answers it' },
)
export type WrittenVehicle = Static<typeof WrittenVehicleSchema>

/** `{ items, nextCursor }` of vehicles. */
export const VehicleList = ListOf(VehicleSchema)

/** `?ownerId=&q=&limit=&cursor=` of GET /api/vehicles. */
export const ListVehiclesQuery = Type.Object(
  {
    ownerId: Type.Optional(id('Staff: only this customer\'s vehicles; a customer naming someone else gets 403')),
    q: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          'Words separated by spaces, each a case-insensitive literal substring (after NFKC) of plate, VIN, make or model; ' +
          'a word with letters or digits also matches plates and VINs with spaces, -, . and / ignored (AB18CDE finds AB18 CDE)',
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type ListVehiclesInput = Static<typeof ListVehiclesQuery>

/** The body of POST /api/vehicles. */
export const CreateVehicleBody = Type.Object(
  {
    ownerId: Type.Optional(id('Required for staff (an active customer); a customer may only name themself (403 otherwise)')),
    make: Make,
    model: Model,
    year: Year,
    vin: Vin,
    licensePlate: LicensePlate,
    mileage: Mileage,
    odometerUnit: Type.Optional(OdometerUnitSchema),
    color: Color,
  },
  { additionalProperties: false },
)
export type CreateVehicleInput = Static<typeof CreateVehicleBody>

/** The body of PATCH /api/vehicles/:id: any writable field, at least one. */
export const UpdateVehicleBody = Type.Object(
  {
    ownerId: Type.Optional(id('Staff only (a customer changing it gets 403): moves the vehicle to another active customer')),
    make: Type.Optional(Make),
    model: Type.Optional(Model),
    year: Type.Optional(Year),
    vin: Type.Optional(Vin),
    licensePlate: Type.Optional(LicensePlate),
    mileage: Type.Optional(Mileage),
    color: Type.Optional(Color),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateVehicleInput = Static<typeof UpdateVehicleBody>
