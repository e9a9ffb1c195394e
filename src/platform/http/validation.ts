import { Ajv, type Options, type SchemaValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

// A character a reader can see: not white space, not a control, format (zero-width) or combining mark.
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{M}\p{Z}]/u

/** The schema keyword of free text: `{ 'x-text': true }` trims the value and requires a visible character. */
export const TEXT_KEYWORD = 'x-text'

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    // Every invalid field is listed, not only the first; string lengths and the body limit bound the cost.
    allErrors: true,
    // Unknown fields are refused (400), never silently dropped.
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    // The failing schema travels with each issue, so a message can use the schema's own wording.
    verbose: true,
    ...options,
  })
  addFormats.default(ajv)
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: 'string',
    modifying: true,
    errors: true,
    // Before the length checks, which then measure the trimmed text.
    before: 'maxLength',
    validate: textKeyword,
  })
  return ajv
}

const textKeyword: SchemaValidateFunction = (enabled: boolean, data: string, _schema, ctx) => {
  if (!enabled) return true
  const trimmed = data.trim()
  if (ctx?.parentData && trimmed !== data) (ctx.parentData as Record<string | number, unknown>)[ctx.parentDataProperty] = trimmed
  if (VISIBLE.test(trimmed)) return true
  textKeyword.errors = [{ keyword: TEXT_KEYWORD, message: 'must contain a visible character', params: {} }]
  return false
}

interface ObjectSchema {
  type?: unknown
  properties?: Record<string, { type?: unknown }>
}

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null }

/**
 * Path and query parameters are text coerced to the schema's types, and Ajv's coercion takes what
 * `Number()` takes: `0x10`, `1e3`, ` 1`. The contract wants decimal digits only; and a NUL in a
 * parameter would reach the database, which refuses it without naming the field.
 */
function strictText(schema: ObjectSchema, validate: Validator): Validator {
  const integers = Object.entries(schema.properties ?? {})
    .filter(([, property]) => property.type === 'integer')
    .map(([name]) => name)
  const check: Validator = (data) => {
    const issues: unknown[] = []
    if (typeof data === 'object' && data !== null) {
      for (const [name, value] of Object.entries(data)) {
        const values = Array.isArray(value) ? value : [value]
        if (integers.includes(name) && values.some((v) => typeof v === 'string' && !/^-?[0-9]+$/.test(v))) {
          issues.push({ instancePath: `/${name}`, keyword: 'type', message: 'must be written in decimal digits only', params: {} })
        } else if (values.some((v) => typeof v === 'string' && v.includes('\u0000'))) {
          issues.push({ instancePath: `/${name}`, keyword: 'pattern', message: 'must not contain the NUL character (U+0000)', params: {} })
        }
      }
    }
    if (issues.length > 0) {
      check.errors = issues
      return false
    }
    const valid = validate(data)
    check.errors = validate.errors
    return valid
  }
  return check
}

/**
 * Validator compilers: JSON bodies are taken as typed (a string is not a number), while path and
 * query parameters, which are always text, are coerced to the schema's types (decimal digits only).
 */
export function validatorCompilers(): FastifySchemaCompiler<unknown> {
  const bodyAjv = makeAjv({ coerceTypes: false })
  const textAjv = makeAjv({ coerceTypes: 'array' })
  return ({ schema, httpPart }) => {
    if (httpPart === 'body') return bodyAjv.compile(schema as object)
    const validate = textAjv.compile(schema as object)
    return httpPart === 'params' || httpPart === 'querystring' ? (strictText(schema as ObjectSchema, validate) as typeof validate) : validate
  }
}
