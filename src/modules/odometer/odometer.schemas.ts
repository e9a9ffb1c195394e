import { Type, type Static } from 'typebox'
import { PageQuery } from '../../platform/http/common.schemas.ts'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'
import { MAX_MILEAGE, OdometerUnitSchema } from '../vehicles/index.ts'
import type { ReadingRow } from './odometer.table.ts'

const Source = Type.Union(
  [Type.Literal('check_in'), Type.Literal('check_out'), Type.Literal('customer'), Type.Literal('staff'), Type.Literal('correction')],
  { description: 'check_in, check_out (work orders), customer or staff (by whoever recorded it), correction (staff, with a reason)' },
)

/** One odometer reading as the API shows it. */
export const ReadingSchema = Type.Object(
  {
    id: Type.Integer(),
    value: Type.Integer({ description: 'As read, in unit' }),
    unit: OdometerUnitSchema,
    recordedAt: Type.String({ format: 'date-time', description: 'When the odometer showed this value' }),
    source: Source,
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why (required for a correction)' }),
  },
  {
    title: 'OdometerReading',
    description: 'One odometer reading of a vehicle',
    examples: [{ id: 7, value: 48_210, unit: 'km', recordedAt: '2026-03-01T09:30:00.000Z', source: 'check_in', reason: null }],
  },
)
export type Reading = Static<typeof ReadingSchema>

/** The API object of a reading row. */
export function toReading(row: ReadingRow): Reading {
  return { id: row.id, value: row.value, unit: row.unit, recordedAt: row.recordedAt.toISOString(), source: row.source, reason: row.reason }
}

/** `{ items, nextCursor }` of readings, newest first. */
export const ReadingList = Type.Object(
  {
    items: Type.Array(ReadingSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for the next (older) page; null on the last page' }),
  },
  { title: 'OdometerReadingPage', description: 'A page of odometer readings, newest first (by recordedAt, then id)' },
)

/** `?limit=&cursor=` of the readings list. */
export const ListReadingsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type ListReadingsInput = Static<typeof ListReadingsQuery>

/** The body of POST /api/vehicles/:id/odometer. */
export const RecordReadingBody = Type.Object(
  {
    value: Type.Integer({ minimum: 0, maximum: MAX_MILEAGE, description: 'What the odometer shows, in unit' }),
    unit: Type.Optional(OdometerUnitSchema),
    recordedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the odometer showed it (default: now); not in the future (400)' }),
    ),
    correction: Type.Optional(
      Type.Boolean({ description: 'Staff only (a customer gets 403), with a reason: records the value even below the latest reading' }),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, [TEXT_KEYWORD]: true, description: 'Required with correction; trimmed' })),
  },
  { additionalProperties: false },
)
export type RecordReadingInput = Static<typeof RecordReadingBody>
