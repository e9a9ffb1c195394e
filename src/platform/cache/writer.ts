import { randomUUID } from 'node:crypto'
import type { Database, Tx } from '../db/database.ts'
import type { AppCache } from './cache.types.ts'
import type { Tag } from './cache-declaration.ts'

/** Names cache tags that the current write changes; only tags built by a declared family. */
export type Touch = (...tags: Tag[]) => void

/** Runs data-changing work in one transaction and invalidates what it touched before answering. */
export interface Writer {
  transaction<T>(work: (tx: Tx, touch: Touch) => Promise<T>): Promise<T>
}

/**
 * The one way modules change data: the work runs in a transaction; the tags it touched are
 * announced to other instances inside it (delivered at commit) and invalidated in every cache after
 * the commit and before the caller gets its answer, so no read that follows the write can see the
 * old state. Invalidating after the commit matters: a reader between an early invalidation and the
 * commit would load and cache the old rows again. Both messages carry one write id: if this process
 * dies between the two, the other instances see the announcement without its follow-up and
 * invalidate Redis themselves.
 */
export function createWriter(deps: { database: Database; cache: AppCache; isDeclared?: (tag: string) => boolean }): Writer {
  const isDeclared = deps.isDeclared ?? (() => true)
  return {
    async transaction(work) {
      const tags = new Set<string>()
      const writeId = randomUUID()
      const result = await deps.database.transaction(async (tx) => {
        const value = await work(tx, (...touched) => {
          for (const tag of touched) {
            // A cast can still smuggle a plain string in: an undeclared tag is a bug, fail the write.
            if (!isDeclared(tag)) throw new Error(`cache tag ${JSON.stringify(tag)} matches no declared tag family`)
            tags.add(tag)
          }
        })
        if (tags.size > 0) await deps.cache.announce(tx, [...tags], writeId)
        return value
      })
      if (tags.size > 0) await deps.cache.invalidateTags([...tags], writeId)
      return result
    },
  }
}
