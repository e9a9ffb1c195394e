/**
 * CPU profile of scenario 1's hot path: `node --import tsx bench/profile.ts [seconds] [--scenario 3]`
 * (data from load-data.ts must be in ecar_bench). Starts one ECAR process with --cpu-prof, drives
 * GET /api/vehicles for one customer with wrk (or, with `--scenario 3`, visits every customer once and
 * then drives GET /api/customers/:id/vehicles at random, as scenario 3 does), stops it, and writes
 * bench/results/<date>-profile[-s3-<customers>].md: self time by function and by package.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { BENCH_DIR, WORK_DIR, dbUrl } from './load-data.ts'
import { buildDist, startNode } from './lib/processes.ts'
import { visitEveryCustomer } from './lib/metrics.ts'
import { BENCH_REDIS_URL, removeBenchKeys } from './lib/redis-cleanup.ts'
import { wrk } from './lib/wrk.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

const args = process.argv.slice(2)
const seconds = Number(args.find((a) => /^\d+$/.test(a)) ?? 8)
const scenario3 = args.includes('--scenario') && args[args.indexOf('--scenario') + 1] === '3'
const profDir = path.join(WORK_DIR, 'prof')
rmSync(profDir, { recursive: true, force: true })
mkdirSync(profDir, { recursive: true })
await buildDist()
const prefix = `bench-prof-${Date.now().toString(36)}`
const env = { DATABASE_URL: dbUrl('ecar_bench'), REDIS_URL: BENCH_REDIS_URL, CACHE_PREFIX: prefix }
const tokensFile = path.join(WORK_DIR, 'ecar_bench-tokens.txt')
const customers = readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean).length
const target = scenario3
  ? { port: 3712, mode: 'random' as const, auth: 'Bearer' as const, path: '/api/customers/{id}/vehicles', tokensFile }
  : { port: 3712, mode: 'static' as const, auth: 'Bearer' as const, path: '/api/vehicles', tokensFile }
const server = await startNode({ name: 'ecar-profile', script: 'dist/main.js', port: 3712, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`], env })
const settings = { threads: 1, connections: 32, durationS: seconds, warmupS: 2 }
if (scenario3) await visitEveryCustomer(3712, tokensFile, (id) => target.path.replace('{id}', id), 'Bearer')
await wrk(target, settings, 2)
// Only the samples of the measured run count (start-up, first visits and warm-up are left out). The
// profile's timestamps and process.hrtime are both CLOCK_MONOTONIC, in µs here.
const windowStart = Number(process.hrtime.bigint() / 1000n)
const result = await wrk(target, settings, seconds)
const windowEnd = Number(process.hrtime.bigint() / 1000n)
await server.stop()
await removeBenchKeys(`${prefix}*`)

const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
if (!file) throw new Error('no .cpuprofile written')
const profile = JSON.parse(readFileSync(path.join(profDir, file), 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }
const hitsById = new Map<number, number>()
let at = profile.startTime
let total = 0
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i]!
  if (at < windowStart || at > windowEnd) continue
  total++
  hitsById.set(profile.samples[i]!, (hitsById.get(profile.samples[i]!) ?? 0) + 1)
}
if (total === 0) throw new Error('no profile samples inside the measured window (clocks not comparable?)')
const usPerSample = (windowEnd - windowStart) / total

function where(url: string): string {
  if (!url) return '(native / V8)'
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (nm) return nm[1]!
  if (url.startsWith('node:')) return 'node core'
  const src = /\/((?:src|dist)\/.*)$/.exec(url)
  return src ? src[1]! : url
}

const byFunction = new Map<string, number>()
const byPackage = new Map<string, number>()
for (const node of profile.nodes) {
  const hits = hitsById.get(node.id) ?? 0
  if (hits === 0) continue
  const { functionName, url, lineNumber } = node.callFrame
  const pkg = functionName.startsWith('(') ? functionName : where(url)
  const fn = `${functionName || '(anonymous)'} — ${where(url)}${url ? `:${lineNumber + 1}` : ''}`
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits)
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits)
}
const busy = total - (byPackage.get('(idle)') ?? 0)
const table = (map: Map<string, number>, limit: number) =>
  [...map]
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([k, v]) => `| ${k.replace(/\|/g, '\\|')} | ${((v / busy) * 100).toFixed(1)} % |`)
    .join('\n')

const date = new Date().toISOString()
const what = scenario3
  ? `scenario 3 (GET /api/customers/:id/vehicles, ${customers.toLocaleString('en-US')} customers at random, each visited once first)`
  : 'scenario 1 (GET /api/vehicles, one customer, cache warm)'
const md = `# CPU profile of ${what}, ${date.slice(0, 16).replace('T', ' ')} UTC

One ECAR process (\`node --cpu-prof dist/main.js\`, NODE_ENV=production, LOG_LEVEL=warn), wrk -t1 -c32 for ${seconds} s after 2 s of warm-up:
${Math.round(result.rps)} req/s, p99 ${result.p99Ms.toFixed(1)} ms (the profiler itself costs some throughput).
${total} samples of ${Math.round(usPerSample)} µs, the measured run only; idle ${(((byPackage.get('(idle)') ?? 0) / total) * 100).toFixed(1)} % of the profile. Shares below are of the busy (non-idle) samples, self time.

## By package / file
| where | self time |
|---|---|
${table(byPackage, 25)}

## By function (top 40)
| function — where | self time |
|---|---|
${table(byFunction, 40)}
`
const out = path.join(BENCH_DIR, 'results', `${date.slice(0, 10)}-profile${scenario3 ? `-s3-${customers}` : ''}.md`)
mkdirSync(path.dirname(out), { recursive: true })
writeFileSync(out, md)
console.log(md)
