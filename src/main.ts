import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { bootstrapData } from './bootstrap.ts'
import { ConfigError, loadConfig } from './platform/config.ts'

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

const config = readConfig()
const started = performance.now()
const app = await buildApp({ config })

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close Redis and the database.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down')
  await app.close()
})

await bootstrapData(app)
await app.listen({ port: config.port, host: config.host })
app.log.info(
  {
    database: app.database.kind,
    cache: app.cache.enabled ? app.cache.backend : 'disabled',
    startupMs: Math.round(performance.now() - started),
  },
  'ECAR is ready',
)
