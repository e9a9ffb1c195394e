import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../src/platform/db/database.ts'
import { sessions } from '../support/tables.ts'
import { tokenHash } from '../../src/platform/auth/tokens.ts'
import type { AccessActor } from '../../src/platform/http/access.ts'
import { dataFingerprint, type SecurityFixtures } from './security-fixtures.ts'

/** One request the fuzzer or the nasties table sends. */
export interface FuzzRequest {
  actor: AccessActor
  method: string
  url: string
  headers?: Record<string, string>
  /** A JS value is sent as JSON; a string or Buffer is sent as is (with the headers given). */
  body?: { json: unknown } | { raw: string | Buffer }
}

/** What went wrong with one request. */
export interface FuzzFailure {
  request: string
  status: number
  problem: string
}

const MAX_SHOWN = 300

function describeRequest(r: FuzzRequest): string {
  const body = r.body === undefined ? '' : 'json' in r.body ? JSON.stringify(r.body.json) : String(r.body.raw)
  const shown = body.length > MAX_SHOWN ? `${body.slice(0, MAX_SHOWN)}…(${body.length} chars)` : body
  const url = r.url.length > MAX_SHOWN ? `${r.url.slice(0, MAX_SHOWN)}…(${r.url.length} chars)` : r.url
  return `${r.method} ${url} as ${r.actor}${r.headers?.['content-type'] ? ` [${r.headers['content-type']}]` : ''}${shown ? ` body=${shown}` : ''}`
}

/** Why a 4xx body is not an RFC 9457 problem, or undefined when it is one. */
export function problemShapeError(status: number, contentType: unknown, body: string): string | undefined {
  if (!/^application\/problem\+json/.test(String(contentType))) return `content-type ${String(contentType)}`
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(body) as Record<string, unknown>
  } catch {
    return 'body is not JSON'
  }
  for (const field of ['type', 'title', 'detail'] as const) if (typeof parsed[field] !== 'string') return `no string ${field}`
  if (parsed.status !== status) return `status field ${String(parsed.status)}`
  return undefined
}

/**
 * Deletes the session behind `auth` (if the request did not end it already). The fingerprint digests
 * every session row, so one left behind per request would make each request slower than the last.
 */
async function endSession(db: Db, auth: Record<string, string>): Promise<void> {
  const token = auth.authorization?.replace(/^Bearer /, '')
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)))
}

/**
 * Sends requests one by one and checks each: never a 5xx; every 4xx a problem+json; and no data
 * changed by a 4xx (the fingerprint of users, vehicles and sessions is taken before and after).
 */
export function createFuzzRunner(app: FastifyInstance, fx: SecurityFixtures) {
  const db = app.db
  let sent = 0
  const statuses = new Map<number, number>()
  let last = 0

  async function sendAs(r: FuzzRequest, auth: Record<string, string>): Promise<FuzzFailure | undefined> {
    const before = await dataFingerprint(db)
    const headers: Record<string, string> = { ...auth, ...r.headers }
    let payload: string | Buffer | undefined
    if (r.body !== undefined && 'json' in r.body) {
      payload = JSON.stringify(r.body.json) ?? 'null'
      headers['content-type'] ??= 'application/json'
    } else if (r.body !== undefined) payload = r.body.raw
    const res = await app.inject({ method: r.method as 'GET', url: r.url, headers, ...(payload === undefined ? {} : { payload }) })
    sent++
    last = res.statusCode
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    const fail = (problem: string): FuzzFailure => ({ request: describeRequest(r), status: res.statusCode, problem })
    if (res.statusCode >= 500) return fail(`5xx: ${res.body.slice(0, 200)}`)
    if (res.statusCode >= 400) {
      const shape = problemShapeError(res.statusCode, res.headers['content-type'], res.body)
      if (shape) return fail(`not a problem+json: ${shape}`)
      const after = await dataFingerprint(db)
      if (after !== before) return fail('data changed although the request was refused')
    }
    return undefined
  }

  return {
    get sent() {
      return sent
    },
    statuses,
    /** The status of the last request sent. */
    lastStatus: () => [last],
    /** Sends one request; returns its failure, if any. */
    async send(r: FuzzRequest): Promise<FuzzFailure | undefined> {
      // A fresh session per request: a fuzzed logout or password change ends only its own token.
      const auth = await fx.authFor(r.actor)
      try {
        return await sendAs(r, auth)
      } finally {
        await endSession(db, auth)
      }
    },
  }
}
