import type { FastifyInstance } from 'fastify'
import type { Grants } from '../auth/permissions.ts'
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { hoistNamedSchemas, liftProblemCodes } from './openapi-components.ts'
import { ANY_REQUEST_ERRORS } from './platform.errors.ts'
import { addPlatformResponses } from './responses.ts'

/** Tags of the platform's own routes; every module names its own in its registry entry (`apiTags`; Redocly's operation-tag-defined rule checks). */
export const PLATFORM_API_TAGS = [{ name: 'operations', description: 'Health probes, Prometheus metrics and cache administration' }]

/**
 * Generates the OpenAPI document from the route schemas: /openapi.json, with Swagger UI at /docs.
 * Routes registered after this plugin get the platform's error responses (`addPlatformResponses`).
 */
export const openApiPlugin = fp(
  async (app: FastifyInstance, opts: { permissions?: ReadonlyMap<string, Grants>; tags?: readonly { name: string; description: string }[] }) => {
    const permissions = opts.permissions ?? new Map<string, Grants>()
    app.addHook('onRoute', (route) => addPlatformResponses(route as Parameters<typeof addPlatformResponses>[0], permissions))
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ECAR garage management API',
          version: '0.1.0',
          description:
            'Customers, vehicles and accounts of a car repair shop. Errors are RFC 9457 application/problem+json ' +
            '(Problem; a 400 is a ValidationProblem listing each bad field); its code is one of the x-problem-codes of the ' +
            'response, or of the document for what any request can get (an unknown route, a malformed URL or HTTP request, ' +
            'an internal error). Lists are cursor pages ({ items, nextCursor }). ' +
            'Cached GET responses carry X-Cache (HIT, MISS, STALE, BYPASS) and an ETag, and honour If-None-Match with 304.',
        },
        servers: [{ url: '/', description: 'This server' }],
        tags: [...(opts.tags ?? []), ...PLATFORM_API_TAGS],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token of POST /api/auth/login or /api/auth/register' },
            metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the setting is given' },
          },
        },
        security: [{ bearerAuth: [] }],
      },
      // Module roots are declared as '/' under their prefix; the contract names them without the slash.
      transform: ({ schema, url }) => ({ schema, url: url.length > 1 ? url.replace(/\/$/, '') : url }),
      transformObject: (document) =>
        'openapiObject' in document
          ? (liftProblemCodes(hoistNamedSchemas(document.openapiObject as Record<string, unknown>), ANY_REQUEST_ERRORS.map((spec) => spec.code)) as typeof document.openapiObject)
          : document.swaggerObject,
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
    app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger())
  },
  { name: 'ecar-openapi' },
)
