import { eq } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { shopSettings, type ShopRow } from './shop.table.ts'

/** The settings row (the migration creates it, so it always exists). */
export async function readShop(db: Executor, options: { forUpdate?: boolean } = {}): Promise<ShopRow> {
  const query = db.select().from(shopSettings).where(eq(shopSettings.id, 1))
  const [row] = options.forUpdate ? await query.for('update') : await query
  if (!row) throw new Error('shop_settings has no row: the migration that creates it did not run')
  return row
}

/** Applies changes to the settings row, bumping updatedAt only when one really changes. */
export async function updateShop(tx: Executor, changes: Partial<Omit<ShopRow, 'id' | 'updatedAt'>>): Promise<ShopRow> {
  const [row] = await tx
    .update(shopSettings)
    .set({ ...changes, updatedAt: updatedAtFor(shopSettings, changes, shopSettings.updatedAt) })
    .where(eq(shopSettings.id, 1))
    .returning()
  return row!
}
