import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import './principal.ts'

/** Authenticates bearer tokens and enforces route roles. */
export const authPlugin = fp(
  async (app: FastifyInstance, _opts: { config: Config }) => {
    app.decorateRequest('principal', null)
  },
  { name: 'ecar-auth', dependencies: ['ecar-database', 'ecar-cache'] },
)
