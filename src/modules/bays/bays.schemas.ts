import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'
import type { BayRow } from './bays.table.ts'

const Name = Type.String({ minLength: 1, maxLength: 64, [TEXT_KEYWORD]: true, description: 'Trimmed; unique ignoring case (409 ECAR_ERR_BAY_NAME_TAKEN)' })
const Active = Type.Boolean({ description: 'An inactive bay keeps its history but takes no new bookings' })

/** A bay as the API shows it. */
export const BaySchema = Type.Object(
  { id: Type.Integer(), name: Type.String(), active: Type.Boolean() },
  { title: 'Bay', additionalProperties: false, examples: [{ id: 1, name: 'Bay 1', active: true }] },
)
export type Bay = Static<typeof BaySchema>

/** The API object of a bay row. */
export function toBay(row: BayRow): Bay {
  return { id: row.id, name: row.name, active: row.active }
}

/** `{ items, nextCursor }` of bays. */
export const BayList = ListOf(BaySchema)

/** `?active=&limit=&cursor=` of GET /api/bays. */
export const ListBaysQuery = Type.Object(
  { active: Type.Optional(Type.Boolean({ description: 'Only active (true) or inactive (false) bays' })), ...PageQuery },
  { additionalProperties: false },
)
export type ListBaysInput = Static<typeof ListBaysQuery>

/** The body of POST /api/bays. */
export const CreateBayBody = Type.Object({ name: Name, active: Type.Optional(Active) }, { additionalProperties: false })
export type CreateBayInput = Static<typeof CreateBayBody>

/** The body of PATCH /api/bays/:id: at least one field. */
export const UpdateBayBody = Type.Object({ name: Type.Optional(Name), active: Type.Optional(Active) }, { additionalProperties: false, minProperties: 1 })
export type UpdateBayInput = Static<typeof UpdateBayBody>
