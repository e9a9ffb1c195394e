import { randomBytes } from 'node:crypto'
import type { Db } from '../../../src/platform/db/database.ts'
import { bays } from '../tables.ts'

/** A bay name no other bay has. */
export const uniqueBayName = () => `Bay ${randomBytes(4).toString('hex')}`

/** Inserts a bay straight into the database (behind every cache: use the API where a cache is under test). */
export async function createBay(db: Db, fields: Partial<typeof bays.$inferInsert> = {}) {
  const [row] = await db.insert(bays).values({ name: uniqueBayName(), ...fields }).returning()
  return row!
}
