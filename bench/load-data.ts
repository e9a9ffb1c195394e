/**
 * Loads the benchmark data into a dedicated PostgreSQL database (dropped and re-created):
 *   node --import tsx bench/load-data.ts [--scale 1000] [--db ecar_bench]   generated: N customers × 5 vehicles
 *   node --import tsx bench/load-data.ts --from-django [--db ecar_bench]    the Django peer's exact rows (data/*.csv)
 * Customer n gets the bearer token sha1("ecar-token-custNNNN"), the Django peer's token formula, with
 * its session written straight into `sessions` (sha256 of the token), so the load generator needs no
 * logins. Writes bench/.work/<db>-tokens.txt: "customerId token vehicleId,vehicleId,…" per line.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { hashPassword } from '../src/platform/auth/password.ts'
import { runMigrations } from '../src/platform/db/database.ts'

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
export const WORK_DIR = path.join(BENCH_DIR, '.work')
export const DJANGO_DIR = path.resolve(BENCH_DIR, '../../shared/peers/django-seed')
export const ADMIN_TOKEN = sha1('ecar-bench-admin-token')

const BATCH = 5000
const MAKES: [string, string[]][] = [
  ['Ford', ['Ranger', 'Focus', 'Fiesta', 'Kuga']],
  ['Nissan', ['Juke', 'Leaf', 'Micra', 'Qashqai']],
  ['Toyota', ['Corolla', 'Yaris', 'RAV4', 'Prius']],
  ['Volkswagen', ['Golf', 'Polo', 'Passat', 'Tiguan']],
  ['Renault', ['Clio', 'Megane', 'Zoe', 'Captur']],
]
const COLORS = ['Black', 'Grey', 'White', 'Silver', 'Blue', 'Red', 'Green']
const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

export interface Customer {
  id: number
  username: string
  token: string
  /** Generated data: a person's name and a UK mobile number, for the search benchmark; the peer's rows keep the username. */
  name?: string
  phone?: string
}
interface Vehicle {
  id: number
  ownerId: number
  make: string
  model: string
  year: number
  vin: string
  licensePlate: string
  mileage: number
  color: string
  createdAt: string
  updatedAt: string
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
export function username(id: number): string {
  return `cust${String(id).padStart(4, '0')}`
}
export function dbUrl(db: string): string {
  return `postgres://postgres@127.0.0.1:5432/${db}`
}
function progress(label: string, done: number, total: number): void {
  const width = 30
  const filled = Math.round((done / total) * width)
  process.stderr.write(`\r${label.padEnd(10)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`)
  if (done === total) process.stderr.write('\n')
}

/** A small deterministic PRNG, so that a scale always produces the same rows. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST_NAMES = ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Noah', 'Mia', 'Jack', 'Ivy', 'Leo', 'Lily', 'Arthur', 'Freya',
  'Muhammad', 'Grace', 'Oscar', 'Sophia', 'Charlie', 'Florence', 'Jacob', 'Willow', 'Thomas', 'Rosie', 'Henry', 'Evie', 'Zoë', 'Siân']
const SURNAME_STEMS = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright',
  'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Hughes', 'Edwards', 'Lewis', 'Harris']
const SURNAME_ENDINGS = ['', 'son', 'ley', 'ford', 'field', 'worth', 'ton', 'by', 'well', 'ham']

/** A name and a phone per customer, from a PRNG of their own: the vehicles' rows stay those of earlier runs. */
function person(random: () => number, id: number): { name: string; phone: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  // 25 stems × 10 endings: 250 surnames, about 400 customers each at N = 100,000.
  return { name: `${pick(FIRST_NAMES)} ${pick(SURNAME_STEMS)}${pick(SURNAME_ENDINGS)}`, phone: `07700 ${String(id).padStart(6, '0')}` }
}

function generated(scale: number): { customers: Customer[]; vehicles: Vehicle[] } {
  const people = mulberry32(7)
  const random = mulberry32(42)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const customers: Customer[] = []
  const vehicles: Vehicle[] = []
  const stamp = '2024-06-01T00:00:00Z'
  for (let c = 1; c <= scale; c++) {
    customers.push({ id: c, username: username(c), token: sha1(`ecar-token-${username(c)}`), ...person(people, c) })
    for (let k = 0; k < 5; k++) {
      const id = (c - 1) * 5 + k + 1
      const [make, models] = pick(MAKES)
      // The id in base 33 makes the VIN unique; random letters fill the rest.
      let n = id
      let tail = ''
      for (let i = 0; i < 6; i++) {
        tail = VIN_ALPHABET[n % 33]! + tail
        n = Math.floor(n / 33)
      }
      let head = ''
      for (let i = 0; i < 11; i++) head += pick([...VIN_ALPHABET])
      const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ'
      vehicles.push({
        id,
        ownerId: c,
        make,
        model: pick(models),
        year: 2005 + Math.floor(random() * 20),
        vin: head + tail,
        licensePlate: `${pick([...letters])}${pick([...letters])}${pick([...letters])}-${1000 + Math.floor(random() * 9000)}`,
        mileage: Math.floor(random() * 200_000),
        color: pick(COLORS),
        createdAt: stamp,
        updatedAt: stamp,
      })
    }
  }
  return { customers, vehicles }
}

function parseCsv(file: string): Record<string, string>[] {
  // The peer's export has no quoted fields (checked: no commas or quotes in any value).
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n')
  const names = header!.split(',')
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])))
}

function fromDjango(): { customers: Customer[]; vehicles: Vehicle[] } {
  const customers = parseCsv(path.join(DJANGO_DIR, 'data/customers.csv')).map((r) => ({
    id: Number(r.id),
    username: r.username!,
    token: r.token!,
  }))
  const vehicles = parseCsv(path.join(DJANGO_DIR, 'data/vehicles.csv')).map((r) => ({
    id: Number(r.id),
    ownerId: Number(r.owner_id),
    make: r.make!,
    model: r.model!,
    year: Number(r.year),
    vin: r.vin!,
    licensePlate: r.license_plate!,
    mileage: Number(r.mileage),
    color: r.color!,
    createdAt: r.created_at!,
    updatedAt: r.updated_at!,
  }))
  return { customers, vehicles }
}

async function insertColumns(client: pg.Client, label: string, sql: string, rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH)
    // One array parameter per column: a single INSERT … SELECT FROM unnest(…) per batch.
    const columns = batch[0]!.map((_, i) => batch.map((row) => row[i]))
    await client.query(sql, columns)
    progress(label, Math.min(start + BATCH, rows.length), rows.length)
  }
}

export async function recreateDatabase(db: string): Promise<void> {
  const admin = new pg.Client({ connectionString: dbUrl('postgres') })
  await admin.connect()
  try {
    await admin.query(`drop database if exists "${db}" with (force)`)
    await admin.query(`create database "${db}"`)
  } finally {
    await admin.end()
  }
}

export interface LoadResult {
  db: string
  customers: number
  vehicles: number
  tokensFile: string
  adminToken: string
  ms: number
}

/** Drops and re-creates `db`, migrates it and loads the rows; returns where the tokens are. */
export async function loadData(options: { db: string; scale?: number; fromDjango?: boolean }): Promise<LoadResult> {
  const started = performance.now()
  const data = options.fromDjango ? fromDjango() : generated(options.scale ?? 1000)
  await recreateDatabase(options.db)
  await runMigrations({ databaseUrl: dbUrl(options.db) })
  const client = new pg.Client({ connectionString: dbUrl(options.db) })
  await client.connect()
  try {
    // The trigram indexes of the search columns make row-by-row inserts about five times slower:
    // dropped for the load and built again afterwards, as a restore would (definitions from the catalogue).
    const { rows: ginIndexes } = await client.query<{ name: string; definition: string }>(
      `select indexname as name, indexdef as definition from pg_indexes where schemaname = 'public' and indexdef like '% USING gin %'`,
    )
    for (const index of ginIndexes) await client.query(`drop index "${index.name}"`)
    // Every bench account shares one hash (of "pass12345", the peer's password) at the lowest cost.
    const hash = await hashPassword('pass12345', 1024)
    const adminId = Math.max(...data.customers.map((c) => c.id)) + 1
    const stamp = '2024-06-01T00:00:00Z'
    const users = data.customers.map((c) => [c.id, `${c.username}@bench.ecar.test`, hash, c.name ?? c.username, c.phone ?? null, 'customer', stamp, stamp])
    users.push([adminId, 'bench-admin@bench.ecar.test', hash, 'Bench Admin', null, 'admin', stamp, stamp])
    await insertColumns(
      client,
      'users',
      `insert into users (id, email, password_hash, name, phone, role, created_at, updated_at)
       select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[])`,
      users,
    )
    await insertColumns(
      client,
      'vehicles',
      `insert into vehicles (id, owner_id, make, model, year, vin, license_plate, mileage, color, created_at, updated_at)
       select * from unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::int[], $9::text[],
                            $10::timestamptz[], $11::timestamptz[])`,
      data.vehicles.map((v) => [v.id, v.ownerId, v.make, v.model, v.year, v.vin, v.licensePlate, v.mileage, v.color, v.createdAt, v.updatedAt]),
    )
    const expires = new Date(Date.now() + 29 * 86_400_000).toISOString()
    const sessions = data.customers.map((c) => [sha256(c.token), c.id, expires])
    sessions.push([sha256(ADMIN_TOKEN), adminId, expires])
    await insertColumns(
      client,
      'sessions',
      `insert into sessions (token_hash, user_id, expires_at) select * from unnest($1::text[], $2::int[], $3::timestamptz[])`,
      sessions,
    )
    for (const index of ginIndexes) await client.query(index.definition)
    // Explicit ids leave the identity sequences at 1: move them past the loaded rows.
    await client.query(`select setval(pg_get_serial_sequence('users', 'id'), (select max(id) from users))`)
    await client.query(`select setval(pg_get_serial_sequence('vehicles', 'id'), (select max(id) from vehicles))`)
    await client.query('analyze')
  } finally {
    await client.end()
  }

  const byOwner = new Map<number, number[]>()
  for (const v of data.vehicles) {
    const list = byOwner.get(v.ownerId) ?? []
    list.push(v.id)
    byOwner.set(v.ownerId, list)
  }
  mkdirSync(WORK_DIR, { recursive: true })
  const tokensFile = path.join(WORK_DIR, `${options.db}-tokens.txt`)
  writeFileSync(tokensFile, data.customers.map((c) => `${c.id} ${c.token} ${(byOwner.get(c.id) ?? []).join(',')}`).join('\n') + '\n')
  return {
    db: options.db,
    customers: data.customers.length,
    vehicles: data.vehicles.length,
    tokensFile,
    adminToken: ADMIN_TOKEN,
    ms: Math.round(performance.now() - started),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2)
  const value = (name: string) => {
    const i = args.indexOf(name)
    return i >= 0 ? args[i + 1] : undefined
  }
  const result = await loadData({
    db: value('--db') ?? 'ecar_bench',
    scale: Number(value('--scale') ?? 1000),
    fromDjango: args.includes('--from-django'),
  })
  console.log(JSON.stringify(result))
}
