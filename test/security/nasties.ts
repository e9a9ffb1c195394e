import type { FuzzRequest } from './fuzz-cases.ts'
import type { SecurityFixtures } from './security-fixtures.ts'

/** A hand-picked hostile request and what it must get: a status, any 4xx, or anything but a 5xx. */
export interface Nasty {
  name: string
  expect: number | '4xx' | 'not 5xx'
  request(fx: SecurityFixtures, bodyLimitBytes: number): FuzzRequest | Promise<FuzzRequest>
}

const b64 = (text: string) => Buffer.from(text).toString('base64url')
const json = (body: string) => ({ raw: body })
const JSON_TYPE = { 'content-type': 'application/json' }
const vehicle = (fx: SecurityFixtures) => ({ make: 'Ford', model: 'Ka', year: 2010, vin: fx.uniqueVin(), licensePlate: 'N-1', mileage: 1, color: 'Red' })

const GARBAGE_CURSORS = ['{"after":-1}', '{"after":1e400}', '{"after":1.5}', '{"after":"1"}', '{"after":null}', '"after"', 'null', '[1]', '{}', '{"__proto__":{"after":1}}', '{"after":2147483648}', '\u0000\u0001\u00ff', '{"after":1', '']

const IDS = ['0', '-1', '2147483648', '1.5', '1e3', '1e10', '%20', 'abc', '9'.repeat(30)]

const metacharQueries = ["' OR 1=1 --", '%', '_', '*', '[', '\\', '%_\\*[]', "%' OR '1'='1"]

/** The table of hand-picked nasties: bodies, content types, numbers, ids, cursors, search and glob metacharacters. */
export function nasties(): Nasty[] {
  const list: Nasty[] = [
    { name: 'malformed JSON', expect: 400, request: () => ({ actor: 'admin', method: 'POST', url: '/api/vehicles', headers: JSON_TYPE, body: json('{"make": ') }) },
    { name: 'JSON with a trailing comma', expect: 400, request: () => ({ actor: 'admin', method: 'POST', url: '/api/customers', headers: JSON_TYPE, body: json('{"email":"a@b.c",}') }) },
    { name: 'empty body declared as JSON', expect: 400, request: () => ({ actor: 'admin', method: 'POST', url: '/api/users', headers: JSON_TYPE, body: json('') }) },
    {
      name: 'a body over BODY_LIMIT_BYTES',
      expect: 413,
      request: (_fx, limit) => ({ actor: 'anonymous', method: 'POST', url: '/api/auth/register', headers: JSON_TYPE, body: json(JSON.stringify({ email: 'big@example.test', password: 'x'.repeat(20), name: 'n'.repeat(limit) })) }),
    },
    { name: '10 000 nested arrays', expect: 400, request: () => ({ actor: 'admin', method: 'POST', url: '/api/vehicles', headers: JSON_TYPE, body: json(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) }) },
    { name: '10 000 nested objects', expect: 400, request: (fx) => ({ actor: 'customerA', method: 'PATCH', url: `/api/vehicles/${fx.vehicleA.id}`, headers: JSON_TYPE, body: json(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`) }) },
    { name: 'text/plain body', expect: 415, request: (fx) => ({ actor: 'admin', method: 'POST', url: '/api/vehicles', headers: { 'content-type': 'text/plain' }, body: json(JSON.stringify(vehicle(fx))) }) },
    { name: 'form-urlencoded login', expect: 415, request: (fx) => ({ actor: 'anonymous', method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: json(`email=${fx.customerA.email}&password=${fx.password}`) }) },
    { name: 'a body without a content type', expect: '4xx', request: (fx) => ({ actor: 'admin', method: 'POST', url: '/api/customers', body: json(JSON.stringify({ email: fx.uniqueEmail(), name: 'No Type' })) }) },
    { name: 'JSON declared as UTF-16', expect: 'not 5xx', request: (fx) => ({ actor: 'admin', method: 'POST', url: '/api/customers', headers: { 'content-type': 'application/json; charset=utf-16' }, body: json(JSON.stringify({ email: fx.uniqueEmail(), name: 'Sixteen' })) }) },
    { name: 'a JSON array where an object is expected', expect: 400, request: () => ({ actor: 'admin', method: 'POST', url: '/api/users', headers: JSON_TYPE, body: json('[{"email":"x@y.z"}]') }) },
    { name: 'a null body', expect: 400, request: (fx) => ({ actor: 'customerA', method: 'PATCH', url: `/api/vehicles/${fx.vehicleA.id}`, headers: JSON_TYPE, body: json('null') }) },
    { name: 'a null body on register', expect: 400, request: () => ({ actor: 'anonymous', method: 'POST', url: '/api/auth/register', headers: JSON_TYPE, body: json('null') }) },
    { name: 'mileage 1e309 (Infinity)', expect: 400, request: (fx) => ({ actor: 'admin', method: 'PATCH', url: `/api/vehicles/${fx.vehicleB.id}`, headers: JSON_TYPE, body: json('{"mileage":1e309}') }) },
    { name: 'mileage -1e309', expect: 400, request: (fx) => ({ actor: 'admin', method: 'PATCH', url: `/api/vehicles/${fx.vehicleB.id}`, headers: JSON_TYPE, body: json('{"mileage":-1e309}') }) },
    { name: 'mileage -0 (a lowering, by a customer)', expect: 409, request: async (fx) => ({ actor: 'customerA', method: 'PATCH', url: `/api/vehicles/${(await fx.freshVehicleOf(fx.customerA.id)).id}`, headers: JSON_TYPE, body: json('{"mileage":-0}') }) },
    { name: 'year 1e3 in JSON', expect: 400, request: (fx) => ({ actor: 'admin', method: 'PATCH', url: `/api/vehicles/${fx.vehicleB.id}`, headers: JSON_TYPE, body: json('{"year":1e3}') }) },
    { name: 'mileage as a string', expect: 400, request: (fx) => ({ actor: 'admin', method: 'PATCH', url: `/api/vehicles/${fx.vehicleB.id}`, headers: JSON_TYPE, body: json('{"mileage":"5"}') }) },
    { name: 'a __proto__ key', expect: 400, request: () => ({ actor: 'customerA', method: 'PATCH', url: '/api/auth/me', headers: JSON_TYPE, body: json('{"__proto__":{"role":"admin"},"name":"P"}') }) },
    { name: 'a read-only id in a body', expect: 400, request: (fx) => ({ actor: 'admin', method: 'PATCH', url: `/api/vehicles/${fx.vehicleB.id}`, headers: JSON_TYPE, body: json('{"id":1,"color":"Red"}') }) },
    { name: 'a NUL in a registered name', expect: '4xx', request: (fx) => ({ actor: 'anonymous', method: 'POST', url: '/api/auth/register', body: { json: { email: fx.uniqueEmail(), password: fx.password, name: 'Nul\u0000Name' } } }) },
    { name: 'a NUL in a vehicle model', expect: '4xx', request: (fx) => ({ actor: 'admin', method: 'PATCH', url: `/api/vehicles/${fx.vehicleB.id}`, body: { json: { model: 'Nul\u0000Model' } } }) },
    { name: 'a NUL in a login email', expect: '4xx', request: (fx) => ({ actor: 'anonymous', method: 'POST', url: '/api/auth/login', body: { json: { email: `${fx.customerA.email}\u0000`, password: fx.password } } }) },
    { name: 'a NUL in ?q= of vehicles', expect: 'not 5xx', request: () => ({ actor: 'admin', method: 'GET', url: '/api/vehicles?q=%00' }) },
    { name: 'a NUL in ?q= of customers', expect: 'not 5xx', request: () => ({ actor: 'admin', method: 'GET', url: '/api/customers?q=a%00b' }) },
    { name: 'a NUL in ?q= of users', expect: 'not 5xx', request: () => ({ actor: 'admin', method: 'GET', url: '/api/users?q=%00' }) },
    { name: 'a lone surrogate in ?q=', expect: 'not 5xx', request: () => ({ actor: 'admin', method: 'GET', url: '/api/vehicles?q=%ED%A0%80' }) },
    { name: 'a bad percent-escape in ?q=', expect: 'not 5xx', request: () => ({ actor: 'admin', method: 'GET', url: '/api/vehicles?q=%zz%' }) },
    { name: 'a bad percent-escape in a path', expect: 400, request: () => ({ actor: 'admin', method: 'GET', url: '/api/vehicles/%zz' }) },
    { name: 'a path segment over maxParamLength', expect: '4xx', request: () => ({ actor: 'admin', method: 'GET', url: `/api/vehicles/${'9'.repeat(300)}` }) },
    { name: 'a repeated ?limit=', expect: 400, request: () => ({ actor: 'admin', method: 'GET', url: '/api/vehicles?limit=1&limit=2' }) },
    { name: 'an empty cache pattern', expect: 400, request: () => ({ actor: 'admin', method: 'DELETE', url: '/api/admin/cache?pattern=' }) },
    { name: 'a cache pattern over 200 characters', expect: 400, request: () => ({ actor: 'admin', method: 'DELETE', url: `/api/admin/cache?pattern=${'*'.repeat(201)}` }) },
    { name: 'an unknown query parameter on the cache clear', expect: 400, request: () => ({ actor: 'admin', method: 'DELETE', url: '/api/admin/cache?pattern=x&all=1' }) },
  ]
  for (const id of IDS) {
    list.push({ name: `vehicle id ${id}`, expect: '4xx', request: () => ({ actor: 'admin', method: 'GET', url: `/api/vehicles/${id}` }) })
    list.push({ name: `DELETE vehicle id ${id}`, expect: '4xx', request: () => ({ actor: 'admin', method: 'DELETE', url: `/api/vehicles/${id}` }) })
    list.push({ name: `user id ${id} (PATCH)`, expect: '4xx', request: () => ({ actor: 'admin', method: 'PATCH', url: `/api/users/${id}`, body: { json: { name: 'X' } } }) })
  }
  for (const [i, garbage] of GARBAGE_CURSORS.entries()) {
    for (const path of ['/api/vehicles', '/api/customers', '/api/users']) {
      list.push({ name: `cursor #${i} (${JSON.stringify(garbage)}) on ${path}`, expect: 400, request: () => ({ actor: 'admin', method: 'GET', url: `${path}?cursor=${b64(garbage) || '%20'}` }) })
    }
  }
  for (const limit of ['0', '-1', '201', '1e3', '1.5', 'abc', '']) {
    list.push({ name: `?limit=${limit}`, expect: 400, request: () => ({ actor: 'admin', method: 'GET', url: `/api/vehicles?limit=${limit}` }) })
  }
  for (const q of metacharQueries) {
    for (const path of ['/api/vehicles', '/api/customers', '/api/users']) {
      // Literal matches: metacharacters are no 4xx, just text; nothing may fail.
      list.push({ name: `?q=${q} on ${path}`, expect: 200, request: () => ({ actor: 'admin', method: 'GET', url: `${path}?q=${encodeURIComponent(q)}` }) })
    }
    list.push({ name: `?q=${q} as a customer`, expect: 200, request: () => ({ actor: 'customerA', method: 'GET', url: `/api/vehicles?q=${encodeURIComponent(q)}` }) })
  }
  for (const pattern of ['[z-a]', '[', '[]', '[^]', '\\', '[\\]', '*[*', '?*?', '%', "' OR 1=1 --", '\u0000', '😀*', '[a-', '{a,b}']) {
    list.push({ name: `cache pattern ${JSON.stringify(pattern)}`, expect: 'not 5xx', request: () => ({ actor: 'admin', method: 'DELETE', url: `/api/admin/cache?pattern=${encodeURIComponent(pattern)}` }) })
  }
  // Star-heavy patterns (`********x`) are in cache-pattern-redos.test.ts: here they would block the event loop for minutes.
  return list
}
