import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.ts'
import { estimateContent, EstimateContentError, estimateHash, type EstimateContent, type EstimateLineContent } from './estimate-hash.ts'
import { lineAmounts, totals, type Totals } from './money.ts'

// A work order's jobs and lines as a service holds them: more than the customer is shown.
interface StoredLine extends EstimateLineContent {
  partId?: number | null
  reservedQuantity?: number
  backorderedQuantity?: number
  createdAt?: string
}
interface StoredJob {
  id: number
  title: string
  concern: string | null
  status?: string
  notes?: string
  serviceId?: number
  timeEntries?: unknown[]
  lines: StoredLine[]
}
interface StoredEstimate {
  version: number
  sentAt: string
  jobs: StoredJob[]
  totals: Totals
}

// Jobs and lines given out of order and carrying fields the customer is not shown: the hash must ignore both.
function sample(): StoredEstimate {
  return {
    version: 2,
    sentAt: '2025-03-01T09:00:00.000Z',
    jobs: [
      {
        id: 12,
        title: 'Front brake pads',
        concern: 'Squeal when braking',
        status: 'proposed',
        notes: 'Pads at 2 mm',
        timeEntries: [],
        lines: [
          { id: 31, kind: 'part', description: 'Brake pad set', quantity: 1, unitPriceCents: 4599, discountCents: 0, amountCents: 4599, netCents: 4599, partId: 3, reservedQuantity: 0, backorderedQuantity: 1 },
          { id: 30, kind: 'labour', description: 'Replace front pads', quantity: 1.15, unitPriceCents: 8000, discountCents: 0, amountCents: 9200, netCents: 9200, partId: null, createdAt: '2025-03-01T08:00:00.000Z' },
        ],
      },
      {
        id: 7,
        title: 'Oil service',
        concern: null,
        serviceId: 4,
        lines: [
          { id: 8, kind: 'fee', description: 'Waste oil disposal', quantity: 1, unitPriceCents: 350, discountCents: 0, amountCents: 350, netCents: 350 },
          { id: 5, kind: 'labour', description: 'Oil and filter change', quantity: 0.5, unitPriceCents: 8000, discountCents: 0, amountCents: 4000, netCents: 4000 },
          { id: 6, kind: 'part', description: 'Oil 5W-30 (€11.50/l)', quantity: 4.5, unitPriceCents: 1150, discountCents: 175, amountCents: 5175, netCents: 5000, reservedQuantity: 4.5 },
        ],
      },
    ],
    totals: { labourCents: 13_200, partsCents: 9599, feesCents: 350, discountCents: 175, subtotalCents: 23_149, taxCents: 4630, totalCents: 27_779 },
  }
}

// Written by hand from the rules (keys sorted, no whitespace, jobs and lines by id), not printed by the code.
// Its SHA-256 was computed outside JavaScript:
//   printf '%s' '<this text>' | sha256sum   →   3540642a…f75d (coreutils, UTF-8 bytes of the text)
const CANONICAL =
  '{"jobs":[' +
  '{"concern":null,"id":7,"lines":[' +
  '{"amountCents":4000,"description":"Oil and filter change","discountCents":0,"id":5,"kind":"labour","netCents":4000,"quantity":0.5,"unitPriceCents":8000},' +
  '{"amountCents":5175,"description":"Oil 5W-30 (€11.50/l)","discountCents":175,"id":6,"kind":"part","netCents":5000,"quantity":4.5,"unitPriceCents":1150},' +
  '{"amountCents":350,"description":"Waste oil disposal","discountCents":0,"id":8,"kind":"fee","netCents":350,"quantity":1,"unitPriceCents":350}' +
  '],"title":"Oil service"},' +
  '{"concern":"Squeal when braking","id":12,"lines":[' +
  '{"amountCents":9200,"description":"Replace front pads","discountCents":0,"id":30,"kind":"labour","netCents":9200,"quantity":1.15,"unitPriceCents":8000},' +
  '{"amountCents":4599,"description":"Brake pad set","discountCents":0,"id":31,"kind":"part","netCents":4599,"quantity":1,"unitPriceCents":4599}' +
  '],"title":"Front brake pads"}' +
  '],"totals":{"discountCents":175,"feesCents":350,"labourCents":13200,"partsCents":9599,"subtotalCents":23149,"taxCents":4630,"totalCents":27779},"version":2}'
const CANONICAL_SHA256 = '3540642ae2a684edb61133824ee8d2bd5838330cb6dd47dc4f5090227680f75d'

type Sample = StoredEstimate
const hashOf = (change: (estimate: Sample) => void) => {
  const estimate = sample()
  change(estimate)
  return estimateHash(estimate)
}
const BASE = estimateHash(sample())

describe('estimateHash', () => {
  it('is SHA-256 hex of the canonical JSON of what the customer is shown (a fixed vector)', () => {
    expect(canonicalJson(estimateContent(sample()))).toBe(CANONICAL)
    expect(BASE).toBe(CANONICAL_SHA256)
  })

  it('uses a sample whose figures are the money rules’ own', () => {
    const lines = sample().jobs.flatMap((job) => job.lines)
    for (const line of lines) expect(lineAmounts(line)).toEqual({ amountCents: line.amountCents, netCents: line.netCents })
    expect(totals(lines, { labourBp: 2000, partsBp: 2000, feesBp: 2000 })).toEqual(sample().totals)
  })

  it('picks exactly the shown fields, in a defined order', () => {
    const content = estimateContent(sample())
    expect(Object.keys(content).sort()).toEqual(['jobs', 'totals', 'version'])
    expect(content.jobs.map((job) => Object.keys(job).sort())).toEqual([['concern', 'id', 'lines', 'title'], ['concern', 'id', 'lines', 'title']])
    expect(content.jobs.flatMap((job) => job.lines.map((line) => line.id))).toEqual([5, 6, 8, 30, 31])
    expect(Object.keys(content.jobs[0]!.lines[0]!).sort()).toEqual(['amountCents', 'description', 'discountCents', 'id', 'kind', 'netCents', 'quantity', 'unitPriceCents'])
    expect(estimateContent(content)).toEqual(content)
  })

  it.each<[string, (estimate: Sample) => void]>([
    ['a note', (e) => void (e.jobs[0]!.notes = 'Pads at 1 mm')],
    ['a reserved quantity', (e) => void (e.jobs[1]!.lines[2]!.reservedQuantity = 0)],
    ['a backordered quantity', (e) => void (e.jobs[0]!.lines[0]!.backorderedQuantity = 0)],
    ['a part id', (e) => void (e.jobs[0]!.lines[0]!.partId = 99)],
    ['a timestamp', (e) => void (e.jobs[0]!.lines[1]!.createdAt = '2025-03-02T08:00:00.000Z')],
    ['the sending time', (e) => void (e.sentAt = '2025-03-02T09:00:00.000Z')],
    ['a job status', (e) => void (e.jobs[0]!.status = 'approved')],
    ['the order of jobs', (e) => void e.jobs.reverse()],
    ['the order of lines', (e) => void e.jobs[1]!.lines.reverse()],
  ])('stays the same when %s changes', (_name, change) => {
    expect(hashOf(change)).toBe(BASE)
  })

  it.each<[string, (estimate: Sample) => void]>([
    ['the version', (e) => void (e.version = 3)],
    ['a unit price', (e) => void (e.jobs[0]!.lines[0]!.unitPriceCents = 4600)],
    ['a quantity', (e) => void (e.jobs[0]!.lines[1]!.quantity = 1.2)],
    ['a description', (e) => void (e.jobs[1]!.lines[0]!.description = 'Waste oil disposal.')],
    ['a discount', (e) => void (e.jobs[1]!.lines[2]!.discountCents = 176)],
    ['an amount', (e) => void (e.jobs[1]!.lines[2]!.amountCents = 5176)],
    ['a net', (e) => void (e.jobs[1]!.lines[2]!.netCents = 5001)],
    ['a kind', (e) => void (e.jobs[1]!.lines[0]!.kind = 'part')],
    ['a line id', (e) => void (e.jobs[1]!.lines[0]!.id = 9)],
    ['a job title', (e) => void (e.jobs[1]!.title = 'Oil service (long life)')],
    ['a concern', (e) => void (e.jobs[0]!.concern = 'Squeal')],
    ['a job id', (e) => void (e.jobs[1]!.id = 8)],
    ['a total', (e) => void (e.totals.taxCents = 4631)],
    ['a line dropped', (e) => void e.jobs[1]!.lines.pop()],
    ['a job dropped', (e) => void e.jobs.pop()],
  ])('changes when %s changes', (_name, change) => {
    expect(hashOf(change)).not.toBe(BASE)
  })

  it('is 64 lowercase hex digits', () => {
    expect(BASE).toMatch(/^[0-9a-f]{64}$/)
  })

  it.each<[string, (estimate: Sample) => void, string]>([
    ['a repeated job id', (e) => void (e.jobs[1]!.id = 12), 'The job id 12 appears twice.'],
    ['a repeated line id', (e) => void (e.jobs[1]!.lines[0]!.id = 5), 'The line id 5 appears twice.'],
    ['a fractional line id', (e) => void (e.jobs[1]!.lines[0]!.id = 5.5), 'A line id must be an integer, not 5.5.'],
  ])('refuses %s', (_name, change, message) => {
    const estimate = sample()
    change(estimate)
    expect(() => estimateHash(estimate)).toThrow(new EstimateContentError(message))
  })

  it('refuses content canonical JSON cannot write', () => {
    const estimate: EstimateContent = { ...sample(), version: Number.NaN }
    expect(() => estimateHash(estimate)).toThrow('$.version')
  })
})
