import type { FastifyRequest } from 'fastify'
import { fieldErrors } from '../../platform/http/error-handler.ts'
import { invalidInput, type FieldError } from '../../platform/http/errors.ts'

/** The latest model year accepted on `now`: next calendar year, as makers sell next year's models early. */
export function latestModelYear(now = new Date()): number {
  return now.getUTCFullYear() + 1
}

/**
 * Throws the 400 of a vehicle write, if any. The route sets `attachValidation`, so the schema's
 * findings arrive here and are merged with the year's upper bound, which moves with the calendar
 * and cannot live in a schema compiled at start-up: one answer lists every bad field.
 */
export function assertValidVehicleRequest(request: FastifyRequest, now = new Date()): void {
  const failed = request.validationError
  // Params are validated before the body and stop validation: report them as the error handler would.
  if (failed && failed.validationContext !== 'body') throw failed
  const errors: FieldError[] = failed ? fieldErrors('body', failed.validation as Parameters<typeof fieldErrors>[1]) : []
  const body: unknown = request.body
  const year = typeof body === 'object' && body !== null ? (body as { year?: unknown }).year : undefined
  const latest = latestModelYear(now)
  if (typeof year === 'number' && year > latest) errors.push({ field: 'body.year', message: `must be <= ${latest}` })
  if (errors.length > 0) throw invalidInput('The request is invalid; see errors.', errors)
}
