import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DataFolderInUseError, lockDataFolder } from '../../src/platform/db/data-folder-lock.ts'
import { openDatabase } from '../../src/platform/db/database.ts'

/** A pid that surely names no process: one that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  return child.pid!
}

describe('the embedded data folder lock', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ecar-lock-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const lockFile = () => path.join(dir, 'ecar.lock')

  it('refuses a second opener while the holder lives, naming its pid', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' })
    try {
      writeFileSync(lockFile(), JSON.stringify({ pid: holder.pid, host: hostname(), started: null }))
      expect(() => lockDataFolder(dir)).toThrow(DataFolderInUseError)
      expect(() => lockDataFolder(dir)).toThrow(`data folder ${dir} is in use by process ${holder.pid}`)
      // Not taken over: the file still names the holder.
      expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(holder.pid)
    } finally {
      holder.kill('SIGKILL')
    }
  })

  it('creates a new data folder readable by its owner only (it will hold password hashes)', () => {
    const fresh = path.join(dir, 'new-folder')
    lockDataFolder(fresh).release()
    expect(statSync(fresh).mode & 0o777).toBe(0o700)
  })

  it('takes over a stale lock whose process does not exist', () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: deadPid(), host: hostname(), started: null }))
    const lock = lockDataFolder(dir)
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid)
    lock.release()
    expect(existsSync(lockFile())).toBe(false)
  })

  it('takes over a lock whose pid now names another process (pid reuse: another start time)', () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: process.pid, host: hostname(), started: 'not-this-start-time' }))
    const lock = lockDataFolder(dir)
    lock.release()
  })

  it('takes over an empty lock left by a crash between creating and writing it', () => {
    writeFileSync(lockFile(), '')
    const old = new Date(Date.now() - 60_000)
    // An old empty file: its writer is long gone.
    utimesSync(lockFile(), old, old)
    lockDataFolder(dir).release()
  })

  it('refuses a recently touched lock of a process on another host (it cannot see whether it lives)', () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: deadPid(), host: 'some-other-host', started: null }))
    expect(() => lockDataFolder(dir)).toThrow(/in use by process \d+ on host some-other-host/)
  })

  it("takes over another host's lock that its holder stopped touching (a container recreated on the same volume)", () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: 1, host: 'old-container', started: null }))
    const old = new Date(Date.now() - 5 * 60_000)
    utimesSync(lockFile(), old, old)
    lockDataFolder(dir).release()
  })

  it('refuses the same folder twice in one process, and frees it on close', async () => {
    const database = await openDatabase({ databaseUrl: undefined, dataDir: dir, poolMax: 1 })
    try {
      await expect(openDatabase({ databaseUrl: undefined, dataDir: dir, poolMax: 1 })).rejects.toThrow(`in use by process ${process.pid}`)
    } finally {
      await database.close()
    }
    expect(existsSync(lockFile())).toBe(false)
    const again = await openDatabase({ databaseUrl: undefined, dataDir: dir, poolMax: 1 })
    await again.close()
  }, 60_000)
})
