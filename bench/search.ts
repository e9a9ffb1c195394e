/**
 * Front-desk search at scale: median latency of the queries GET /api/vehicles?q= and GET /api/customers?q=
 * send, with the trigram indexes and without them (dropped inside a transaction that is rolled back).
 *   node --import tsx bench/load-data.ts --scale 100000 --db ecar_search   (once: 100,000 customers, 500,000 vehicles)
 *   node --import tsx bench/search.ts [--db ecar_search] [--runs 30] [--no-baseline]
 * Writes bench/results/<date>-search-<customers>.md with the timings and the plans (EXPLAIN ANALYZE).
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { sql, type SQLWrapper } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { customersQuery } from '../src/modules/customers/customers.repository.ts'
import { loadConfig } from '../src/platform/config.ts'
import { findOwners, vehiclesQuery } from '../src/modules/vehicles/vehicles.repository.ts'
import type { Db } from '../src/platform/db/database.ts'
import { ADMIN_TOKEN, BENCH_DIR, dbUrl } from './load-data.ts'

const args = process.argv.slice(2)
const value = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const DB = value('--db') ?? 'ecar_search'
const RUNS = Number(value('--runs') ?? 30)
const SEARCH_INDEXES = ['vehicles_search_text_idx', 'vehicles_search_ids_idx', 'users_search_text_idx', 'users_search_phone_idx']
// What the service asks for: a default page of 50, plus one row to learn whether a next page exists.
const PAGE = 51

interface Search {
  label: string
  route: 'vehicles' | 'customers'
  q: string
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The searches a front desk types, made from rows of the loaded data. */
async function searches(client: pg.Client): Promise<Search[]> {
  const one = async (text: string) => (await client.query(text)).rows[0] as Record<string, string>
  const { count } = await one('select count(*)::text as count from users where role = $$customer$$')
  const probe = Math.floor(Number(count) * 0.42) + 7
  const plate = (await one(`select license_plate from vehicles where owner_id = ${probe} order by id limit 1`)).license_plate!
  const vin = (await one(`select vin from vehicles where owner_id = ${probe} order by id limit 1`)).vin!
  const { name, phone } = await one(`select name, phone from users where id = ${probe}`)
  const surname = name!.split(' ').at(-1)!
  const compact = (text: string) => text.replace(/[\s./-]/g, '')
  return [
    { label: `plate without its punctuation (${plate} → ${compact(plate)})`, route: 'vehicles', q: compact(plate) },
    { label: 'make and model: Ford Focus', route: 'vehicles', q: 'Ford Focus' },
    { label: `end of a VIN (${vin.slice(-8).toLowerCase()})`, route: 'vehicles', q: vin.slice(-8).toLowerCase() },
    { label: `phone without spaces (${phone} → ${compact(phone ?? '')})`, route: 'customers', q: compact(phone ?? '') },
    { label: `surname (${surname})`, route: 'customers', q: surname },
    { label: `first name and surname (${name})`, route: 'customers', q: name! },
    { label: `customer by plate without punctuation (${compact(plate)})`, route: 'customers', q: compact(plate) },
  ]
}

function query(db: Db, search: Search): SQLWrapper & PromiseLike<{ id: number; ownerId?: number }[]> {
  return search.route === 'vehicles'
    ? vehiclesQuery(db, { q: search.q, afterId: 0, limit: PAGE })
    : customersQuery(db, { q: search.q, afterId: 0, limit: PAGE })
}

/** One search as the API runs it: the page, and for a staff vehicle list the owners' lookup. */
async function runOnce(db: Db, search: Search): Promise<number> {
  const rows = await query(db, search)
  if (search.route === 'vehicles') await findOwners(db, rows.map((row) => row.ownerId!))
  return rows.length
}

async function measure(db: Db, list: Search[], runs: number): Promise<{ median: number; max: number; rows: number }[]> {
  const out = []
  for (const search of list) {
    for (let i = 0; i < 3; i++) await runOnce(db, search)
    const times: number[] = []
    let rows = 0
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      rows = await runOnce(db, search)
      times.push(performance.now() - start)
    }
    out.push({ median: median(times), max: Math.max(...times), rows })
  }
  return out
}

/**
 * The same searches through the HTTP layer (app.inject as the bench admin, the response cache off so
 * every request runs the query): validation, authentication, the queries and serialisation.
 */
async function measureApi(list: Search[], runs: number): Promise<number[]> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: dbUrl(DB), CACHE_ENABLED: 'false', ECAR_DEMO: 'false' })
  const app = await buildApp({ config })
  await app.ready()
  try {
    const out = []
    for (const search of list) {
      const url = `/api/${search.route}?q=${encodeURIComponent(search.q)}`
      const get = async () => {
        const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
      }
      for (let i = 0; i < 3; i++) await get()
      const times: number[] = []
      for (let i = 0; i < runs; i++) {
        const start = performance.now()
        await get()
        times.push(performance.now() - start)
      }
      out.push(median(times))
    }
    return out
  } finally {
    await app.close()
  }
}

async function plans(db: Db, list: Search[]): Promise<string[]> {
  const out = []
  for (const search of list) {
    const result = (await db.execute(sql`explain (analyze, costs off, timing off, summary on) ${query(db, search)}`)) as unknown as {
      rows: { 'QUERY PLAN': string }[]
    }
    out.push(result.rows.map((row) => row['QUERY PLAN']).join('\n'))
  }
  return out
}

const client = new pg.Client({ connectionString: dbUrl(DB) })
await client.connect()
try {
  const db = drizzle(client) as unknown as Db
  // The loader inserts after the migration built the indexes: merge the GIN pending lists first.
  await client.query('vacuum analyze users')
  await client.query('vacuum analyze vehicles')
  const { rows: counts } = await client.query<{ customers: string; vehicles: string }>(
    `select (select count(*) from users where role = 'customer')::text as customers, (select count(*) from vehicles)::text as vehicles`,
  )
  const list = await searches(client)
  const indexed = await measure(db, list, RUNS)
  const indexedPlans = await plans(db, list)
  const api = await measureApi(list, RUNS)
  let baseline: { median: number; max: number; rows: number }[] | undefined
  if (!args.includes('--no-baseline')) {
    await client.query('begin')
    try {
      for (const index of SEARCH_INDEXES) await client.query(`drop index ${index}`)
      baseline = await measure(db, list, Math.max(5, Math.round(RUNS / 3)))
    } finally {
      await client.query('rollback')
    }
  }
  const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1)
  const lines = [
    `# Search at ${Number(counts[0]!.customers).toLocaleString('en')} customers, ${Number(counts[0]!.vehicles).toLocaleString('en')} vehicles`,
    '',
    `${new Date().toISOString()}, database \`${DB}\`, PostgreSQL, one connection; ${RUNS} runs per search after 3 warm-up runs` +
      (baseline ? `, ${Math.max(5, Math.round(RUNS / 3))} without the indexes` : '') + '. ms per search (the page of 51 rows; for vehicles also the owners).',
    '',
    `Load average at the start: ${loadavg().map((n) => n.toFixed(1)).join(', ')} on ${cpus().length} cores. ` +
      '"server" is the Execution Time of EXPLAIN ANALYZE with the indexes (the query alone, no round trip); ' +
      '"API" is GET /api/<route>?q= through app.inject as an admin, response cache off, with the indexes.',
    '',
    '| search | route | rows | median with indexes | max | server | API median | median without | speed-up |',
    '|---|---|---|---|---|---|---|---|---|',
    ...list.map((search, i) => {
      const w = indexed[i]!
      const b = baseline?.[i]
      const server = /Execution Time: ([\d.]+) ms/.exec(indexedPlans[i]!)?.[1] ?? '?'
      return `| ${search.label} | ${search.route} | ${w.rows} | ${fmt(w.median)} | ${fmt(w.max)} | ${server} | ${fmt(api[i]!)} | ${b ? fmt(b.median) : '–'} | ${b ? `${Math.round(b.median / w.median)}×` : '–'} |`
    }),
    '',
    '## Plans with the indexes (EXPLAIN ANALYZE)',
    ...list.flatMap((search, i) => ['', `### ${search.route}: ${search.label}`, '```', indexedPlans[i]!, '```']),
    '',
  ]
  const text = lines.join('\n')
  const file = path.join(BENCH_DIR, 'results', `${new Date().toISOString().slice(0, 10)}-search-${counts[0]!.customers}.md`)
  writeFileSync(file, text)
  console.log(text.split('## Plans')[0])
  console.log(`written: ${path.relative(process.cwd(), file)}`)
} finally {
  await client.end()
}
