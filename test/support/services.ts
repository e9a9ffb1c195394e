import net from 'node:net'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Resolves true when something accepts TCP connections on host:port within the timeout. */
export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** The redis-server binary on PATH, if any. */
export function redisServerBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/redis-server`)) return `${dir}/redis-server`
  }
  return undefined
}

/** A redis-server this test process started on a loopback port; nothing else uses it. */
export interface SpawnedRedis {
  port: number
  url: string
  process: ChildProcess
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>
  /** SIGSTOP: the server keeps its sockets open but answers nothing. */
  pause(): void
  resume(): void
  /** Starts a fresh (empty) server on the same port. */
  restart(): Promise<void>
  stop(): Promise<void>
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Starts a private, in-memory redis-server on a free loopback port; `args` are added to every start. */
export async function spawnRedis(port?: number, args: string[] = []): Promise<SpawnedRedis> {
  const binary = redisServerBinary()
  if (!binary) throw new Error('redis-server is not installed (Debian package: redis-server)')
  const chosen = port ?? (await freePort())
  const start = async () => {
    const child = spawn(binary, ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...args], {
      stdio: 'ignore',
    })
    await waitFor(() => canConnect('127.0.0.1', chosen, 200), 10_000, `redis-server on ${chosen}`)
    return child
  }
  let child = await start()
  const handle: SpawnedRedis = {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    get process() {
      return child
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async restart() {
      await handle.kill()
      child = await start()
    },
    async stop() {
      child.kill('SIGCONT')
      await handle.kill()
    },
  }
  return handle
}
