import type { ErrorSpec } from './error-catalog.ts'
import { PlatformErrors } from './platform.errors.ts'

/** One invalid field of a request, as listed in a 400 problem. */
export interface FieldError {
  field: string
  message: string
}

/** What a problem carries besides its detail: the invalid fields, Retry-After, the cause to log. */
export interface ProblemOptions {
  errors?: FieldError[]
  retryAfterSeconds?: number
  cause?: unknown
  /** Members beyond the standard ones (`allowed` of an illegal transition). */
  extra?: ProblemExtra
}

/** An RFC 9457 problem body as ECAR sends it. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  errors?: FieldError[]
  /** The statuses an illegal transition could have moved to (ECAR_ERR_ILLEGAL_TRANSITION). */
  allowed?: string[]
  instance?: string
}

/** Members a problem may carry beyond the standard ones (each also in problem.schemas.ts, or serialization drops it). */
export interface ProblemExtra {
  allowed?: string[]
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** The title of an HTTP status, for problem bodies. */
export function statusTitle(status: number): string {
  return TITLES[status] ?? 'Error'
}

/**
 * An error the API reports to its caller: a fixed code (`ECAR_ERR_…`), an HTTP status and a
 * message safe to show. Anything else thrown is an internal error and is hidden.
 */
export class AppError extends Error {
  readonly status: number
  readonly code: string
  readonly errors: FieldError[] | undefined
  readonly retryAfterSeconds: number | undefined
  readonly extra: ProblemExtra | undefined

  constructor(
    status: number,
    code: string,
    detail: string,
    options: ProblemOptions = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.status = status
    this.code = code
    this.errors = options.errors
    this.retryAfterSeconds = options.retryAfterSeconds
    this.extra = options.extra
  }

  /** The problem+json body of this error. */
  toProblem(instance?: string): Problem {
    return {
      type: `https://ecar.dev/problems/${this.code.replace(/^ECAR_ERR_/, '').toLowerCase().replaceAll('_', '-')}`,
      title: statusTitle(this.status),
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
      ...(instance ? { instance } : {}),
    }
  }
}

/** The error to throw for a catalogued problem (`<module>.errors.ts`), with a detail safe to show. */
export function problem(spec: ErrorSpec, detail: string, options: ProblemOptions = {}): AppError {
  return new AppError(spec.status, spec.code, detail, options)
}

/** 400 with the list of invalid fields. */
export const invalidInput = (detail: string, errors: FieldError[] = []) => problem(PlatformErrors.VALIDATION, detail, { errors })

/** 401: no or bad credentials. */
export const unauthorized = (detail = 'Authentication is required.') => problem(PlatformErrors.UNAUTHORIZED, detail)

/** 403: authenticated, but this role may not do this. */
export const forbidden = (detail = 'You are not allowed to do this.') => problem(PlatformErrors.FORBIDDEN, detail)

/**
 * 409 ECAR_ERR_ILLEGAL_TRANSITION (api-garage.md "Conventions"): the move asked for is not one the caller may
 * make from the current status; `allowed` lists those it may (from the status machine's table, for that actor).
 */
export const illegalTransition = (from: string, to: string, allowed: readonly string[]) =>
  problem(PlatformErrors.ILLEGAL_TRANSITION, `Cannot move from ${from} to ${to}.`, { extra: { allowed: [...allowed] } })

/** 429 with the seconds after which to retry. */
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  problem(PlatformErrors.RATE_LIMITED, detail, { retryAfterSeconds })

/** 503: a dependency this request needs is down. */
export const unavailable = (detail: string, cause?: unknown, retryAfterSeconds = 5) =>
  problem(PlatformErrors.UNAVAILABLE, detail, { retryAfterSeconds, cause })
