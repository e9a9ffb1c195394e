import { Type, type Static } from 'typebox'
import { PageQuery } from '../../platform/http/common.schemas.ts'
import { MESSAGE_STATUSES, type MessageRow } from './messages.table.ts'

const Timestamp = Type.String({ format: 'date-time' })
const NullableTimestamp = Type.Union([Timestamp, Type.Null()])

/** One outbox message as staff see it: link tokens are always shown as `token=[redacted]`. */
export const MessageSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'invitation, password_reset, …' }),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String({ description: 'The plain-text body, with the tokens of reset and invitation links redacted' }),
  status: Type.Enum(MESSAGE_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: NullableTimestamp,
  lastError: Type.Union([Type.String(), Type.Null()]),
  related: Type.Union([Type.Object({ type: Type.String(), id: Type.Integer() }), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sentAt: NullableTimestamp,
})
export type Message = Static<typeof MessageSchema>

// A link token (and a cut one) never leaves the server in a listing: staff could otherwise take over
// the account a reset or an invitation is for. The outbox scrubs them itself once a message is out.
const TOKEN = /token=[A-Za-z0-9_-]+/g

/** Replaces every link token in a body. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN, 'token=[redacted]')
}

/** The API object of an outbox row. */
export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    kind: row.kind,
    to: row.recipient,
    subject: row.subject,
    text: redactTokens(row.textBody),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'queued' ? row.nextAttemptAt.toISOString() : null,
    lastError: row.lastError,
    related: row.relatedType !== null && row.relatedId !== null ? { type: row.relatedType, id: row.relatedId } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  }
}

/** `?status=&to=&limit=&cursor=` of GET /api/messages. */
export const ListMessagesQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(MESSAGE_STATUSES)),
    to: Type.Optional(Type.String({ minLength: 3, maxLength: 254, description: 'Exact recipient address (compared lower-case)' })),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type ListMessagesInput = Static<typeof ListMessagesQuery>
