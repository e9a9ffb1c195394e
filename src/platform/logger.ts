import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify'
import type { Bindings, ChildLoggerOptions, Logger } from 'pino'
import type { Config } from './config.ts'

/** Request and body fields that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.passwordHash',
]

// The one-time link tokens travel in the path of these routes (api-contract.md fixes the paths).
const LINK_TOKEN_IN_PATH = /(\/api\/auth\/(?:password-reset|invitations)\/)[^/?#]+/g

/** A request URL as it may be logged: the tokens of reset and invitation links replaced. */
export function loggableUrl(url: string): string {
  return url.replace(LINK_TOKEN_IN_PATH, '$1[redacted]')
}

interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number } | null
}

/** pino options: structured JSON, request ids, secrets redacted. */
export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // Fastify's own request serializer, with the URL made loggable.
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: loggableUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
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
