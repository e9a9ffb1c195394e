import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { BENCH_DIR } from '../load-data.ts'
import { run } from './processes.ts'

export interface LoadSettings {
  threads: number
  connections: number
  durationS: number
  warmupS: number
}

export interface WrkResult {
  requests: number
  rps: number
  p50Ms: number
  p99Ms: number
  errors: number
  non2xx: number
}

export interface WrkTarget {
  port: number
  /** static: one customer's fixed request; random: a random customer per request; mixed: 95 % GET / 5 % PATCH; seq: every customer in turn. */
  mode: 'static' | 'random' | 'mixed'
  auth: 'Bearer' | 'Token'
  /** `{id}` stands for the customer id. */
  path: string
  tokensFile: string
}

/** Fails early, saying what to install, when wrk is missing (rather than after the data load). */
export function assertWrk(): void {
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is not installed: `apt-get install wrk` (Debian package)')
}

/** One wrk run (bench/load.lua), parsed from the JSON line its done() prints. */
export async function wrk(target: WrkTarget, load: LoadSettings, seconds: number, connections = load.connections): Promise<WrkResult> {
  const url = `http://127.0.0.1:${target.port}`
  const out = await run(
    'wrk',
    [`-t${load.threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', path.join(BENCH_DIR, 'load.lua'), url, '--', target.mode, target.auth, target.path, target.tokensFile],
    { WRK_DYNAMIC: target.mode === 'static' ? '0' : '1' },
  )
  const line = out.split('\n').find((l) => l.startsWith('WRKJSON '))
  if (!line) throw new Error(`wrk printed no summary:\n${out}`)
  const r = JSON.parse(line.slice(8)) as {
    requests: number
    durationUs: number
    p50Us: number
    p99Us: number
    errors: { connect: number; read: number; write: number; status: number; timeout: number }
  }
  return {
    requests: r.requests,
    rps: r.requests / (r.durationUs / 1e6),
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    errors: r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout,
    non2xx: r.errors.status,
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
