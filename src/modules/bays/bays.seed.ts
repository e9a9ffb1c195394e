import type { Executor } from '../../platform/db/database.ts'
import { insertMissingBays, listBays } from './bays.repository.ts'
import type { BayRow } from './bays.table.ts'

/** The demo garage's bays: two general lifts, the alignment rack and the MOT bay. */
export const DEMO_BAYS: readonly { name: string }[] = [{ name: 'Bay 1' }, { name: 'Bay 2' }, { name: 'Alignment' }, { name: 'MOT bay' }]

/**
 * Inserts the demo bays that do not exist yet and returns every bay. For the demo garage, on a
 * database nothing has cached yet: it touches no tag (a running instance would need `bays` touched).
 */
export async function seedBays(tx: Executor): Promise<BayRow[]> {
  await insertMissingBays(tx, DEMO_BAYS)
  return listBays(tx)
}
