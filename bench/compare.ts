/**
 * A quick side-by-side of scenario 1 for one change: `node --import tsx bench/compare.ts [seconds] [rounds]`.
 * Starts each variant below once (1 worker, data from load-data.ts in ecar_bench), then measures them in
 * turn, round after round, so drift on a shared machine hits all of them alike; prints medians and ratios
 * to the ceiling, and the server's CPU time per request (user + system, from /proc: steadier than
 * throughput when the machine is shared, as it counts only what the server itself spent). Variants: ECAR as `npm start` runs it (dist/), ECAR through tsx (src/), the ceiling.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { dbUrl, WORK_DIR } from './load-data.ts'
import { buildDist, startNode, type Server } from './lib/processes.ts'
import { median, wrk, type WrkTarget } from './lib/wrk.ts'
import { BENCH_REDIS_URL, removeBenchKeys } from './lib/redis-cleanup.ts'

const seconds = Number(process.argv[2] ?? 5)
const rounds = Number(process.argv[3] ?? 3)
const tokensFile = path.join(WORK_DIR, 'ecar_bench-tokens.txt')
const bodyFile = path.join(WORK_DIR, 'ceiling-body.json')
const runId = Date.now().toString(36)
const ecarEnv = (name: string) => ({ DATABASE_URL: dbUrl('ecar_bench'), REDIS_URL: BENCH_REDIS_URL, CACHE_PREFIX: `bench-compare-${runId}-${name}` })

const variants: { name: string; start: (port: number) => Promise<Server> }[] = [
  { name: 'ecar (dist)', start: (port) => startNode({ name: 'compare-dist', script: 'dist/main.js', port, env: ecarEnv('dist') }) },
  { name: 'ecar (tsx)', start: (port) => startNode({ name: 'compare-tsx', script: 'src/main.ts', port, env: ecarEnv('tsx') }) },
  { name: 'ceiling', start: (port) => startNode({ name: 'compare-ceiling', script: 'bench/ceiling-server.js', port, env: { CEILING_BODY_FILE: bodyFile } }) },
]

await buildDist()
/** User + system CPU seconds of a process so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

const servers: Server[] = []
try {
  servers.push(await variants[0]!.start(3801))
  // The ceiling answers with ECAR's exact bytes for this customer.
  const token = readFileSync(tokensFile, 'utf8').split('\n')[0]!.split(' ')[1]!
  const body = await fetch('http://127.0.0.1:3801/api/vehicles', { headers: { authorization: `Bearer ${token}` } })
  writeFileSync(bodyFile, Buffer.from(await body.arrayBuffer()))
  for (const [i, variant] of variants.entries()) if (i > 0) servers.push(await variant.start(3801 + i))
  const settings = { threads: 1, connections: 32, durationS: seconds, warmupS: 2 }
  const results = variants.map(() => [] as number[])
  const cpu = variants.map(() => [] as number[])
  const target = (port: number): WrkTarget => ({ port, mode: 'static', auth: 'Bearer', path: '/api/vehicles', tokensFile })
  for (const [i] of variants.entries()) await wrk(target(3801 + i), settings, 2)
  for (let round = 0; round < rounds; round++) {
    for (const [i] of variants.entries()) {
      const before = cpuSeconds(servers[i]!.pid)
      const run = await wrk(target(3801 + i), settings, seconds)
      results[i]!.push(run.rps)
      cpu[i]!.push(((cpuSeconds(servers[i]!.pid) - before) / run.requests) * 1e6)
    }
  }
  const ceiling = median(results.at(-1)!)
  for (const [i, variant] of variants.entries()) {
    const m = median(results[i]!)
    const us = median(cpu[i]!)
    console.log(
      `${variant.name.padEnd(14)} ${Math.round(m).toString().padStart(6)} req/s  (${(m / ceiling).toFixed(2)} of the ceiling)  ` +
        `${us.toFixed(1)} µs CPU/request (${(median(cpu.at(-1)!) / us).toFixed(2)} of the ceiling's rate)  runs: ${results[i]!.map(Math.round).join(', ')}`,
    )
  }
} finally {
  for (const server of servers) await server.stop()
  await removeBenchKeys(`bench-compare-${runId}-*`)
}
