/** One problem the API can answer with: its fixed code, HTTP status and what it means. */
export interface ErrorSpec {
  readonly code: `ECAR_ERR_${string}`
  readonly status: number
  /** When it happens, for the OpenAPI description of every route that can return it. */
  readonly description: string
}

/** A catalogue of problems by short name: the code without its ECAR_ERR_ prefix. */
export type ErrorCatalog = Readonly<Record<string, ErrorSpec>>

/**
 * Declares an error catalogue (a module's `<module>.errors.ts`, or the platform's); `const` keeps
 * each status a literal type, so `errors({ 409: [...] })` refuses a spec of another status.
 */
export function defineErrors<const C extends ErrorCatalog>(catalog: C): C {
  return catalog
}
