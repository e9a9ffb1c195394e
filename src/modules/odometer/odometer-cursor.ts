import { invalidInput } from '../../platform/http/errors.ts'
import type { ReadingCursor } from './odometer.repository.ts'

/** The opaque cursor of a newest-first page of readings: base64url of `{"at":"<recordedAt>","id":<id>}` of the page's last row. */
export function encodeReadingCursor(row: ReadingCursor): string {
  return Buffer.from(JSON.stringify({ at: row.recordedAt.toISOString(), id: row.id })).toString('base64url')
}

/** The position a page starts after, or undefined for the first page; 400 on anything but a cursor this API issued. */
export function decodeReadingCursor(cursor: string | undefined): ReadingCursor | undefined {
  if (cursor === undefined) return undefined
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url')
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown }
    const at = typeof parsed.at === 'string' ? new Date(parsed.at) : undefined
    const id = parsed.id
    // Only the exact text this API issues: any other spelling would be a new cache key for the same page.
    if (at && !Number.isNaN(at.getTime()) && typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= 2_147_483_647) {
      const position = { recordedAt: at, id }
      if (encodeReadingCursor(position) === cursor) return position
    }
  } catch {
    // fall through to the 400
  }
  throw invalidInput('The cursor is malformed.', [{ field: 'querystring.cursor', message: 'is not a cursor this API issued' }])
}
