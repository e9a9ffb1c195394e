import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { randomUUID } from 'node:crypto'
import type { Config } from './platform/config.ts'
import type { Database } from './platform/db/database.ts'
import { databasePlugin } from './platform/db/database.plugin.ts'
import { idempotencySweepPlugin } from './platform/http/idempotency-sweep.ts'
import { cachePlugin } from './platform/cache/cache.plugin.ts'
import { errorHandlerPlugin, frameworkErrorProblem } from './platform/http/error-handler.ts'
import { clientErrorHandler } from './platform/http/client-errors.ts'
import { securityPlugin } from './platform/http/security.plugin.ts'
import { serverLimitOptions } from './platform/http/server-limits.ts'
import { openApiPlugin } from './platform/http/openapi.plugin.ts'
import { validatorCompilers } from './platform/http/validation.ts'
import { registerJsonParser } from './platform/http/json-body.ts'
import { lazyChildLoggerFactory, loggerOptions } from './platform/logger.ts'
import { authPlugin } from './platform/auth/auth.plugin.ts'
import { requestLimitPlugin } from './platform/http/request-limit.plugin.ts'
import { responseCachePlugin } from './platform/cache/response-cache.plugin.ts'
import { metricsPlugin } from './platform/metrics/metrics.plugin.ts'
import { SESSION_ENCODED_BYTES, SESSION_NAMESPACE, sessionSource } from './modules/auth/index.ts'
import { MODULES } from './modules/index.ts'
import { FLOWS } from './flows/index.ts'
import { declaredCache, declaredPermissions } from './platform/registry/registry-views.ts'

export interface BuildOptions {
  config: Config
  /** An already open and migrated database (tests); otherwise the app opens its own from config. */
  database?: Database
  /** A pino destination for tests that read the logs. */
  logStream?: NodeJS.WritableStream
  /** The flows to register (all of them by default; a module's tests may run its ports without). */
  flows?: readonly FastifyPluginAsync[]
}

/** Fastify's trustProxy for the setting: a hop count trusts that many proxies nearest to us, no more. */
function trustProxyOption(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting
}

/** Builds the ECAR Fastify app: platform plugins first, then the feature modules. */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    childLoggerFactory: lazyChildLoggerFactory,
    bodyLimit: config.bodyLimitBytes,
    ...serverLimitOptions(config),
    trustProxy: trustProxyOption(config.trustProxy),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    ajv: undefined,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkErrorProblem,
    clientErrorHandler,
    // Avvio's default of 10 s per plugin is shorter than the database plugin's migrations can take:
    // a migration that rewrites a large table or builds an index (the search columns on 500,000
    // vehicles) runs for minutes, and a fresh embedded database's initdb alone takes seconds.
    pluginTimeout: 10 * 60_000,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validatorCompilers())
  // The API speaks JSON only: any other body type is a 415, not a string handed to the validator.
  app.removeContentTypeParser('text/plain')
  registerJsonParser(app)
  app.decorate('config', config)
  const permissions = declaredPermissions(MODULES)

  await app.register(errorHandlerPlugin)
  await app.register(securityPlugin, { config })
  await app.register(openApiPlugin, { permissions, tags: MODULES.flatMap((module) => module.apiTags ?? []) })
  await app.register(databasePlugin, { config, database: options.database })
  await app.register(idempotencySweepPlugin)
  // Session lookups get an in-process LRU of their own: every signed-in request needs one, and in the
  // shared LRU larger, rarer entries pushed them out (docs/caching.md).
  await app.register(cachePlugin, {
    config,
    reservedL1: [{ namespace: SESSION_NAMESPACE, maxEntries: config.cache.l1Sessions, encodedBytes: SESSION_ENCODED_BYTES }],
    declared: declaredCache(MODULES),
  })
  await app.register(metricsPlugin, { config })
  await app.register(requestLimitPlugin, { config })
  await app.register(authPlugin, { config, sessions: sessionSource, permissions })
  await app.register(responseCachePlugin, { config })

  // Every module's plugins first (decorations and subscriptions other modules' routes rely on), then the routes.
  for (const module of MODULES) for (const plugin of module.plugins ?? []) await app.register(plugin)
  for (const flow of options.flows ?? FLOWS) await app.register(flow)
  for (const module of MODULES) for (const { prefix, plugin } of module.routes) await app.register(plugin, { prefix })

  return app
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}
