import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'

// An embedded PGlite folder has no postmaster.pid of its own: two processes opening it both run, and
// each overwrites the other's pages (docs/decisions/010-data-folder-lock-and-demo-credentials.md).
const LOCK_FILE = 'ecar.lock'
// Held only while a stale lock is replaced, so that two starters cannot both take the same stale lock.
const TAKEOVER_FILE = 'ecar.lock.takeover'
// A takeover file this old belongs to a process that died between two system calls.
const TAKEOVER_STALE_MS = 10_000
// The holder touches its lock this often. Another host's processes cannot be seen (a folder on a
// network share, a container recreated with a new host name on the same volume), so a lock from
// another host is stale once it has gone HEARTBEAT_STALE_MS without a touch.
const HEARTBEAT_MS = 10_000
const HEARTBEAT_STALE_MS = 60_000

/** Another live process holds the data folder: the second opener must not touch it. */
export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError'
}

/** What the lock file says about its holder. */
interface Holder {
  pid: number
  host: string
  /** The kernel's start time of the process (Linux /proc), to tell a reused pid from the holder. */
  started: string | null
}

/** The start time of a process as the kernel records it, or null where /proc is not available. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22 (starttime), counted after the parenthesised command name, which may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, started: typeof parsed.started === 'string' ? parsed.started : null }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
  }
  // Unreadable or half-written: a starter between creating and writing it (young), or one that died there.
  let young: boolean
  try {
    young = Date.now() - statSync(file).mtimeMs < TAKEOVER_STALE_MS
  } catch {
    return undefined
  }
  return { pid: young ? -1 : 0, host: hostname(), started: null }
}

/** Whether the holder is gone: same host and its pid is dead or now names another process. */
function stale(holder: Holder, file: string): boolean {
  if (holder.host !== hostname()) return untouchedFor(file) > HEARTBEAT_STALE_MS
  if (holder.pid === -1) return false
  if (holder.pid === 0 || !alive(holder.pid)) return true
  return holder.started !== null && processStart(holder.pid) !== holder.started
}

function untouchedFor(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs
  } catch {
    return 0
  }
}

function createExclusive(file: string, content: string): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    writeSync(fd, content)
  } finally {
    closeSync(fd)
  }
  return true
}

/** A held data-folder lock; release() removes it (only if it is still this process's). */
export interface DataFolderLock {
  file: string
  release(): void
}

/**
 * Takes the data folder for this process, or throws DataFolderInUseError naming the process that has
 * it. A lock whose process is gone (crash, SIGKILL, pid reused) is taken over.
 */
export function lockDataFolder(dataDir: string): DataFolderLock {
  // A new folder is the owner's only: it will hold password hashes (and the demo logins).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, LOCK_FILE)
  const me: Holder = { pid: process.pid, host: hostname(), started: processStart(process.pid) }
  const content = JSON.stringify(me)
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, content)) return held(file, content)
    const holder = readHolder(file)
    if (holder === undefined) continue
    if (!stale(holder, file)) {
      const who = holder.pid === -1 ? 'another process that is starting' : `process ${holder.pid}`
      const where = holder.host === me.host ? '' : ` on host ${holder.host}`
      const self = holder.pid === process.pid && holder.host === me.host ? ' (this process: it is already open)' : ''
      throw new DataFolderInUseError(
        `data folder ${dataDir} is in use by ${who}${where}${self}; stop that process first (the embedded database serves one process; see README, "Command line")`,
      )
    }
    takeOver(dataDir, file, holder)
  }
  throw new DataFolderInUseError(`data folder ${dataDir} is in use: its lock ${file} keeps changing hands`)
}

/** Removes a stale lock, under a second exclusive file so that only one starter removes that very lock. */
function takeOver(dataDir: string, file: string, seen: Holder): void {
  const guard = path.join(dataDir, TAKEOVER_FILE)
  if (!createExclusive(guard, String(process.pid))) {
    try {
      if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) rmSync(guard, { force: true })
    } catch {
      // Gone meanwhile: the other starter finished.
    }
    return
  }
  try {
    const now = readHolder(file)
    // Still the same stale holder (not a lock a faster starter has just written): remove it.
    if (now && now.pid === seen.pid && now.host === seen.host && now.started === seen.started) rmSync(file, { force: true })
  } finally {
    rmSync(guard, { force: true })
  }
}

function held(file: string, content: string): DataFolderLock {
  let released = false
  const release = () => {
    if (released) return
    released = true
    clearInterval(heartbeat)
    process.off('exit', release)
    try {
      if (readFileSync(file, 'utf8') === content) unlinkSync(file)
    } catch {
      // Already gone.
    }
  }
  const heartbeat = setInterval(() => {
    try {
      const now = new Date()
      utimesSync(file, now, now)
    } catch {
      // Removed under us: nothing to keep fresh.
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()
  // A process that ends without closing the database (process.exit) still frees the folder.
  process.on('exit', release)
  return { file, release }
}
