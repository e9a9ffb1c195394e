import { AppError, type FieldError, type ProblemExtra } from './errors.ts'

/** One problem a module can answer with: its fixed code, HTTP status and what it means. */
export interface ErrorSpec {
  readonly code: `ECAR_ERR_${string}`
  readonly status: number
  /** When it happens, for the OpenAPI description of every route that can return it. */
  readonly description: string
}

/** A module's problems, by short name. */
export type ErrorCatalog = Readonly<Record<string, ErrorSpec>>

/** Declares a module's error catalogue; `as const` keeps each code a literal type. */
export function defineErrors<const C extends ErrorCatalog>(catalog: C): C {
  return catalog
}

/** The error to throw for a catalogued problem, with a message safe to show. */
export function problem(spec: ErrorSpec, detail: string, options: { errors?: FieldError[]; retryAfterSeconds?: number; cause?: unknown; extra?: ProblemExtra } = {}): AppError {
  return new AppError(spec.status, spec.code, detail, options)
}
