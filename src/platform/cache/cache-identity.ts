import { randomBytes } from 'node:crypto'
import type { Config } from '../config.ts'
import type { Executor } from '../db/database.ts'
import { cacheIdentity } from './cache-identity.table.ts'
import { Seal } from './seal.ts'

/** Who this deployment is in a shared Redis, and how it authenticates what it reads back. */
export interface CacheIdentity {
  /** Part of every physical key and bus channel: another deployment's keys are never ours. */
  deploymentId: string
  seal: Seal
  /** Where the signing secret came from, for the start-up log. */
  secretSource: 'CACHE_SECRET' | 'database'
}

/**
 * Reads the deployment's identity from the database, creating it on the first start (random id and
 * secret; concurrent first starts agree, the row's primary key lets only one insert win). The
 * secret is the database's unless CACHE_SECRET is set (then CACHE_SECRET signs, and
 * CACHE_SECRET_PREVIOUS is still accepted on read).
 */
export async function loadCacheIdentity(db: Executor, config: Pick<Config, 'cacheSecrets'>): Promise<CacheIdentity> {
  await db
    .insert(cacheIdentity)
    .values({ deploymentId: randomBytes(9).toString('base64url'), secret: randomBytes(32).toString('base64url') })
    .onConflictDoNothing()
  const [row] = await db.select().from(cacheIdentity).limit(1)
  if (!row) throw new Error('cache_identity has no row after insert')
  const { current, previous } = config.cacheSecrets
  if (current === undefined) return { deploymentId: row.deploymentId, seal: new Seal([row.secret]), secretSource: 'database' }
  return { deploymentId: row.deploymentId, seal: new Seal(previous === undefined ? [current] : [current, previous]), secretSource: 'CACHE_SECRET' }
}
