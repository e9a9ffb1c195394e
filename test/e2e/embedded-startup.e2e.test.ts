import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { testDbKind } from '../support/app.ts'
import { freePort } from '../support/services.ts'
import { embeddedDefaultEnv, spawnServer, waitUntilReady, type ServerProcess } from './server-process.ts'

// Start-up on the embedded default as `npm start` runs it: one process per data folder, demo logins
// generated per folder, one clear line when the database cannot be opened.

/** Resolves with the exit code once the server exits on its own (it must, within `timeoutMs`). */
async function exitCode(server: ServerProcess, timeoutMs: number): Promise<number | null> {
  if (server.child.exitCode !== null) return server.child.exitCode
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)))
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms:\n${server.output()}`)), timeoutMs))
  return Promise.race([exited, timer])
}

/** Runs the CLI (`node bin/ecar.js`) with the embedded default's environment plus `env`. */
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/ecar.js', ...args], {
      env: embeddedDefaultEnv(env),
      timeout: 60_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

describe('npm start on an embedded data folder', () => {
  let dataDir: string
  let first: ServerProcess
  const others: ServerProcess[] = []

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ecar-startup-'))
    // HOST empty = unset: the default applies.
    first = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '' })
    await waitUntilReady(first, 60_000)
  }, 90_000)

  afterAll(async () => {
    for (const server of [first, ...others]) await server?.cleanup()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('prints a generated demo password once, with the owner-only file that keeps it', () => {
    const file = path.join(dataDir, 'demo-logins.txt')
    const kept = readFileSync(file, 'utf8')
    const password = /password\s+(\S+)/.exec(kept)?.[1]
    expect(password?.length).toBeGreaterThanOrEqual(10)
    expect(password).not.toBe('ecar-demo-password')
    expect(first.output()).toContain(password)
    expect(first.output()).toContain(file)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('a second server on the same folder exits non-zero at once, naming the first one', async () => {
    const second = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
    others.push(second)
    expect(await exitCode(second, 30_000)).not.toBe(0)
    expect(second.output()).toContain(`data folder ${dataDir} is in use by process ${first.child.pid}`)
    expect(second.output()).not.toMatch(/^\s+at /m)
    // The first still serves.
    expect((await fetch(`${first.baseUrl}/readyz`)).status).toBe(200)
  }, 40_000)

  it('the CLI on the same folder refuses too, and creates nothing', async () => {
    const run = await cli(['create-user', '--email', 'x@example.test', '--name', 'X', '--role', 'mechanic', '--password', 'a long password'], { DATA_DIR: dataDir })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`data folder ${dataDir} is in use by process ${first.child.pid}`)
    expect(run.stdout).not.toMatch(/Created/)
  }, 60_000)

  it('after SIGKILL of the holder, a new start takes the folder over and keeps the data', async () => {
    await first.stop('SIGKILL', 10_000)
    const next = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
    others.push(next)
    await waitUntilReady(next, 60_000)
    // Seeded once: a restart prints no new password.
    expect(next.output()).not.toContain('demo garage')
    const { code } = await next.stop('SIGTERM', 15_000)
    expect(code).toBe(0)
    // A clean stop frees the folder: the CLI can use it now.
    const run = await cli(['create-user', '--email', 'y@example.test', '--name', 'Y', '--role', 'mechanic', '--password', 'a long password'], { DATA_DIR: dataDir })
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/Created mechanic #\d+/)
  }, 120_000)
})

describe('start-up errors are one line', () => {
  it('an unreachable PostgreSQL: exit 1 and one line naming the database, no stack trace', async () => {
    const port = await freePort()
    const server = await spawnServer({ DATABASE_URL: `postgres://ecar:secret@127.0.0.1:${port}/ecar`, LOG_LEVEL: 'warn' })
    try {
      expect(await exitCode(server, 30_000)).toBe(1)
      expect(server.output().trim()).toMatch(new RegExp(`^ECAR cannot start: Cannot open the database \\(PostgreSQL 127\\.0\\.0\\.1:${port}/ecar\\): .*ECONNREFUSED`))
      expect(server.output().trim().split('\n')).toHaveLength(1)
      expect(server.output()).not.toContain('secret')
    } finally {
      await server.cleanup()
    }
  }, 40_000)

  it.runIf(testDbKind() === 'postgres')('a PostgreSQL database that does not exist: exit 1 and one line saying so', async () => {
    const url = new URL(inject('pgAdminUrl'))
    url.pathname = '/ecar_no_such_database'
    const server = await spawnServer({ DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' })
    try {
      expect(await exitCode(server, 30_000)).toBe(1)
      expect(server.output().trim()).toMatch(/^ECAR cannot start: Cannot open the database \(PostgreSQL [^)]*\/ecar_no_such_database\): database "ecar_no_such_database" does not exist$/)
    } finally {
      await server.cleanup()
    }
  }, 40_000)

  it('WEB_CONCURRENCY=2 on the embedded database refuses with a reason', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ecar-cluster-'))
    const server = await spawnServer({ DATA_DIR: dataDir, WEB_CONCURRENCY: '2' }, dataDir)
    try {
      expect(await exitCode(server, 30_000)).toBe(1)
      expect(server.output()).toContain('WEB_CONCURRENCY above 1 needs DATABASE_URL')
    } finally {
      await server.cleanup()
    }
  }, 40_000)
})
