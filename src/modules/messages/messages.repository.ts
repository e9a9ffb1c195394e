import { and, asc, desc, eq, inArray, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { messages, type MessageRow, type MessageStatus } from './messages.table.ts'

/** A message to put in the outbox. */
export interface MessageDraft {
  kind: string
  to: string
  subject: string
  text: string
  html?: string
  related?: { type: string; id: number }
}

/** Inserts one message, `queued` (due at once) or `recorded` (no transport configured). */
export async function insertMessage(tx: Executor, draft: MessageDraft, status: 'queued' | 'recorded'): Promise<MessageRow> {
  const [row] = await tx
    .insert(messages)
    .values({
      kind: draft.kind,
      recipient: draft.to,
      subject: draft.subject,
      textBody: draft.text,
      htmlBody: draft.html ?? null,
      status,
      relatedType: draft.related?.type ?? null,
      relatedId: draft.related?.id ?? null,
    })
    .returning()
  return row!
}

/**
 * Claims up to `limit` due queued messages for this process: their attempt is counted and they are
 * pushed `leaseMs` into the future in one statement. `FOR UPDATE SKIP LOCKED` makes two instances
 * claiming at once take disjoint rows; the lease keeps a claimed row from being due again while it
 * is being sent, without a transaction held open across the SMTP conversation.
 */
export async function claimDueMessages(db: Executor, options: { limit: number; leaseMs: number }): Promise<MessageRow[]> {
  const due = db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.status, 'queued'), lte(messages.nextAttemptAt, sql`now()`)))
    .orderBy(asc(messages.nextAttemptAt), asc(messages.id))
    .limit(options.limit)
    .for('update', { skipLocked: true })
  return db
    .update(messages)
    .set({
      attempts: sql`${messages.attempts} + 1`,
      nextAttemptAt: sql`now() + ${options.leaseMs}::integer * interval '1 millisecond'`,
      updatedAt: sql`now()`,
    })
    .where(inArray(messages.id, due))
    .returning()
}

// Reset and invitation links carry a live token; once a message is out, the outbox keeps none.
const SCRUB_TOKENS = (column: typeof messages.textBody | typeof messages.htmlBody) =>
  sql`regexp_replace(${column}, 'token=[A-Za-z0-9_-]+', 'token=[redacted]', 'g')`

/** Marks a claimed message sent (and scrubs its link tokens). */
export async function markMessageSent(db: Executor, id: number): Promise<void> {
  await db
    .update(messages)
    .set({
      status: 'sent',
      sentAt: sql`now()`,
      updatedAt: sql`now()`,
      lastError: null,
      textBody: SCRUB_TOKENS(messages.textBody),
      htmlBody: SCRUB_TOKENS(messages.htmlBody),
    })
    .where(eq(messages.id, id))
}

/** Puts a claimed message back in the queue, due after `delayMs`, with the error that stopped it. */
export async function scheduleMessageRetry(db: Executor, id: number, delayMs: number, error: string): Promise<void> {
  await db
    .update(messages)
    .set({ nextAttemptAt: sql`now() + ${delayMs}::integer * interval '1 millisecond'`, updatedAt: sql`now()`, lastError: error })
    .where(and(eq(messages.id, id), eq(messages.status, 'queued')))
}

/** Gives up on a message: `failed`, with the last error (and its link tokens scrubbed). */
export async function markMessageFailed(db: Executor, id: number, error: string): Promise<void> {
  await db
    .update(messages)
    .set({
      status: 'failed',
      updatedAt: sql`now()`,
      lastError: error,
      textBody: SCRUB_TOKENS(messages.textBody),
      htmlBody: SCRUB_TOKENS(messages.htmlBody),
    })
    .where(eq(messages.id, id))
}

/** What a page of the outbox is filtered by; newest first, so the cursor is the id to stay below. */
export interface MessageFilter {
  status?: MessageStatus | undefined
  to?: string | undefined
  beforeId: number | undefined
  limit: number
}

/** Messages matching the filter by descending id (fetch one more than the page shows). */
export async function listMessages(db: Executor, filter: MessageFilter): Promise<MessageRow[]> {
  const conditions: SQL[] = []
  if (filter.status !== undefined) conditions.push(eq(messages.status, filter.status))
  if (filter.to !== undefined) conditions.push(eq(messages.recipient, filter.to))
  if (filter.beforeId !== undefined) conditions.push(lt(messages.id, filter.beforeId))
  return db
    .select()
    .from(messages)
    .where(and(...conditions))
    .orderBy(desc(messages.id))
    .limit(filter.limit)
}
