import { invalidInput } from './errors.ts'

/**
 * Keyset pagination over ascending integer ids. The cursor is opaque to clients: base64url of
 * `{"after":<id>}`, exactly as issued; anything else (extra fields included) is a 400, never a 500
 * or an empty page.
 */
export function encodeCursor(afterId: number): string {
  return Buffer.from(JSON.stringify({ after: afterId })).toString('base64url')
}

/** The id after which the page starts, or 0 for the first page; throws 400 on a malformed cursor. */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url')
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    const after = (parsed as { after?: unknown }).after
    // Only the exact text this API issues: `{"after":0,"x":1}` or extra spaces would be new cache keys for the same page.
    if (typeof after === 'number' && Number.isInteger(after) && after >= 0 && after <= 2_147_483_647 && encodeCursor(after) === cursor) return after
  } catch {
    // fall through to the 400
  }
  throw invalidInput('The cursor is malformed.', [{ field: 'querystring.cursor', message: 'is not a cursor this API issued' }])
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only tells whether a next page
 * exists.
 */
export function toPage<T extends { id: number }, R>(rows: T[], limit: number, map: (row: T) => R): { items: R[]; nextCursor: string | null } {
  const hasMore = rows.length > limit
  const pageRows = hasMore ? rows.slice(0, limit) : rows
  return { items: pageRows.map(map), nextCursor: hasMore ? encodeCursor(pageRows[pageRows.length - 1]!.id) : null }
}

/** Escapes a user's search text for ILIKE so `%`, `_` and `\` match themselves. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
