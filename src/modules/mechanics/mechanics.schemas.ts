import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'

/** A mechanic as the board and the booking screens show one. */
export const MechanicSchema = Type.Object(
  { id: Type.Integer({ description: "The mechanic's user id" }), name: Type.String(), active: Type.Boolean({ description: 'Inactive accounts are kept for history but take no new work' }) },
  { title: 'Mechanic', additionalProperties: false, examples: [{ id: 4, name: 'Sam Patel', active: true }] },
)
export type Mechanic = Static<typeof MechanicSchema>

/** `{ items, nextCursor }` of mechanics. */
export const MechanicList = ListOf(MechanicSchema)

/** `?active=&limit=&cursor=` of GET /api/mechanics. */
export const ListMechanicsQuery = Type.Object(
  { active: Type.Optional(Type.Boolean({ description: 'Only active (true) or inactive (false) mechanics' })), ...PageQuery },
  { additionalProperties: false },
)
export type ListMechanicsInput = Static<typeof ListMechanicsQuery>
