import type { FastifyBaseLogger, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Bindings, ChildLoggerOptions, Logger } from 'pino'
import type { Config } from './config.ts'
import { serializeError } from './log-errors.ts'

/** Request and body fields that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.passwordHash',
]

// Query parameters whose values say nothing about a person: ids, paging sizes, roles, states. Every
// other value (?q= search terms: names, emails, phone numbers, plates; cursors, which carry sort values)
// is logged as [redacted], so the request log still shows which parameters a request used.
const LOGGED_QUERY_VALUES = new Set(['limit', 'role', 'status', 'active', 'ownerId', 'customerId', 'vehicleId', 'sort', 'order', 'pattern'])
// A path segment this long and token-shaped is a one-time link's token (password reset, invitation),
// never an id: ids are at most 19 digits.
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{20,}$/

/** The URL as logged: personal query values and link tokens in the path replaced by [redacted]. */
export function loggableUrl(url: string): string {
  const mark = url.indexOf('?')
  const path = (mark === -1 ? url : url.slice(0, mark))
    .split('/')
    .map((segment) => (TOKEN_SEGMENT.test(segment) ? '[redacted]' : segment))
    .join('/')
  if (mark === -1) return path
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq === -1) return pair
      let name: string
      try {
        name = decodeURIComponent(pair.slice(0, eq).replaceAll('+', ' '))
      } catch {
        name = ''
      }
      return LOGGED_QUERY_VALUES.has(name) ? pair : `${pair.slice(0, eq)}=[redacted]`
    })
    .join('&')
  return `${path}?${query}`
}

/** Fastify's request serializer, with the URL made loggable (see {@link loggableUrl}). */
function serializeRequest(req: FastifyRequest) {
  const version = req.headers['accept-version']
  return {
    method: req.method,
    url: loggableUrl(req.url),
    version: typeof version === 'string' ? version : undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }
}

/** pino options: structured JSON, request ids, secrets and search terms redacted. */
export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest, err: serializeError },
    ...(stream ? { stream } : {}),
  }
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
type LogCall = (...args: unknown[]) => void

/**
 * A request's logger, made on first use. Fastify builds a pino child for every request (its bindings
 * serialised, its redaction set up), yet at production levels most requests never log: that was a
 * few per cent of a cached hit's CPU. Logs that are written carry the same bindings as before.
 */
class LazyRequestLogger {
  private made: FastifyBaseLogger | undefined

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.made?.level ?? this.parent.level
  }

  set level(level: string) {
    this.logger().level = level
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args)
  }
  error(...args: unknown[]): void {
    this.write('error', args)
  }
  warn(...args: unknown[]): void {
    this.write('warn', args)
  }
  info(...args: unknown[]): void {
    this.write('info', args)
  }
  debug(...args: unknown[]): void {
    this.write('debug', args)
  }
  trace(...args: unknown[]): void {
    this.write('trace', args)
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options)
  }

  private logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options))
  }

  private write(level: Level, args: unknown[]) {
    // Before the child exists the parent's level decides; afterwards the child's (it may have been changed).
    if (this.made === undefined && !this.parent.isLevelEnabled(level)) return
    ;(this.logger()[level] as LogCall)(...args)
  }
}

/** Fastify's `childLoggerFactory`: lazy request loggers, except for routes with their own log settings. */
export const lazyChildLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = function (logger, bindings, options) {
  if (options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options)
  return new LazyRequestLogger(logger as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger
}
