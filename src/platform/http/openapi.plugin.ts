import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

/** Generates the OpenAPI document from the route schemas: /openapi.json, with Swagger UI at /docs. */
export const openApiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ECAR garage management API',
          version: '0.1.0',
          description:
            'Customers, vehicles and accounts of a car repair shop. Errors are RFC 9457 problem+json. ' +
            'Cached GET responses carry X-Cache (HIT, MISS, STALE, BYPASS) and an ETag, and honour If-None-Match.',
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
        },
        security: [{ bearerAuth: [] }],
      },
      // Module roots are declared as '/' under their prefix; the contract names them without the slash.
      transform: ({ schema, url }) => ({ schema, url: url.length > 1 ? url.replace(/\/$/, '') : url }),
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
    app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger())
  },
  { name: 'ecar-openapi' },
)
