import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import type { Config } from '../config.ts'

/** Security headers (helmet) and a strict CORS policy: no cross-origin access unless origins are listed. */
export const securityPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    await app.register(helmet, {
      // Swagger UI at /docs needs its inline scripts and styles; everything else is JSON.
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        },
      },
    })
    await app.register(cors, {
      origin: opts.config.corsOrigins.length > 0 ? opts.config.corsOrigins : false,
      credentials: true,
      exposedHeaders: ['x-cache', 'etag', 'x-request-id', 'retry-after'],
    })
  },
  { name: 'ecar-security' },
)
