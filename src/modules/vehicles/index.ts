import type { FastifyInstance } from 'fastify'

/** Routes of the vehicles module. */
export async function vehiclesRoutes(_app: FastifyInstance) {}
