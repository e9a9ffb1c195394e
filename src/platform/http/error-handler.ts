import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isDatabaseUnavailable, sqlState } from '../db/db-errors.ts'
import { AppError, invalidInput, problem as problemOf, statusTitle, unavailable, type FieldError, type Problem } from './errors.ts'
import { fastifyErrorCode, frameworkErrorCode, PlatformErrors } from './platform.errors.ts'

interface AjvIssue {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
  parentSchema?: { 'x-pattern-message'?: string }
}

const FORMAT_MESSAGES: Record<string, string> = {
  email: 'must be an email address',
  'date-time': 'must be an ISO 8601 date and time, e.g. 2026-03-01T09:30:00Z',
  date: 'must be a date, e.g. 2026-03-01',
  uri: 'must be a URI',
}

/** Ajv's message, in the schema's own words where Ajv would quote a regular expression or a format name. */
function issueMessage(issue: AjvIssue): string {
  if (issue.keyword === 'pattern') return issue.parentSchema?.['x-pattern-message'] ?? issue.message ?? 'is not in the accepted form'
  if (issue.keyword === 'format') return FORMAT_MESSAGES[String(issue.params.format)] ?? `must be a valid ${String(issue.params.format)}`
  return issue.message ?? 'is invalid'
}

/** Turns Ajv's issues into `{ field, message }` pairs with dotted field paths ("body.vin"). */
export function fieldErrors(context: string | undefined, issues: AjvIssue[]): FieldError[] {
  const seen = new Set<string>()
  const out: FieldError[] = []
  for (const issue of issues) {
    const segments = issue.instancePath.split('/').filter(Boolean)
    let message = issueMessage(issue)
    if (issue.keyword === 'required') segments.push(String(issue.params.missingProperty))
    if (issue.keyword === 'additionalProperties') {
      segments.push(String(issue.params.additionalProperty))
      message = 'is not an accepted field'
    }
    const field = [context, ...segments].filter(Boolean).join('.')
    const key = `${field}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ field, message })
  }
  return out
}

function send(reply: FastifyReply, problem: Problem, retryAfterSeconds?: number) {
  // A 400 always lists its fields (none when the request as a whole is malformed): ValidationProblem.
  if (problem.status === 400 && problem.errors === undefined) problem.errors = []
  if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds))
  return reply.code(problem.status).type('application/problem+json').send(problem)
}

function toProblem(error: FastifyError, request: FastifyRequest): { problem: Problem; retryAfter?: number } {
  if (error instanceof AppError) {
    return { problem: error.toProblem(request.url), retryAfter: error.retryAfterSeconds }
  }
  if (error.validation) {
    const errors = fieldErrors(error.validationContext, error.validation as AjvIssue[])
    const problem = invalidInput('The request is invalid; see errors.', errors)
    return { problem: problem.toProblem(request.url) }
  }
  // Text PostgreSQL cannot store (a NUL character): bad input, refused by the database before any change.
  const state = sqlState(error)
  if (state === '22021' || state === '22P05') {
    const problem = invalidInput('The request contains a character that cannot be stored (such as NUL).')
    return { problem: problem.toProblem(request.url) }
  }
  // foreign_key_violation, restrict_violation: a delete of a row others still reference (a vehicle with work orders), or a
  // reference to a row deleted meanwhile. The statement failed, so its transaction changed nothing.
  if (state === '23503' || state === '23001') {
    const problem = problemOf(PlatformErrors.STILL_REFERENCED, 'Other records still refer to this one (or it refers to one that is gone).')
    return { problem: problem.toProblem(request.url) }
  }
  if (isDatabaseUnavailable(error)) {
    const problem = unavailable('The database is unavailable; try again shortly.')
    return { problem: problem.toProblem(request.url), retryAfter: problem.retryAfterSeconds }
  }
  // query_canceled: DB_STATEMENT_TIMEOUT stopped a statement (an overloaded or locked database), not bad input.
  if (state === '57014') {
    const problem = unavailable('The database took too long to answer; try again shortly.')
    return { problem: problem.toProblem(request.url), retryAfter: problem.retryAfterSeconds }
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (body too large, bad JSON, media type): their messages are safe to show.
    const code = fastifyErrorCode(error.code)
    const detail = status === 415 ? 'The body must be JSON: send it with Content-Type: application/json.' : error.message
    const problem = new AppError(status, code, detail)
    return { problem: problem.toProblem(request.url), retryAfter: status === 429 ? 60 : undefined }
  }
  return {
    problem: {
      type: 'about:blank',
      title: statusTitle(500),
      status: 500,
      detail: 'An internal error occurred. It has been logged.',
      code: PlatformErrors.INTERNAL.code,
      instance: request.url,
    },
  }
}

/**
 * Errors the router raises before any route runs (a malformed or over-long URL), which Fastify
 * answers outside the error handler: as problem+json too. For Fastify's `frameworkErrors` option.
 */
export function frameworkErrorProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 400
  const detail = status === 414 ? 'A part of the URL is too long.' : 'The URL is malformed.'
  const problem = new AppError(status, frameworkErrorCode(error.code), detail)
  request.log.info({ code: problem.code, status }, 'request refused')
  return send(reply, problem.toProblem())
}

/** Answers every error and unknown route with RFC 9457 problem+json, hiding the internals of 5xx. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const { problem, retryAfter } = toProblem(error, request)
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
      else request.log.info({ code: problem.code, status: problem.status }, 'request refused')
      return send(reply, problem, retryAfter)
    })
    app.setNotFoundHandler((request, reply) => {
      const problem = problemOf(PlatformErrors.ROUTE_NOT_FOUND, `No route ${request.method} ${request.url.split('?')[0]}.`)
      return send(reply, problem.toProblem())
    })
  },
  { name: 'ecar-error-handler' },
)
