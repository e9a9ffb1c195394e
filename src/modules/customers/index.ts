import type { FastifyInstance } from 'fastify'

/** Routes of the customers module. */
export async function customersRoutes(_app: FastifyInstance) {}
