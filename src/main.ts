// First: V8 flags must be set before the app allocates (see the module).
import './platform/v8-flags.ts'
import cluster from 'node:cluster'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { bootstrapData, warnAboutExposure } from './bootstrap.ts'
import { runPrimary, runsBootstrap } from './cluster.ts'
import { ConfigError, loadConfig, type Config } from './platform/config.ts'
import { DatabaseOpenError } from './platform/db/open-error.ts'

function readConfig() {
  try {
    return loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
}

/** One full app instance: the only process, or a cluster worker (own pools and L1; the bus keeps L1s coherent). */
async function serve(config: Config): Promise<void> {
  const started = performance.now()
  let app: Awaited<ReturnType<typeof buildApp>>
  try {
    app = await buildApp({ config })
  } catch (error) {
    // A missing or unreachable database, or a data folder another process has: one line, no stack.
    if (!(error instanceof DatabaseOpenError)) throw error
    console.error(`ECAR cannot start: ${error.message}`)
    process.exit(1)
  }

  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close Redis and the database.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })

  if (runsBootstrap()) await bootstrapData(app)
  await app.listen({ port: config.port, host: config.host })
  if (runsBootstrap()) await warnAboutExposure(app)
  app.log.info(
    {
      database: app.database.kind,
      cache: app.cache.enabled ? app.cache.backend : 'disabled',
      startupMs: Math.round(performance.now() - started),
      ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}),
    },
    'ECAR is ready',
  )
}

const config = readConfig()
// Several processes need PostgreSQL: PGlite is a single in-process database.
if (config.webConcurrency > 1 && config.databaseUrl === undefined) {
  console.error(
    'WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded PGlite database serves one process (set WEB_CONCURRENCY=1, or use PostgreSQL)',
  )
  process.exit(1)
}
if (config.webConcurrency > 1 && cluster.isPrimary) runPrimary(config)
else await serve(config)
