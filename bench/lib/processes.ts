import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, openSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { WORK_DIR } from '../load-data.ts'

export const ROOT = path.resolve(WORK_DIR, '../..')

export interface Server {
  name: string
  port: number
  pid: number
  child: ChildProcess | undefined
  stop(): Promise<void>
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

/** Waits until GET url answers 200 (or any status when `anyStatus`). */
export async function waitFor(url: string, timeoutMs = 30_000, init?: RequestInit): Promise<void> {
  const until = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < until) {
    try {
      const response = await fetch(url, init)
      await response.arrayBuffer()
      if (response.status === 200) return
      last = `status ${response.status}`
    } catch (error) {
      last = (error as Error).message
    }
    await sleep(100)
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`)
}

/**
 * Starts `node [nodeArgs] <script>` with env (TypeScript scripts through `--import tsx`), logging to
 * bench/.work/logs/<name>.log.
 */
export async function startNode(options: {
  name: string
  script: string
  port: number
  env: Record<string, string>
  nodeArgs?: string[]
  readyPath?: string
}): Promise<Server> {
  // A server left over from an interrupted run would answer the readiness check for this one.
  if (await listening(options.port)) throw new Error(`port ${options.port} is taken (a server left over from an earlier run?); stop it first`)
  const logs = path.join(WORK_DIR, 'logs')
  mkdirSync(logs, { recursive: true })
  const log = openSync(path.join(logs, `${options.name}.log`), 'w')
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(options.script.endsWith('.ts') ? ['--import', 'tsx'] : []), options.script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(options.port), ...options.env },
    stdio: ['ignore', log, log],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const server: Server = {
    name: options.name,
    port: options.port,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      await exited
      clearTimeout(timer)
    },
  }
  try {
    await waitFor(`http://127.0.0.1:${options.port}${options.readyPath ?? '/readyz'}`, 60_000)
  } catch (error) {
    await server.stop()
    throw new Error(`${options.name} did not start: ${(error as Error).message}; see bench/.work/logs/${options.name}.log`, { cause: error })
  }
  return server
}

/** Whether something accepts connections on a loopback port. */
async function listening(port: number): Promise<boolean> {
  const net = await import('node:net')
  return await new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** The pid and every descendant's pid. */
export function descendants(pid: number): number[] {
  const all = [pid]
  for (let i = 0; i < all.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${all[i]}/task`)) {
        const children = readFileSync(`/proc/${all[i]}/task/${task}/children`, 'utf8').trim()
        if (children) all.push(...children.split(/\s+/).map(Number))
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return all
}

function status(pid: number): { name: string; hwmKb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    return { name: /^Name:\s+(.*)$/m.exec(text)?.[1] ?? '', hwmKb: Number(/^VmHWM:\s+(\d+)/m.exec(text)?.[1] ?? 0) }
  } catch {
    return undefined
  }
}

export interface PeakRss {
  /** Sum of VmHWM over the serving processes (primary and workers). */
  totalMb: number
  /** The largest single process's VmHWM. */
  maxMb: number
  processes: number
}

/** Peak RSS (VmHWM) of a process tree, counting only processes whose name matches (esbuild's helper is not the server). */
export function peakRss(pid: number, namePattern: RegExp): PeakRss {
  const figures = descendants(pid)
    .map(status)
    .filter((s): s is { name: string; hwmKb: number } => s !== undefined && namePattern.test(s.name))
  const kb = figures.map((f) => f.hwmKb)
  return {
    totalMb: Math.round(kb.reduce((a, b) => a + b, 0) / 1024),
    maxMb: Math.round(Math.max(0, ...kb) / 1024),
    processes: figures.length,
  }
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const net = await import('node:net')
  return await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
}

/** Runs a command to completion, returning its stdout (stderr goes to ours). */
export async function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return await new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${out}`))))
  })
}

/** Compiles src/ to dist/ as `npm start` does before it starts (`tsc -b`: about a second when nothing changed). */
export async function buildDist(): Promise<void> {
  await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'])
}
