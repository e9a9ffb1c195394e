import type { FastifyInstance } from 'fastify'

/** Routes of the admin module: cache monitoring and clearing. */
export async function adminRoutes(_app: FastifyInstance) {}
