import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { runMigrations } from '../../src/platform/db/database.ts'
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
      expect(tables.rows.map((r) => r.tablename)).toEqual(['sessions', 'users', 'vehicles'])
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`)
      await admin.end()
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
