import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../support/services.ts'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
// Kept so a failure can show what the server said; a smoke run writes little at LOG_LEVEL=warn.
const MAX_OUTPUT = 256 * 1024

/** A real ECAR server process, started as `npm start` starts it. */
export interface ServerProcess {
  baseUrl: string
  dataDir: string
  child: ChildProcess
  /** The last of what the process wrote to stdout and stderr. */
  output(): string
  /** Sends a signal and resolves with the exit code (or the signal) once the process is gone. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Kills the process if it still runs and removes its data folder. */
  cleanup(): Promise<void>
}

/**
 * The environment of a plain `npm start`: settings that would pick a database, a cache or a mode
 * (DATABASE_URL, REDIS_URL, CACHE_*, ECAR_*) are removed, so the server takes the embedded default.
 */
export function embeddedDefaultEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'DATABASE_URL' || name === 'REDIS_URL' || name.startsWith('CACHE_') || name.startsWith('ECAR_')) continue
    env[name] = value
  }
  return { ...env, ...overrides }
}

/** Starts what `npm start` runs (`node dist/main.js`, built by the global setup) on a free loopback port with a fresh DATA_DIR. */
export async function startServer(): Promise<ServerProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ecar-e2e-'))
  return spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, dataDir)
}

/**
 * Spawns what `npm start` runs on a free loopback port, with the embedded default's environment plus
 * `env`; `dataDir`, when given, is removed by cleanup().
 */
export async function spawnServer(env: Record<string, string>, dataDir = ''): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: REPO_ROOT,
    env: embeddedDefaultEnv({ PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  const running = () => child.exitCode === null && child.signalCode === null

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    child,
    output: () => output,
    async stop(signal, timeoutMs) {
      if (running()) child.kill(signal)
      let timer: NodeJS.Timeout | undefined
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`server did not exit within ${timeoutMs} ms of ${signal}\n${output}`)), timeoutMs)
      })
      try {
        return await Promise.race([exited, timedOut])
      } finally {
        clearTimeout(timer)
      }
    },
    async cleanup() {
      if (running()) {
        child.kill('SIGKILL')
        await exited
      }
      if (dataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** Polls GET /readyz until it answers 200; fails early if the process exits, or after the timeout. */
export async function waitUntilReady(server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`server exited (${server.child.exitCode ?? server.child.signalCode}) before it was ready:\n${server.output()}`)
    }
    try {
      const res = await fetch(`${server.baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) })
      if (res.status === 200) return
      last = `${res.status} ${await res.text()}`
    } catch (error) {
      last = (error as Error).message
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`GET /readyz did not answer 200 within ${timeoutMs} ms (last: ${last}):\n${server.output()}`)
}
