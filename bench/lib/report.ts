import type { PeakRss } from './processes.ts'
import type { LoadSettings } from './wrk.ts'

export interface Row {
  id: string
  scenario: string
  system: 'ECAR' | 'ceiling' | 'Django'
  workers: number
  rps: number
  p50Ms: number
  p99Ms: number
  runsRps?: number[]
  requests: number
  non2xx: number
  errors: number
  /** Database queries per request from the server's ecar_db_queries_total; undefined when unavailable. */
  queriesPerRequest: number | undefined
  queriesTotal?: number
  hitRatio: number | undefined
  rss: PeakRss | undefined
  stale?: { writes: number; reads: number; stale: number; errors: number; examples: string[] }
  extra?: string
}

export interface RunInfo {
  date: string
  scale: number
  quick: boolean
  load: LoadSettings
  repeats: number
  machine: { cores: number; cpuModel: string; memoryGb: number; node: string; os: string; wrk: string }
  data: { customers: number; vehicles: number; source: string; loadMs: number }
  wallSeconds: number
  notes: string[]
  responseBytes: number
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }))
const pct = (n: number | undefined) => (n === undefined ? 'n/a' : `${(n * 100).toFixed(1)} %`)
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`)

export function find(rows: Row[], id: string, system: Row['system'], workers?: number): Row | undefined {
  return rows.find((r) => r.id === id && r.system === system && (workers === undefined || r.workers === workers))
}

export function renderMarkdown(info: RunInfo, rows: Row[], svgName: string): string {
  const m = info.machine
  const lines: string[] = []
  lines.push(`# ECAR benchmark, ${info.date.slice(0, 16).replace('T', ' ')} UTC, N = ${info.scale.toLocaleString('en-US')}${info.quick ? ' (quick)' : ''}`)
  lines.push('')
  lines.push(`Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}, ${m.os}. Load generator, servers, PostgreSQL and Redis share the cores.`)
  lines.push(
    `Load: wrk -t${info.load.threads} -c${info.load.connections}, warm-up ${info.load.warmupS} s, then ${info.repeats} × ${info.load.durationS} s; req/s and latencies are medians of the runs. ` +
      `Data: ${info.data.customers.toLocaleString('en-US')} customers, ${info.data.vehicles.toLocaleString('en-US')} vehicles (${info.data.source}, loaded in ${info.data.loadMs} ms); scenario 1 body ${info.responseBytes} bytes.`,
  )
  lines.push('')
  lines.push('## Side by side')
  lines.push('')
  const s = (id: string, sys: Row['system'], w?: number) => find(rows, id, sys, w)
  lines.push('| scenario | ECAR 1 worker | ECAR 2 workers | ceiling 1 | ceiling 2 | Django (2 workers) | ECAR ÷ Django (1 / 2 w) | ECAR ÷ ceiling (1 / 2 w) |')
  lines.push('|---|---|---|---|---|---|---|---|')
  const cell = (r: Row | undefined) => (r ? `${fmt(r.rps)} req/s · p99 ${fmt(r.p99Ms, 1)} ms` : '—')
  for (const [id, name] of [
    ['S1', '1 GET /api/vehicles, warm'],
    ['S2', '2 same, cache off'],
    ['S3', '3 customer data cache, random'],
  ] as const) {
    const e1 = s(id, 'ECAR', 1)
    const e2 = s(id, 'ECAR', 2)
    const c1 = id === 'S1' ? s('S7', 'ceiling', 1) : undefined
    const c2 = id === 'S1' ? s('S7', 'ceiling', 2) : undefined
    const d = s(id, 'Django')
    lines.push(
      `| ${name} | ${cell(e1)} | ${cell(e2)} | ${cell(c1)} | ${cell(c2)} | ${cell(d)} | ${ratio(e1?.rps, d?.rps)} / ${ratio(e2?.rps, d?.rps)} | ${c1 ? `${ratio(e1?.rps, c1.rps)} / ${ratio(e2?.rps, c2?.rps)}` : '—'} |`,
    )
  }
  lines.push('')
  lines.push(
    `Warm ÷ uncached (scenario 1 ÷ 2, 1 worker): ECAR ${ratio(s('S1', 'ECAR', 1)?.rps, s('S2', 'ECAR', 1)?.rps)}; Django ${ratio(s('S1', 'Django')?.rps, s('S2', 'Django')?.rps)}.`,
  )
  lines.push('')
  lines.push(`![throughput and p99](${svgName})`)
  lines.push('')
  lines.push('## Every run')
  lines.push('')
  lines.push('| # | scenario | system | workers | req/s (runs) | p50 ms | p99 ms | non-2xx / socket errors | DB queries / request | cache hit ratio | peak RSS MB (sum / max process) |')
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of rows) {
    const runs = r.runsRps && r.runsRps.length > 1 ? ` (${r.runsRps.join(', ')})` : ''
    const q = r.queriesPerRequest === undefined ? 'n/a' : r.queriesTotal !== undefined ? `${fmt(r.queriesPerRequest, 4)} (${r.queriesTotal} in all)` : fmt(r.queriesPerRequest, 4)
    const rss = r.rss ? `${r.rss.totalMb} / ${r.rss.maxMb} (${r.rss.processes} proc)` : 'n/a'
    lines.push(`| ${r.id} | ${r.scenario} | ${r.system} | ${r.workers} | ${fmt(r.rps)}${runs} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${r.non2xx} / ${r.errors} | ${q} | ${pct(r.hitRatio)} | ${rss} |`)
  }
  lines.push('')
  const extras = rows.filter((r) => r.extra || r.stale)
  if (extras.length > 0) {
    lines.push('Details:')
    for (const r of extras) {
      if (r.extra) lines.push(`- ${r.id} (${r.workers} worker${r.workers > 1 ? 's' : ''}): ${r.extra}`)
      if (r.stale) {
        lines.push(
          `- ${r.id} (${r.workers} worker${r.workers > 1 ? 's' : ''}): stale reads ${r.stale.stale} of ${r.stale.reads} read-backs after ${r.stale.writes} acknowledged writes (checker errors ${r.stale.errors})${r.stale.examples.length ? `: ${r.stale.examples.join('; ')}` : ''}`,
        )
      }
    }
    lines.push('')
  }
  lines.push('## Targets (issue 5)')
  lines.push('')
  for (const t of targets(rows, info)) lines.push(`- ${t}`)
  lines.push('')
  lines.push(
    'DB queries and hit ratio come from the server\'s /metrics (`ecar_db_queries_total`, `ecar_cache_hits_total` / `ecar_cache_misses_total`, all namespaces incl. session lookups), ' +
      'read before and after the measured runs from every worker (fresh connections, told apart by the instance id of `ecar_instance_info`). Peak RSS is VmHWM from /proc, summed over the primary and its workers (and the largest single process).',
  )
  if (info.notes.length > 0) {
    lines.push('')
    lines.push('Notes:')
    for (const n of info.notes) lines.push(`- ${n}`)
  }
  lines.push('')
  return lines.join('\n')
}

function targets(rows: Row[], info: RunInfo): string[] {
  const out: string[] = []
  const mark = (ok: boolean | undefined) => (ok === undefined ? '**not measured**' : ok ? '**met**' : '**missed**')
  const django = find(rows, 'S1', 'Django')
  for (const w of [1, 2]) {
    const e = find(rows, 'S1', 'ECAR', w)
    const c = find(rows, 'S7', 'ceiling', w)
    if (!e) continue
    out.push(`Scenario 1 ≥ 10 × Django (${w} worker${w > 1 ? 's' : ''}): ${ratio(e.rps, django?.rps)} ${mark(django ? e.rps >= 10 * django.rps : undefined)}`)
    out.push(`Scenario 1 ≥ 60 % of the ceiling at ${w} worker${w > 1 ? 's' : ''}: ${c ? pct(e.rps / c.rps) : 'n/a'} ${mark(c ? e.rps >= 0.6 * c.rps : undefined)}`)
    out.push(`Scenario 1 zero DB queries per request (${w} w): ${fmt(e.queriesPerRequest, 4)} ${mark(e.queriesPerRequest === undefined ? undefined : e.queriesPerRequest === 0)}`)
  }
  for (const r of rows.filter((x) => x.id === 'S5')) {
    const warm = r.scenario.includes('session lookup warmed')
    out.push(
      `Scenario 5 one query per process (${r.workers} process${r.workers > 1 ? 'es' : ''}, ${warm ? 'session warmed first' : 'session cold too'}): ${r.queriesTotal ?? 'n/a'} queries in all ` +
        `${mark(r.queriesTotal === undefined ? undefined : r.queriesTotal <= r.workers * (warm ? 1 : 2))}${warm ? '' : ' (read as ≤ 1 list + 1 session query per process)'}`,
    )
  }
  for (const r of rows.filter((x) => x.id === 'S4' && x.stale)) out.push(`Scenario 4 zero stale reads (${r.workers} w): ${r.stale!.stale} ${mark(r.stale!.stale === 0 && r.stale!.writes > 0)}`)
  const s6 = find(rows, 'S6', 'ECAR')
  if (s6) out.push(`Scenario 6 every answer 200 and p99 < 50 ms: non-2xx ${s6.non2xx}, socket errors ${s6.errors}, p99 ${fmt(s6.p99Ms, 1)} ms ${mark(s6.non2xx === 0 && s6.errors === 0 && s6.p99Ms < 50)}`)
  const rssMax = Math.max(0, ...rows.filter((r) => r.system === 'ECAR' && r.id !== 'S3h' && r.rss).map((r) => r.rss!.maxMb))
  out.push(`Server RSS under 300 MB per process at N = ${info.scale.toLocaleString('en-US')}, V8 defaults (\`npm start\`): max ${rssMax} MB ${mark(rssMax > 0 ? rssMax < 300 : undefined)}`)
  const limited = find(rows, 'S3h', 'ECAR', 1)
  if (limited?.rss) {
    out.push(
      `Server RSS under 300 MB per process at N = ${info.scale.toLocaleString('en-US')}, the image's heap limit (scenario 3): ${limited.rss.maxMb} MB ${mark(limited.rss.maxMb < 300)}; ` +
        `scenario 3 at ${fmt(limited.rps)} req/s against ${fmt(find(rows, 'S3', 'ECAR', 1)?.rps)} with V8's defaults`,
    )
  }
  const byTurns = [1, 2].filter((w) => find(rows, 'S3k', 'ECAR', w))
  for (const w of byTurns) {
    const all = find(rows, 'S3', 'ECAR', w)!
    const small = find(rows, 'S3k', 'ECAR', w)!
    out.push(
      `Scenario 3 at N = ${info.scale.toLocaleString('en-US')} within 20 % of the N = 1,000 working set (${w} w, same server, by turns): ` +
        `${fmt(all.rps)} ÷ ${fmt(small.rps)} = ${pct(all.rps / small.rps)} ${mark(all.rps >= 0.8 * small.rps)}`,
    )
  }
  if (byTurns.length === 0) out.push('Scenario 3 at N = 100,000 within 20 % of N = 1,000: measured by turns in the N = 100,000 run (row S3k)')
  return out
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

/** Two horizontal bar panels (throughput, p99), written by hand: no chart library. */
export function renderSvg(info: RunInfo, rows: Row[]): string {
  const picks: [string, Row | undefined][] = [
    ['S1 ECAR 1w', find(rows, 'S1', 'ECAR', 1)],
    ['S1 ECAR 2w', find(rows, 'S1', 'ECAR', 2)],
    ['S7 ceiling 1w', find(rows, 'S7', 'ceiling', 1)],
    ['S7 ceiling 2w', find(rows, 'S7', 'ceiling', 2)],
    ['S1 Django 2w', find(rows, 'S1', 'Django')],
    ['S2 ECAR uncached', find(rows, 'S2', 'ECAR', 1)],
    ['S2 Django uncached', find(rows, 'S2', 'Django')],
    ['S3 ECAR 1w', find(rows, 'S3', 'ECAR', 1)],
    ['S3 ECAR 2w', find(rows, 'S3', 'ECAR', 2)],
    ['S3k ECAR 1w (1,000)', find(rows, 'S3k', 'ECAR', 1)],
    ['S3k ECAR 2w (1,000)', find(rows, 'S3k', 'ECAR', 2)],
    ['S3 Django 2w', find(rows, 'S3', 'Django')],
    ['S4 ECAR mixed 2w', find(rows, 'S4', 'ECAR', 2)],
    ['S6 ECAR Redis down', find(rows, 'S6', 'ECAR', 1)],
  ]
  const bars = picks.filter((p): p is [string, Row] => p[1] !== undefined)
  const color = (r: Row) => (r.system === 'ECAR' ? '#2563eb' : r.system === 'ceiling' ? '#9ca3af' : '#16a34a')
  const labelW = 150
  const panelW = 330
  const barH = 18
  const gap = 6
  const top = 54
  const height = top + bars.length * (barH + gap) + 30
  const width = labelW + panelW * 2 + 60
  const maxRps = Math.max(...bars.map(([, r]) => r.rps))
  const maxP99 = Math.max(...bars.map(([, r]) => r.p99Ms))
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`)
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`)
  out.push(
    `<text x="10" y="18" font-size="13" font-weight="bold">${esc(`ECAR benchmark, N = ${info.scale.toLocaleString('en-US')}${info.quick ? ' (quick)' : ''}, ${info.date.slice(0, 10)}, ${info.machine.cores} cores, wrk -c${info.load.connections}`)}</text>`,
  )
  out.push(`<text x="${labelW}" y="42" font-weight="bold">throughput (req/s, longer is better)</text>`)
  out.push(`<text x="${labelW + panelW + 30}" y="42" font-weight="bold">p99 latency (ms, shorter is better)</text>`)
  bars.forEach(([label, r], i) => {
    const y = top + i * (barH + gap)
    out.push(`<text x="${labelW - 6}" y="${y + 13}" text-anchor="end">${esc(label)}</text>`)
    const w1 = Math.max(1, ((panelW - 70) * r.rps) / maxRps)
    out.push(`<rect x="${labelW}" y="${y}" width="${w1.toFixed(1)}" height="${barH}" fill="${color(r)}"/>`)
    out.push(`<text x="${(labelW + w1 + 4).toFixed(1)}" y="${y + 13}">${Math.round(r.rps).toLocaleString('en-US')}</text>`)
    const x2 = labelW + panelW + 30
    const w2 = Math.max(1, ((panelW - 70) * r.p99Ms) / maxP99)
    out.push(`<rect x="${x2}" y="${y}" width="${w2.toFixed(1)}" height="${barH}" fill="${color(r)}" opacity="0.75"/>`)
    out.push(`<text x="${(x2 + w2 + 4).toFixed(1)}" y="${y + 13}">${r.p99Ms.toFixed(1)}</text>`)
  })
  const ly = height - 12
  out.push(`<rect x="${labelW}" y="${ly - 9}" width="10" height="10" fill="#2563eb"/><text x="${labelW + 14}" y="${ly}">ECAR</text>`)
  out.push(`<rect x="${labelW + 60}" y="${ly - 9}" width="10" height="10" fill="#9ca3af"/><text x="${labelW + 74}" y="${ly}">bare Fastify ceiling</text>`)
  out.push(`<rect x="${labelW + 190}" y="${ly - 9}" width="10" height="10" fill="#16a34a"/><text x="${labelW + 204}" y="${ly}">Django peer (seed design)</text>`)
  out.push('</svg>')
  return out.join('\n') + '\n'
}
