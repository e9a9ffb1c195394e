import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { embeddedDefaultEnv, type ServerProcess } from '../e2e/server-process.ts'
import { freePort } from '../support/services.ts'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const MAX_OUTPUT = 256 * 1024

/**
 * Starts `node --import tsx src/main.ts` (what `npm start` runs) on a free loopback port with the
 * given settings (DATABASE_URL, REDIS_URL, CACHE_PREFIX, …); test/e2e/server-process.ts starts the
 * embedded default only. Nothing is written to disk: `dataDir` is unused with PostgreSQL.
 */
export async function startEcarServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: embeddedDefaultEnv({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ECAR_DEMO: 'false', ...env }),
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
    dataDir: '',
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
    },
  }
}

/** Pino lines at level error (50) or fatal (60) in a server's output. */
export function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(50|60)\b/.test(line))
}
