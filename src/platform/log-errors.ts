import { stdSerializers, type SerializedError } from 'pino'

// Drizzle's DrizzleQueryError carries the query's parameters in its message ("params: …") and as a
// property: the values a failed write was given, i.e. password hashes, link tokens in mail bodies,
// personal data. The SQL text stays (it names the statement); the values never reach a log line.
const PARAMS_LINE = /(^|\n)params: [^\n]*/g
const MAX_DEPTH = 6

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(PARAMS_LINE, '$1params: [redacted]')
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = key === 'params' ? '[redacted]' : scrub(item, depth + 1)
  return out
}

/** pino's error serializer with query parameters removed from the error, its causes and its message. */
export function serializeError(error: Error): SerializedError {
  return scrub(stdSerializers.err(error), 0) as SerializedError
}
