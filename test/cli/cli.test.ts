import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../src/platform/auth/password.ts'
import { openDatabase, type Db } from '../../src/platform/db/database.ts'
import { users, vehicles } from '../support/tables.ts'
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/app.ts'

const BIN = path.resolve('bin/ecar.js')
const PASSWORD = 'cli account passphrase'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real `ecar` bin in a child process with only the settings given (no DATABASE_URL unless passed). */
async function ecar(args: string[], env: Record<string, string>): Promise<Run> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|REDIS_URL|DATA_DIR|ECAR_|CACHE_)/.test(k)),
  )
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...base, ...env },
      timeout: 60_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

/** Opens the embedded database the CLI wrote (after it exited: one process at a time). */
async function inDataDir<T>(dataDir: string, work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir, poolMax: 1 })
  try {
    return await work(database.db)
  } finally {
    await database.close()
  }
}

// Every run is a new process opening the embedded database from disk (seconds each): generous timeouts.
const SLOW = { timeout: 120_000 }

// The embedded runs do not depend on the project's database, so they run in the PGlite project only.
describe.runIf(testDbKind() === 'pglite')('ecar CLI on the embedded database (DATA_DIR, no DATABASE_URL)', () => {
  let dataDir: string
  let env: Record<string, string>
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ecar-cli-'))
    env = { DATA_DIR: dataDir }
  })
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('help lists the commands and exits 0', async () => {
    const run = await ecar(['help'], env)
    expect(run.code).toBe(0)
    for (const command of ['migrate', 'seed', 'create-user', 'create-admin', 'ECAR_PASSWORD']) expect(run.stdout).toContain(command)
  })

  it('create-user creates the account in a fresh data folder', SLOW, async () => {
    const run = await ecar(['create-user', '--email', 'Front.Desk@Example.TEST', '--name', 'Front Desk', '--role', 'advisor', '--password', PASSWORD], env)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Created advisor #\d+ front\.desk@example\.test/)
    const row = await inDataDir(dataDir, async (db) => (await db.select().from(users).where(eq(users.email, 'front.desk@example.test')))[0])
    expect(row).toMatchObject({ name: 'Front Desk', role: 'advisor', active: true })
    expect(await verifyPassword(PASSWORD, row!.passwordHash)).toBe(true)
  })

  it('create-admin takes the password from ECAR_PASSWORD', SLOW, async () => {
    const run = await ecar(['create-admin', '--email', 'owner@example.test', '--name', 'Owner'], { ...env, ECAR_PASSWORD: PASSWORD })
    expect(run.code).toBe(0)
    const row = await inDataDir(dataDir, async (db) => (await db.select().from(users).where(eq(users.email, 'owner@example.test')))[0])
    expect(row?.role).toBe('admin')
    expect(await verifyPassword(PASSWORD, row!.passwordHash)).toBe(true)
  })

  it('refuses bad input with exit code 1 before touching the database', SLOW, async () => {
    const cases: [string[], RegExp][] = [
      [['create-user', '--email', 'nopass@example.test', '--name', 'N', '--role', 'mechanic'], /password is required/],
      [['create-user', '--email', 'role@example.test', '--name', 'N', '--role', 'boss', '--password', PASSWORD], /role must be one of/],
      [['create-user', '--email', 'short@example.test', '--name', 'N', '--role', 'customer', '--password', 'short'], /password/],
      [['create-user', '--name', 'N', '--role', 'customer', '--password', PASSWORD], /Missing --email/],
      [['create-user', '--email', 'x@example.test', '--bogus', 'y'], /Unknown option '--bogus'/],
      [['create-admin', '--email', 'x@example.test', '--name', 'X', '--role', 'customer', '--password', PASSWORD], /always creates an admin/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [[], /No command given/],
    ]
    // A folder that must stay uncreated: none of these may get as far as opening the database.
    const untouched = path.join(dataDir, 'untouched')
    const runs = await Promise.all(cases.map(([args]) => ecar(args, { DATA_DIR: untouched })))
    cases.forEach(([args, message], i) => {
      expect(runs[i]!.code, args.join(' ')).toBe(1)
      expect(runs[i]!.stderr, args.join(' ')).toMatch(message)
    })
    expect(existsSync(untouched)).toBe(false)
  })

  it('refuses a taken email (any case) and seeding a database with accounts, changing nothing', SLOW, async () => {
    const taken = await ecar(['create-user', '--email', 'FRONT.DESK@example.test', '--name', 'Again', '--role', 'admin', '--password', PASSWORD], env)
    expect(taken.code).toBe(1)
    expect(taken.stderr).toMatch(/already exists/)
    const seed = await ecar(['seed'], env)
    expect(seed.code).toBe(1)
    expect(seed.stderr).toMatch(/already has accounts.*Nothing was changed/)
    const emails = await inDataDir(dataDir, async (db) => (await db.select({ email: users.email }).from(users)).map((u) => u.email).sort())
    expect(emails).toEqual(['front.desk@example.test', 'owner@example.test'])
  })

  it('cache clear/warm/stats without REDIS_URL say they cannot reach the memory cache, and open nothing', async () => {
    const untouched = path.join(dataDir, 'untouched-cache')
    const clear = await ecar(['cache', 'clear'], { DATA_DIR: untouched })
    expect(clear.code).toBe(1)
    expect(clear.stdout).not.toMatch(/Cleared/)
    expect(clear.stderr).toMatch(/cache clear needs REDIS_URL: a memory cache lives inside each server process/)
    expect(clear.stderr).toContain('DELETE /api/admin/cache')
    const warm = await ecar(['cache', 'warm'], { DATA_DIR: untouched })
    expect(warm.code).toBe(1)
    expect(warm.stderr).toMatch(/cache warm needs REDIS_URL/)
    const stats = await ecar(['cache', 'stats'], { DATA_DIR: untouched })
    expect(stats.code).toBe(0)
    expect(stats.stdout).toContain('GET /api/admin/cache/stats')
    // Works while a server holds the data folder: none of them opened it.
    expect(existsSync(untouched)).toBe(false)
  })

  it('a bad setting stops it with exit code 1 and names the setting', async () => {
    const run = await ecar(['migrate'], { ...env, PASSWORD_HASH_COST: '1000' })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('PASSWORD_HASH_COST')
  })

  it('migrate and seed work on an empty folder; seed prints the demo logins', SLOW, async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'ecar-cli-seed-'))
    try {
      expect((await ecar(['migrate'], { DATA_DIR: empty })).code).toBe(0)
      const run = await ecar(['seed'], { DATA_DIR: empty })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('admin@ecar.demo')
      const kept = /password\s+(\S+)/.exec(readFileSync(path.join(empty, 'demo-logins.txt'), 'utf8'))![1]!
      expect(run.stdout).toContain(kept)
      expect(kept).not.toBe('ecar-demo-password')
      const counts = await inDataDir(empty, async (db) => ({
        users: (await db.select().from(users)).length,
        vehicles: (await db.select().from(vehicles)).length,
      }))
      expect(counts.users).toBe(24)
      expect(counts.vehicles).toBeGreaterThanOrEqual(20)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})

describe.runIf(testDbKind() === 'postgres')('ecar CLI on PostgreSQL (DATABASE_URL)', () => {
  let testDb: TestDatabase
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres')
  })
  afterAll(async () => testDb?.drop())

  it('create-user writes to the database DATABASE_URL names, and refuses a taken email', SLOW, async () => {
    const run = await ecar(['create-user', '--email', 'pg@example.test', '--name', 'Pg User', '--role', 'mechanic'], {
      DATABASE_URL: testDb.url!,
      ECAR_PASSWORD: PASSWORD,
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('PostgreSQL')
    expect(run.stdout).not.toContain('@127.0.0.1')
    const [row] = await testDb.database.db.select().from(users).where(eq(users.email, 'pg@example.test'))
    expect(row).toMatchObject({ name: 'Pg User', role: 'mechanic' })
    const again = await ecar(['create-admin', '--email', 'PG@example.test', '--name', 'Again', '--password', PASSWORD], { DATABASE_URL: testDb.url! })
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already exists/)
    expect(await testDb.database.db.select().from(users)).toHaveLength(1)
  })
})
