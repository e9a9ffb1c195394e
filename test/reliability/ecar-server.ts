import { spawnServer, type ServerProcess } from '../e2e/server-process.ts'

/** A real server process on the given settings (DATABASE_URL, REDIS_URL, CACHE_PREFIX, …), without the demo. */
export async function startEcarServer(env: Record<string, string>): Promise<ServerProcess> {
  return spawnServer({ LOG_LEVEL: 'warn', ECAR_DEMO: 'false', ...env })
}

/** Pino lines at level error (50) or fatal (60) in a server's output. */
export function errorLines(output: string): string[] {
  return output.split('\n').filter((line) => /"level":(50|60)\b/.test(line))
}
