/**
 * The ceiling (scenario 7): a bare Fastify route answering GET /api/vehicles with the same JSON bytes
 * ECAR serves for scenario 1, from memory. Same process setup as the server under test: plain
 * JavaScript run by `node` (as `npm start` runs ECAR's compiled dist/), production mode, and
 * WEB_CONCURRENCY workers through node:cluster.
 * Env: PORT, WEB_CONCURRENCY, CEILING_BODY_FILE.
 */
import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

const port = Number(process.env.PORT ?? 3999)
const workers = Number(process.env.WEB_CONCURRENCY ?? 1)
const bodyFile = process.env.CEILING_BODY_FILE

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork()
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
    setTimeout(() => process.exit(0), 200).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
} else {
  const body = bodyFile ? readFileSync(bodyFile) : Buffer.from('{"items":[],"nextCursor":null}')
  const app = Fastify({ logger: false })
  app.get('/api/vehicles', async (_request, reply) => reply.type('application/json; charset=utf-8').send(body))
  app.get('/readyz', async () => ({ status: 'ok' }))
  await app.listen({ port, host: '127.0.0.1' })
  const stop = () => void app.close().then(() => process.exit(0))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
