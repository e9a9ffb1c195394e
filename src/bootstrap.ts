import type { FastifyInstance } from 'fastify'

/** First-start work on the data: the first admin from settings, and the demo garage when asked. */
export async function bootstrapData(_app: FastifyInstance): Promise<void> {}
