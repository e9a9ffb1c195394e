import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { getTableName, sql } from 'drizzle-orm'
import { MODULES } from '../../src/modules/index.ts'
import { PLATFORM_TABLES } from '../../src/platform/db/platform-tables.ts'
import { ownedTables } from '../../src/platform/registry/registry-views.ts'
import { openDatabase, runMigrations } from '../../src/platform/db/database.ts'
import { isDatabaseUnavailable } from '../../src/platform/db/db-errors.ts'
import { buildTestApp, createTestDatabase, testDbKind } from '../support/app.ts'

describe.skipIf(testDbKind() !== 'postgres')('the database on PostgreSQL', () => {
  it('migrates an empty database from two processes at once, and again, without harm', async () => {
    const adminUrl = inject('pgAdminUrl')
    const name = `ecar_t_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`create database "${name}"`)
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    try {
      await Promise.all([runMigrations({ databaseUrl: url.toString() }), runMigrations({ databaseUrl: url.toString() })])
      await runMigrations({ databaseUrl: url.toString() })
      const client = new pg.Client({ connectionString: url.toString() })
      await client.connect()
      const { rows } = await client.query<{ count: string }>('select count(*) from drizzle.__drizzle_migrations')
      const tables = await client.query("select tablename from pg_tables where schemaname = 'public' order by tablename")
      await client.end()
      expect(Number(rows[0]!.count)).toBeGreaterThan(0)
      // The migrations create exactly the tables the registry's modules and the platform declare (a table
      // without a migration, or a migration the registry lost, fails here).
      const declared = [...ownedTables(MODULES).map(({ table }) => table), ...Object.values(PLATFORM_TABLES)].map((table) => getTableName(table)).sort()
      expect(declared).toEqual(expect.arrayContaining(['sessions', 'users', 'vehicles']))
      expect(tables.rows.map((r) => r.tablename)).toEqual(declared)
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`)
      await admin.end()
    }
  })

  it('gives a connection back when its transaction fails at BEGIN, so the pool never stalls', async () => {
    const testDb = await createTestDatabase('postgres')
    // One connection: a single leaked client would make every later transaction wait forever.
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: '', poolMax: 1 })
    const admin = new pg.Client({ connectionString: testDb.url })
    await admin.connect()
    const pool = (database.db as unknown as { $client: pg.Pool }).$client
    const within = <T>(promise: Promise<T>) =>
      Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the pool stalled')), 5000))])
    try {
      for (let i = 0; i < 5; i++) {
        const result = await within(database.transaction((tx) => tx.execute(sql`select pg_backend_pid() as pid`)))
        const rows = (result as unknown as { rows: { pid: number }[] }).rows
        // The pooled client's backend dies while it sits idle: the pool hands it out before it notices,
        // and the next transaction's BEGIN is the statement that fails.
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid])
        const failed = await within(database.transaction((tx) => tx.execute(sql`select 1`)).then(() => undefined, (error: unknown) => error))
        if (failed !== undefined) expect(isDatabaseUnavailable(failed), String(failed)).toBe(true)
      }
      await within(database.transaction((tx) => tx.execute(sql`select 1`)))
      expect(pool.totalCount - pool.idleCount).toBe(0)
    } finally {
      await admin.end()
      await database.close()
      await testDb.drop()
    }
  })

  it('reports unready (503) when the database is gone, while /healthz stays ok', async () => {
    const testDb = await createTestDatabase('postgres')
    const t = await buildTestApp({ testDb })
    try {
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200)
      const admin = new pg.Client({ connectionString: inject('pgAdminUrl') })
      await admin.connect()
      await admin.query(`drop database "${new URL(testDb.url!).pathname.slice(1)}" with (force)`)
      await admin.end()
      const res = await t.app.inject({ method: 'GET', url: '/readyz' })
      expect(res.statusCode).toBe(503)
      expect(res.headers['retry-after']).toBeDefined()
      expect(res.json()).toMatchObject({ status: 'unavailable', db: 'down' })
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    } finally {
      await t.app.close()
      await testDb.database.close().catch(() => {})
    }
  })
})
