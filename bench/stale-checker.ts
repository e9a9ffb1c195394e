/**
 * Scenario 4's freshness probe, run beside the load: each loop owns some customers, raises one of their
 * vehicles' mileage by 1 (PATCH), and as soon as the write is acknowledged reads it back through the
 * three cached reads (list, customer data cache, detail). A read showing a lower mileage than the
 * acknowledged one is a stale read. Args: baseUrl tokensFile seconds [loops] [firstCustomer] [customers]
 * Prints one JSON line: { writes, reads, stale, errors, examples }.
 */
import { readFileSync } from 'node:fs'

const [baseUrl, tokensFile, secondsArg, loopsArg, firstArg, countArg] = process.argv.slice(2)
if (!baseUrl || !tokensFile || !secondsArg) {
  console.error('usage: stale-checker.ts baseUrl tokensFile seconds [loops] [firstCustomer] [customers]')
  process.exit(2)
}
const loops = Number(loopsArg ?? 4)
const first = Number(firstArg ?? 1)
const count = Number(countArg ?? 40)
const deadline = Date.now() + Number(secondsArg) * 1000

const customers = readFileSync(tokensFile, 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(' '))
  .map(([id, token, vehicles]) => ({ id: Number(id), token: token!, vehicles: (vehicles ?? '').split(',').filter(Boolean).map(Number) }))
  .filter((c) => c.id >= first && c.id < first + count && c.vehicles.length > 0)

const totals = { writes: 0, reads: 0, stale: 0, errors: 0, examples: [] as string[] }

interface VehicleJson {
  id: number
  mileage: number
}

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  return { status: response.status, json: text ? JSON.parse(text) : undefined }
}

function mileageIn(json: unknown, vehicleId: number): number | undefined {
  const items = (json as { items?: VehicleJson[] }).items
  const vehicle = items ? items.find((v) => v.id === vehicleId) : (json as VehicleJson)
  return vehicle?.id === vehicleId ? vehicle.mileage : undefined
}

async function loop(mine: typeof customers): Promise<void> {
  const known = new Map<number, number>()
  let i = 0
  while (Date.now() < deadline) {
    const customer = mine[i++ % mine.length]!
    const vehicleId = customer.vehicles[i % customer.vehicles.length]!
    try {
      // Read first, so the caches hold the old value the write must retire.
      const before = await call('GET', '/api/vehicles', customer.token)
      const current = known.get(vehicleId) ?? mileageIn(before.json, vehicleId) ?? 0
      const next = current + 1
      const written = await call('PATCH', `/api/vehicles/${vehicleId}`, customer.token, { mileage: next })
      if (written.status !== 200) {
        totals.errors++
        continue
      }
      known.set(vehicleId, next)
      totals.writes++
      for (const path of ['/api/vehicles', `/api/customers/${customer.id}/vehicles`, `/api/vehicles/${vehicleId}`]) {
        const read = await call('GET', path, customer.token)
        totals.reads++
        const seen = mileageIn(read.json, vehicleId)
        if (read.status !== 200 || seen === undefined) totals.errors++
        else if (seen < next) {
          totals.stale++
          if (totals.examples.length < 5) totals.examples.push(`${path}: saw ${seen} after writing ${next}`)
        }
      }
    } catch {
      totals.errors++
    }
  }
}

const groups: (typeof customers)[] = Array.from({ length: loops }, () => [])
customers.forEach((c, i) => groups[i % loops]!.push(c))
await Promise.all(groups.filter((g) => g.length > 0).map(loop))
console.log(JSON.stringify(totals))
