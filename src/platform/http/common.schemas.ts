import { Type, type TSchema } from 'typebox'

/** `{ items, nextCursor }`: the shape of every list, named `<Item>Page` after its item's title. */
export const ListOf = <T extends TSchema>(item: T) => {
  const title = (item as { title?: unknown }).title
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for the next page; null on the last page' }),
    },
    typeof title === 'string' ? { title: `${title}Page`, description: `A page of ${title} objects, by ascending id` } : {},
  )
}

/** `?limit=&cursor=` of every list. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size, 1 to 200' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The nextCursor of the previous page' })),
}

/** A positive integer id in a path: decimal digits only (`0x10`, `1e3`, ` 1` are 400, see validation.ts). */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Decimal digits only' }) })
