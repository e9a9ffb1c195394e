import { sql, type SQLWrapper } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { customersQuery } from '../customers/customers.repository.ts'
import { vehiclesQuery } from './vehicles.repository.ts'

const ROWS = 2000

/**
 * The front desk's searches must be answered from the trigram indexes, not by reading every row
 * (docs/performance.md has the plans and timings at 100,000 customers, where PostgreSQL picks them
 * by cost). Here, on a few thousand rows, sequential and plain index scans (walking the primary key
 * in id order) are switched off for the EXPLAIN: what is
 * checked is that the queries the repositories really send *can* use the indexes (a condition that
 * does not match an index's column and operator class leaves only the sequential scan).
 */
describe('search: the queries use the trigram indexes', () => {
  let t: TestApp

  const plan = async (query: SQLWrapper): Promise<string> => {
    const rows = await t.app.database.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`)
      await tx.execute(sql`set local enable_indexscan = off`)
      const result = (await tx.execute(sql`explain ${query}`)) as unknown as { rows: { 'QUERY PLAN': string }[] }
      return result.rows
    })
    return rows.map((row) => row['QUERY PLAN']).join('\n')
  }

  beforeAll(async () => {
    t = await buildTestApp()
    const db = t.app.db
    await db.execute(sql`
      insert into users (email, password_hash, name, phone, role)
      select 'c' || g || '@plans.test', 'x', 'Given' || g || ' Surname' || (g % 997), '07700 ' || lpad(g::text, 6, '0'), 'customer'
      from generate_series(1, ${ROWS}) g`)
    await db.execute(sql`
      insert into vehicles (owner_id, make, model, year, vin, license_plate, mileage, color)
      select u.id, case when u.id % 5 = 0 then 'Ford' else 'Toyota' end, 'Model' || (u.id % 50), 2018, lpad(u.id::text, 17, '0'),
             'P' || lpad(u.id::text, 5, '0') || ' XY', 1, 'Red'
      from users u`)
    // VACUUM moves the rows out of the GIN indexes' pending lists, which the planner counts as cost.
    await db.execute(sql`vacuum analyze users`)
    await db.execute(sql`vacuum analyze vehicles`)
  })
  afterAll(async () => t?.close())

  it('finds vehicles by plate without spaces through both vehicle indexes', async () => {
    const text = await plan(vehiclesQuery(t.app.db, { q: 'P01234XY', afterId: 0, limit: 51 }))
    expect(text).toContain('vehicles_search_ids_idx')
    expect(text).toContain('vehicles_search_text_idx')
    expect(text).not.toMatch(/Seq Scan on vehicles/)
  })

  it('finds customers by phone without spaces, by surname and by plate through the indexes', async () => {
    const phone = await plan(customersQuery(t.app.db, { q: '07700001234', afterId: 0, limit: 51 }))
    expect(phone).toContain('users_search_phone_idx')
    expect(phone).toContain('users_search_text_idx')
    expect(phone).toContain('vehicles_search_ids_idx')
    expect(phone).not.toMatch(/Seq Scan on (users|vehicles)/)
    const surname = await plan(customersQuery(t.app.db, { q: 'Surname123', afterId: 0, limit: 51 }))
    expect(surname).toContain('users_search_text_idx')
    expect(surname).not.toMatch(/Seq Scan on (users|vehicles)/)
  })
})
