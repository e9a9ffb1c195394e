import { createConfig, lintFromString } from '@redocly/openapi-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../support/app.ts'

interface Header {
  description?: string
  schema?: unknown
}
interface Response {
  description: string
  headers?: Record<string, Header>
  content?: Record<string, { schema?: { $ref?: string } }>
}
interface Operation {
  operationId?: string
  summary?: string
  tags?: string[]
  security?: unknown[]
  responses: Record<string, Response>
}
interface Spec {
  tags?: { name: string; description?: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown> }
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete'])

/** Every operation of the spec as `[key, operation]`. */
function operations(spec: Spec): [string, Operation][] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
  )
}

describe('the served OpenAPI document', () => {
  let t: TestApp
  let source: string
  let spec: Spec
  beforeAll(async () => {
    t = await buildTestApp()
    const res = await t.app.inject({ url: '/openapi.json' })
    expect(res.statusCode).toBe(200)
    source = res.body
    spec = res.json() as Spec
  })
  afterAll(async () => t?.close())

  it('passes the Redocly recommended ruleset with zero errors, operationId, 4xx and tag rules as errors', async () => {
    const config = await createConfig({
      extends: ['recommended-strict'],
      rules: {
        'operation-operationId': 'error',
        'operation-4xx-response': 'error',
        'operation-2xx-response': 'error',
        'operation-summary': 'error',
        'operation-tag-defined': 'error',
        'tag-description': 'error',
        'no-unused-components': 'error',
        'operation-4xx-problem-details-rfc7807': 'error',
        'no-invalid-media-type-examples': 'error',
        'info-license': 'off',
        'info-license-strict': 'off',
      },
    })
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config })
    // The probes answer 200 (or readyz's 503) to anything: they have no 4xx to document.
    const probes = new Set(['#/paths/~1healthz/get/responses', '#/paths/~1readyz/get/responses'])
    const shown = problems
      .filter((p) => !(p.ruleId === 'operation-4xx-response' && probes.has(p.location[0]?.pointer ?? '')))
      .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`)
    expect(shown).toEqual([])
  })

  it('names every operation and documents only problem+json errors', () => {
    const ops = operations(spec)
    expect(ops.length).toBeGreaterThan(15)
    const ids = new Set<string>()
    for (const [key, op] of ops) {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z]+$/)
      expect(ids.has(op.operationId!), `${key}: operationId ${op.operationId} twice`).toBe(false)
      ids.add(op.operationId!)
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${key} ${status}`).not.toBe('Default Response')
        if (Number(status) >= 400 && key !== 'GET /readyz') {
          expect(Object.keys(response.content ?? {}), `${key} ${status}`).toEqual(['application/problem+json'])
        }
      }
    }
  })

  it('lists only the errors each operation can give', () => {
    const statuses = (key: string) => {
      const [method, path] = key.split(' ') as [string, string]
      return Object.keys(spec.paths[path]![method.toLowerCase()]!.responses).map(Number)
    }
    // No body: no 413 or 415; no path id: no 404; public: no 401.
    expect(statuses('GET /api/vehicles')).not.toContain(413)
    expect(statuses('GET /api/vehicles')).not.toContain(404)
    expect(statuses('POST /api/auth/login')).not.toContain(403)
    expect(statuses('GET /healthz')).toEqual([200])
    expect(statuses('POST /api/vehicles')).toEqual(expect.arrayContaining([201, 400, 401, 403, 413, 415]))
    expect(statuses('PATCH /api/vehicles/{id}')).toEqual(expect.arrayContaining([200, 400, 401, 403, 404, 409]))
    expect(statuses('POST /api/auth/login')).toEqual(expect.arrayContaining([200, 400, 401, 429]))
    // A new email can be taken by another account.
    expect(statuses('PATCH /api/auth/me')).toEqual(expect.arrayContaining([200, 400, 401, 409, 429]))
  })

  it('has named component schemas, referenced from the operations', () => {
    const names = Object.keys(spec.components.schemas)
    expect(names).toEqual(expect.arrayContaining(['Vehicle', 'VehiclePage', 'User', 'UserPage', 'Customer', 'Problem', 'ValidationProblem']))
    const get = spec.paths['/api/vehicles/{id}']!.get!
    expect(get.responses['200']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Vehicle' })
    expect(get.responses['404']!.content!['application/problem+json']!.schema).toEqual({ $ref: '#/components/schemas/Problem' })
    expect(get.responses['400']!.content!['application/problem+json']!.schema).toEqual({ $ref: '#/components/schemas/ValidationProblem' })
  })

  it('documents the response headers: Location, X-Cache, ETag, Cache-Control, Retry-After', () => {
    for (const [key, op] of operations(spec)) {
      const created = op.responses['201']
      if (created) expect(Object.keys(created.headers ?? {}), key).toContain('Location')
      for (const status of ['429', '503']) {
        const response = op.responses[status]
        if (response && key !== 'GET /readyz') expect(Object.keys(response.headers ?? {}), `${key} ${status}`).toContain('Retry-After')
      }
    }
    const cached = spec.paths['/api/vehicles']!.get!.responses['200']!.headers ?? {}
    expect(Object.keys(cached)).toEqual(expect.arrayContaining(['X-Cache', 'ETag', 'Cache-Control']))
    expect(spec.paths['/api/vehicles']!.get!.responses['304']).toBeDefined()
    expect(Object.keys(spec.paths['/api/customers/{id}/vehicles']!.get!.responses['200']!.headers ?? {})).toContain('X-Cache')
  })

  it('describes every tag, and documents /metrics, /healthz and /readyz', () => {
    const used = new Set(operations(spec).flatMap(([, op]) => op.tags ?? []))
    const declared = new Map((spec.tags ?? []).map((tag) => [tag.name, tag.description]))
    for (const tag of used) expect(declared.get(tag), tag).toBeTruthy()
    for (const path of ['/metrics', '/healthz', '/readyz']) expect(spec.paths[path]?.get?.operationId, path).toBeTruthy()
    expect(Object.keys(spec.paths['/metrics']!.get!.responses['200']!.content ?? {})).toEqual(['text/plain'])
  })

  it('gives examples of the main objects', () => {
    const schemas = spec.components.schemas as Record<string, { examples?: unknown[] }>
    for (const name of ['Vehicle', 'User', 'Problem', 'ValidationProblem']) expect(schemas[name]?.examples?.length, name).toBeGreaterThan(0)
  })
})
