import type { FastifyInstance } from 'fastify'

/** Routes of the users module. */
export async function usersRoutes(_app: FastifyInstance) {}
