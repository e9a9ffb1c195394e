import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MODULES } from '../../src/modules/index.ts'
import type { AnyTagFamily, NamespaceDeclaration, Tag } from '../../src/platform/cache/cache-declaration.ts'
import { buildTestApp, createTestDatabase, testDbKind, type TestApp, type TestDatabase } from '../support/app.ts'
import { eventually, nextTurn } from '../support/cache.ts'
import { redisServerBinary, spawnRedis, type SpawnedRedis } from '../support/services.ts'

/** A tag of the family with every placeholder filled in (`customer:<id>:vehicles` → `customer:7:vehicles`). */
function sampleTag(family: AnyTagFamily): Tag {
  const holes = family.pattern.match(/<[a-zA-Z]+>/g)?.length ?? 0
  return (family as unknown as (...args: number[]) => Tag)(...Array.from({ length: holes }, () => 7))
}

/** Every (namespace, family) pair a declaration says can go stale: the namespace carries the family and some write touches it. */
function declaredPairs(): { namespace: NamespaceDeclaration; family: AnyTagFamily; write: string }[] {
  const writes = MODULES.flatMap((m) => m.cache.writes)
  return MODULES.flatMap((m) => m.cache.namespaces).flatMap((namespace) =>
    namespace.tags.flatMap((family) => {
      const write = writes.find((w) => w.touches.includes(family))
      return write ? [{ namespace, family, write: write.write }] : []
    }),
  )
}

/**
 * The generic half of the freshness promise, walked from the declarations: for every namespace and
 * every tag family its entries carry that a declared write touches, an entry cached on instance A is
 * gone for A's next read once a write on instance B touches that tag; with Redis up and with Redis
 * paused. (Each module's own tests show that its routes touch what they declare.)
 */
describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('every declared tag, two instances', () => {
  let redis: SpawnedRedis
  let testDb: TestDatabase
  let a: TestApp
  let b: TestApp
  beforeAll(async () => {
    redis = await spawnRedis()
    testDb = await createTestDatabase('postgres')
    const env = { REDIS_URL: redis.url, CACHE_PREFIX: `ecar-declared-${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '300', CACHE_BREAKER_MS: '500' }
    a = await buildTestApp({ testDb, env })
    b = await buildTestApp({ testDb, env })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await redis?.stop()
    await testDb?.drop()
  })

  /** Caches a value in the namespace under the tag on A, touches the tag by a write on B, and reads on A again. */
  async function staysFresh(namespace: NamespaceDeclaration, tag: Tag, round: string): Promise<void> {
    const key = `declared_probe_${namespace.name}_${tag}_${round}`
    const entry = { namespace: namespace.name, ttlMs: 60_000, tags: [tag], localOnly: namespace.kind === 'session' }
    let loads = 0
    const load = async () => `${round}-${++loads}`
    const first = (await a.app.dataCache.getOrSet(key, load, entry)).value
    // With Redis up the entry is served from the cache; while it is paused the cache may bypass itself.
    if (round === 'up') expect((await a.app.dataCache.getOrSet(key, load, entry)).value).toBe(first)
    await b.app.writer.transaction(async (_tx, touch) => touch(tag))
    await nextTurn()
    const after = (await a.app.dataCache.getOrSet(key, load, entry)).value
    expect(after, `${namespace.name} carrying ${tag}`).not.toBe(first)
  }

  it('walks at least every namespace of the registry that a write can make stale', () => {
    const names = new Set(declaredPairs().map((pair) => pair.namespace.name))
    expect([...names].sort()).toEqual(MODULES.flatMap((m) => m.cache.namespaces.map((ns) => ns.name)).sort())
  })

  it('drops the entry on A after a write on B, for every declared pair', async () => {
    for (const { namespace, family } of declaredPairs()) await staysFresh(namespace, sampleTag(family), 'up')
  })

  it('…also while Redis is paused', async () => {
    redis.pause()
    try {
      for (const { namespace, family } of declaredPairs()) await staysFresh(namespace, sampleTag(family), 'paused')
    } finally {
      redis.resume()
    }
    await eventually(() => a.app.cache.health() === 'up' && b.app.cache.health() === 'up', 10_000, 'caches up again')
  })
})
