import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    // Every invalid field is listed, not only the first; string lengths and the body limit bound the cost.
    allErrors: true,
    // Unknown fields are refused (400), never silently dropped.
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  })
  addFormats.default(ajv)
  return ajv
}

/**
 * Validator compilers: JSON bodies are taken as typed (a string is not a number), while path and
 * query parameters, which are always text, are coerced to the schema's types.
 */
export function validatorCompilers(): FastifySchemaCompiler<unknown> {
  const bodyAjv = makeAjv({ coerceTypes: false })
  const textAjv = makeAjv({ coerceTypes: 'array' })
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object)
}
