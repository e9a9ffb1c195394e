import { randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'

/** One secret the run used or produced, and what kind it is (named in a failure). */
export interface Secret {
  kind: string
  value: string
}

/** One secret found in one log line. */
export interface Leak {
  kind: string
  form: string
  lineNumber: number
  line: string
}

// Characters that JSON and URL encoding change, so a secret's encoded forms differ from it.
const AWKWARD = '"\\%/@:#?ü'

/**
 * A fresh secret: 24 random base64url characters around characters that encodings change. The
 * random run alone is improbable in any honest log, so a hit is a leak, not a coincidence.
 */
export function newSecret(awkward = true): string {
  const core = randomBytes(18).toString('base64url')
  return awkward ? `${core.slice(0, 12)}${AWKWARD}${core.slice(12)}` : core
}

/** The forms a logged secret may take: as is, JSON-escaped, URL-encoded, and its longest plain run. */
export function secretForms(value: string): Array<[string, string]> {
  const forms: Array<[string, string]> = [
    ['as is', value],
    ['JSON-escaped', JSON.stringify(value).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(value)],
  ]
  // A log line may cut a secret at an awkward character or encode it some other way.
  const plainRun = (value.match(/[A-Za-z0-9_-]+/g) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '')
  if (plainRun.length >= 12 && plainRun !== value) forms.push(['random part', plainRun])
  return forms
}

/** Every secret of the run, without duplicates. */
export class SecretBook {
  private readonly byValue = new Map<string, Secret>()

  add(kind: string, value: string | undefined): void {
    // A short value (a role, a bad token of a few characters) would match honest text.
    if (value === undefined || value.length < 8 || this.byValue.has(value)) return
    this.byValue.set(value, { kind, value })
  }

  list(): Secret[] {
    return [...this.byValue.values()]
  }
}

/** Every occurrence of every form of every secret in the lines (exact substrings). */
export function findLeaks(lines: string[], secrets: Secret[]): Leak[] {
  const leaks: Leak[] = []
  for (const secret of secrets) {
    const forms = secretForms(secret.value)
    lines.forEach((line, index) => {
      const hit = forms.find(([, text]) => line.includes(text))
      if (hit) leaks.push({ kind: secret.kind, form: hit[0], lineNumber: index + 1, line })
    })
  }
  return leaks
}

/** Everything a child writes to stdout and stderr, unbounded (spawnServer keeps only the last 256 KB). */
export function captureOutput(child: ChildProcess): { text(): string } {
  const chunks: Buffer[] = []
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk))
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk))
  return { text: () => Buffer.concat(chunks).toString('utf8') }
}

/** `GET /api/vehicles/{id}` keys of every operation an OpenAPI document lists (HEAD excluded). */
export function specOperationKeys(spec: { paths?: Record<string, Record<string, unknown>> }): string[] {
  const methods = ['get', 'put', 'post', 'patch', 'delete']
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => methods.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  )
}

/** The spec operation a concrete request hits, e.g. `GET /api/vehicles/12?x=1` → `GET /api/vehicles/{id}`. */
export function operationOf(method: string, url: string, operations: string[]): string | undefined {
  const path = url.split('?')[0]!.replace(/\/$/, '') || '/'
  return operations.find((key) => {
    const [opMethod, template] = key.split(' ') as [string, string]
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
    return opMethod === method && pattern.test(path)
  })
}

/** One request of the run and its answer. */
export interface Call {
  method: string
  url: string
  status: number
}

/** What a request sends: a bearer token, a JSON body, or a raw body with its own content type. */
export interface CallOptions {
  token?: string
  headers?: Record<string, string>
  json?: unknown
  raw?: string
  contentType?: string
}

/**
 * An HTTP client that records each call, and books as secrets every bearer token it sends or
 * receives and every password field of a body it sends.
 */
export function createRunClient(baseUrl: string, book: SecretBook) {
  const calls: Call[] = []
  async function call<T = Record<string, unknown>>(method: string, url: string, options: CallOptions = {}): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token !== undefined) {
      headers.authorization = `Bearer ${options.token}`
      book.add('bearer token sent', options.token)
    }
    let body: string | undefined
    if (options.json !== undefined) {
      body = JSON.stringify(options.json)
      headers['content-type'] = 'application/json'
      bookPasswords(book, options.json)
    } else if (options.raw !== undefined) {
      body = options.raw
      headers['content-type'] = options.contentType ?? 'application/json'
    }
    const res = await fetch(`${baseUrl}${url}`, { method, headers, body, signal: AbortSignal.timeout(10_000) })
    const text = await res.text()
    calls.push({ method, url, status: res.status })
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // Prometheus text, HTML or an empty 204: kept as text.
    }
    const token = (parsed as { token?: unknown } | null)?.token
    if (typeof token === 'string') book.add('bearer token issued', token)
    return { status: res.status, body: parsed as T }
  }
  return { call, calls }
}

function bookPasswords(book: SecretBook, value: unknown): void {
  if (value === null || typeof value !== 'object') return
  for (const [field, inner] of Object.entries(value)) {
    if (typeof inner === 'string' && /pass/i.test(field)) book.add(`password in body.${field}`, inner)
    else bookPasswords(book, inner)
  }
}

/** The parts of a JSON schema a sweep body is built from. */
export interface BodySchema {
  type?: string | string[]
  properties?: Record<string, BodySchema>
  minimum?: number
}

/**
 * A body shaped like the schema for a route nobody scripted: secret-looking fields (password, token,
 * secret, key) get a fresh secret, other strings "x", numbers their minimum; plus a `password`
 * field, so every route is sent a password at least once whether or not it accepts one.
 */
export function sweepBody(schema: BodySchema | undefined, secret: (field: string) => string): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const [field, prop] of Object.entries(schema?.properties ?? {})) {
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type
    if (type === 'string') body[field] = /pass|token|secret|key/i.test(field) ? secret(field) : 'x'
    else if (type === 'integer' || type === 'number') body[field] = prop.minimum ?? 1
    else if (type === 'boolean') body[field] = true
  }
  if (!('password' in body)) body.password = secret('password')
  return body
}
