import type { FastifyInstance } from 'fastify'

/** Routes of the auth module. */
export async function authRoutes(_app: FastifyInstance) {}
