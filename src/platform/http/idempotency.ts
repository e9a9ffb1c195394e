/*
 * Idempotency-Key (api-garage.md "Conventions added here"): a POST of bookings, invoices or payments
 * sent again with the same key and body within 24 hours replays its first answer and changes
 * nothing; the same key with another body is 422. The key's row is written by the write's own
 * transaction (INSERT … ON CONFLICT on (user, route, key)), so a second request with the key waits on
 * the first one's row lock and then replays what it committed: two concurrent requests make one write.
 * Only successful answers are stored: a refused write rolls back with its key, and a retry runs again.
 */
import { createHash } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { canonicalJson } from '../../kernel/canonical-json.ts'
import type { Tx } from '../db/database.ts'
import { problem } from './errors.ts'
import { PlatformErrors } from './platform.errors.ts'
import { idempotencyKeys } from './idempotency-keys.table.ts'

/** How long a key replays its first answer. */
export const IDEMPOTENCY_WINDOW_HOURS = 24

/** The header of an idempotent POST, for its route schema (`headers: IdempotencyHeaders`). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description: `Optional: the same key and body within ${IDEMPOTENCY_WINDOW_HOURS} h replay the first answer (with Idempotent-Replayed: true) and change nothing; the same key with another body is 422 ECAR_ERR_IDEMPOTENCY_KEY_REUSED. Keys are per user and route; 1-255 visible ASCII characters`,
    }),
  ),
})

/** What identifies one idempotent request: whose, which route, which key, and a hash of its body. */
export interface IdempotencyClaim {
  userId: number
  route: string
  key: string
  requestHash: string
}

/** The answer of an idempotent write: fresh, or replayed from the key's first answer. */
export interface IdempotentAnswer<T> {
  status: number
  body: T
  location: string | undefined
  replayed: boolean
}

/** The 422 of a key reused with another body. */
export const keyReused = () =>
  problem(PlatformErrors.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used with another request body; use a new key for a new request.')

/** SHA-256 of the canonical JSON of a body: key order and whitespace do not make another request. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body ?? null)).digest('hex')
}

/** The claim of a request carrying an Idempotency-Key, or null without one (or without a principal). */
export function idempotencyClaimOf(request: FastifyRequest): IdempotencyClaim | null {
  const header = request.headers['idempotency-key']
  const key = Array.isArray(header) ? header[0] : header
  if (key === undefined || request.principal === null) return null
  return { userId: request.principal.userId, route: `${request.method} ${request.routeOptions.url ?? request.url}`, key, requestHash: requestHash(request.body) }
}

/**
 * Runs `work` once per claim, inside the caller's transaction `tx`: claims the key (or an expired
 * one), runs the write and stores its answer; a key already claimed replays its answer (422 when the
 * body differs). Without a claim, just runs the work.
 */
export async function runIdempotent<T>(
  tx: Tx,
  claim: IdempotencyClaim | null,
  work: () => Promise<{ status: number; body: T; location?: string }>,
): Promise<IdempotentAnswer<T>> {
  if (claim === null) {
    const answer = await work()
    return { status: answer.status, body: answer.body, location: answer.location, replayed: false }
  }
  const [claimed] = await tx
    .insert(idempotencyKeys)
    .values({ ...claim, status: 0, body: null })
    .onConflictDoUpdate({
      target: [idempotencyKeys.userId, idempotencyKeys.route, idempotencyKeys.key],
      set: { requestHash: claim.requestHash, status: 0, body: null, location: null, createdAt: sql`now()` },
      // An expired key starts again; a live one is left alone (and returns no row).
      setWhere: sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})`,
    })
    .returning({ key: idempotencyKeys.key })
  if (claimed) {
    const answer = await work()
    await tx
      .update(idempotencyKeys)
      .set({ status: answer.status, body: answer.body as never, location: answer.location ?? null })
      .where(and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.route, claim.route), eq(idempotencyKeys.key, claim.key)))
    return { status: answer.status, body: answer.body, location: answer.location, replayed: false }
  }
  const [first] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.route, claim.route), eq(idempotencyKeys.key, claim.key)))
  if (!first) throw new Error('idempotency key vanished between its conflict and its read')
  if (first.requestHash !== claim.requestHash) throw keyReused()
  return { status: first.status, body: first.body as T, location: first.location ?? undefined, replayed: true }
}
