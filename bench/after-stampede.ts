/**
 * `node --import tsx bench/after-stampede.ts [rounds]` (data from load-data.ts in ecar_bench): scenario 1 on two
 * fresh ECAR processes side by side, by turns, one of which first served two cold 500-request stampedes
 * (as scenario 5 does before scenario 1 in `npm run bench`). Prints req/s of each round and each process's
 * garbage-collection time over the measured runs (from /metrics). Decision 005 came from this measurement.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { WORK_DIR, dbUrl } from './load-data.ts'
import { burst } from './lib/metrics.ts'
import { buildDist, startNode } from './lib/processes.ts'
import { median, wrk } from './lib/wrk.ts'
import { BENCH_REDIS_URL, removeBenchKeys } from './lib/redis-cleanup.ts'

const rounds = Number(process.argv[2] ?? 4)
const runId = Date.now().toString(36)
const tokensFile = path.join(WORK_DIR, 'ecar_bench-tokens.txt')
const token = (line: number) => readFileSync(tokensFile, 'utf8').split('\n')[line]!.split(' ')[1]!
const start = (name: string, port: number) =>
  startNode({ name, script: 'dist/main.js', port, env: { DATABASE_URL: dbUrl('ecar_bench'), REDIS_URL: BENCH_REDIS_URL, CACHE_PREFIX: `bench-stampede-${runId}-${name}` } })

/** Seconds spent in each kind of collection so far (prom-client's nodejs_gc_duration_seconds). */
async function gcSeconds(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const out: Record<string, number> = {}
  for (const match of text.matchAll(/^nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)$/gm)) out[`${match[2]} ${match[1]}`] = Number(match[3])
  return out
}

await buildDist()
const fresh = await start('after-stampede-fresh', 3723)
const stampeded = await start('after-stampede-stampeded', 3724)
try {
  await burst(3724, '/api/vehicles', token(0), 500)
  for (let i = 0; i < 2; i++) await burst(3724, '/api/auth/me', token(1), 1)
  await burst(3724, '/api/vehicles', token(1), 500)
  const target = (port: number) => ({ port, mode: 'static' as const, auth: 'Bearer' as const, path: '/api/vehicles', tokensFile })
  const load = { threads: 1, connections: 32, durationS: 5, warmupS: 3 }
  await wrk(target(3723), load, 3)
  await wrk(target(3724), load, 3)
  const before = [await gcSeconds(3723), await gcSeconds(3724)]
  const runs: number[][] = [[], []]
  for (let i = 0; i < rounds; i++) {
    runs[0]!.push(Math.round((await wrk(target(3723), load, 5)).rps))
    runs[1]!.push(Math.round((await wrk(target(3724), load, 5)).rps))
  }
  const after = [await gcSeconds(3723), await gcSeconds(3724)]
  for (const [i, name] of ['fresh', 'after the stampedes'].entries()) {
    const gc = Object.entries(after[i]!).map(([k, v]) => `${k} ${(v - (before[i]![k] ?? 0)).toFixed(k.endsWith('sum') ? 3 : 0)}`)
    console.log(`${name.padEnd(20)} median ${median(runs[i]!)} req/s (${runs[i]!.join(', ')}); GC over the runs: ${gc.join(', ')}`)
  }
} finally {
  await fresh.stop()
  await stampeded.stop()
  await removeBenchKeys(`bench-stampede-${runId}-*`)
}
