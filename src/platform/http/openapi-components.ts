import { isDeepStrictEqual } from 'node:util'
import { PROBLEM_CODES } from './responses.ts'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Moves every response schema that has a `title` into `components.schemas` under that title and
 * puts a `$ref` in its place, inner schemas first (a `VehiclePage` refers to `Vehicle`). Two
 * different schemas with one title are a programming error and stop the document's generation.
 * Request bodies and parameters stay inline: the fuzz test and client generators read them as is.
 */
export function hoistNamedSchemas(document: Json): Json {
  const doc = structuredClone(document)
  const components = (doc.components ??= {}) as Json
  const schemas = (components.schemas ??= {}) as Record<string, unknown>

  function hoist(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(hoist)
    if (!isObject(node)) return node
    for (const [key, value] of Object.entries(node)) if (key !== 'examples') node[key] = hoist(value)
    const title = node.title
    if (typeof title !== 'string' || !('type' in node || 'properties' in node || 'anyOf' in node)) return node
    const known = schemas[title]
    if (known !== undefined && !isDeepStrictEqual(known, node)) throw new Error(`OpenAPI: two different schemas are titled ${title}: ${JSON.stringify(known)} and ${JSON.stringify(node)}`)
    schemas[title] = node
    return { $ref: `#/components/schemas/${encodeURIComponent(title)}` }
  }

  for (const item of Object.values((doc.paths ?? {}) as Record<string, Json>)) {
    for (const operation of Object.values(item)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue
      for (const response of Object.values(operation.responses)) {
        if (!isObject(response) || !isObject(response.content)) continue
        for (const media of Object.values(response.content)) {
          if (!isObject(media) || !isObject(media.schema)) continue
          // @fastify/swagger moves a top-level schema's example to the media object: back into the
          // schema, so the component is the same wherever the schema is used.
          if (media.example !== undefined && typeof media.schema.title === 'string') {
            media.schema.examples = [media.example]
            delete media.example
          }
          media.schema = hoist(media.schema)
        }
      }
    }
  }
  components.schemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)))
  return doc
}

/**
 * Moves each error response's `x-problem-codes` from its media type, where route schemas keep it
 * (@fastify/swagger copies a response's description, headers and content only), onto the response
 * object, and lists at the document's root the codes any request can get whatever its route.
 */
export function liftProblemCodes(document: Json, anyRequest: readonly string[]): Json {
  const doc = structuredClone(document)
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Json>)) {
    for (const operation of Object.values(item)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue
      for (const response of Object.values(operation.responses)) {
        if (!isObject(response) || !isObject(response.content)) continue
        for (const media of Object.values(response.content)) {
          if (!isObject(media) || !Array.isArray(media[PROBLEM_CODES])) continue
          response[PROBLEM_CODES] = media[PROBLEM_CODES]
          delete media[PROBLEM_CODES]
        }
      }
    }
  }
  return { ...doc, [PROBLEM_CODES]: [...anyRequest] }
}
