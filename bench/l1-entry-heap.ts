/**
 * `node --expose-gc --import tsx bench/l1-entry-heap.ts`: heap bytes per L1 entry for the three kinds of
 * cached value (a decoded vehicle list, a session lookup, a cached response body), against their encoded
 * size. The source of the estimate in src/platform/cache/l1.ts (`heapBytes`).
 */
import { createHash } from 'node:crypto'
import { encodeEntry, decodeEntry } from '../src/platform/cache/codec.ts'
import { L1 } from '../src/platform/cache/l1.ts'
const gc = (globalThis as { gc?: () => void }).gc ?? (() => { throw new Error('run with --expose-gc') })
const vehicle = (i: number) => ({ id: i, ownerId: 7, make: 'Toyota', model: 'Corolla', year: 2017, vin: '1HGCM82633A00' + (1000 + i), licensePlate: 'AB-' + (100 + i) + '-CD', mileage: 123456, color: 'Silver', createdAt: '2024-06-01T00:00:00.000Z', updatedAt: '2024-06-01T00:00:00.000Z' })
// A token hash as the auth plugin makes one (sha256, base64url): sessions are keyed and tagged by it.
const tokenHash = (i: number) => createHash('sha256').update(`token ${i}`).digest('base64url')
const kinds: Record<string, { value: (i: number) => unknown; key: (i: number) => string; tag: (i: number) => string }> = {
  vehicles: { value: (i) => Array.from({ length: 5 }, (_, k) => vehicle(i * 5 + k)), key: (i) => `customer_vehicles_${i}`, tag: (i) => `customer:${i}:vehicles` },
  session: {
    value: (i) => ({ userId: i, role: 'customer', email: `cust${i}@example.com`, name: `Customer ${i}`, expiresAt: Date.now() + 1e9, sessionId: tokenHash(i) }),
    key: (i) => `session_${tokenHash(i)}`,
    tag: (i) => `session:${tokenHash(i)}`,
  },
  response: {
    value: (i) => ({ body: JSON.stringify(Array.from({ length: 5 }, (_, k) => vehicle(i * 5 + k))), etag: '"abcdefghijklmnopqrstuv"' }),
    key: (i) => `vehicle_list_u${i}_customer_/api/vehicles/|{}|{}`,
    tag: (i) => `user:${i}:vehicles`,
  },
}
for (const [name, kind] of Object.entries(kinds)) {
  const l1 = new L1({ maxEntries: 1e6, maxBytes: 1e12 })
  gc(); const before = process.memoryUsage().heapUsed
  let raw = 0
  const N = 20000
  for (let i = 0; i < N; i++) {
    const buf = encodeEntry({ v: kind.value(i), t: ['tok1234567890abcdefg', 'tok1234567890abcdefh'], x: Date.now() + 1e6 })
    raw += buf.length
    const e = decodeEntry(buf)!
    l1.set(kind.key(i), { value: e.v, tags: [kind.tag(i)], expiresAt: e.x, staleUntil: e.x + 1, size: buf.length }, l1.begin())
  }
  gc(); const after = process.memoryUsage().heapUsed
  console.log(name, 'raw/entry', Math.round(raw / N), 'heap/entry', Math.round((after - before) / N), 'ratio', ((after - before) / raw).toFixed(2), l1.size)
}
