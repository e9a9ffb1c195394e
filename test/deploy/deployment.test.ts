import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadConfig } from '../../src/platform/config.ts'
import { metricsAccess } from '../../src/platform/metrics/metrics-access.ts'

// No Docker engine runs here, so the deployment files are parsed and their properties checked. Every
// check is paired with a mutation that removes or breaks the property it guards, and must then fail:
// a check that cannot fail guards nothing.

interface Files {
  compose: Record<string, unknown>
  dockerfile: string
  dockerignore: string
}

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
const files: Files = {
  compose: parse(read('docker-compose.yml')) as Record<string, unknown>,
  dockerfile: read('Dockerfile'),
  dockerignore: read('.dockerignore'),
}
const startScript = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start

type Obj = Record<string, unknown>
const obj = (value: unknown): Obj => (value !== null && typeof value === 'object' ? (value as Obj) : {})
const services = (f: Files) => obj(f.compose.services)
const service = (f: Files, name: string) => obj(services(f)[name])
const postgresName = (f: Files) =>
  Object.entries(services(f)).find(([, s]) => /^postgres:\d+/.test(String(obj(s).image)))?.[0] ?? 'postgres'

/** The variables compose refuses to start without (`${NAME:?message}`): the deployment's passwords. */
const REQUIRED = ['POSTGRES_PASSWORD', 'REDIS_PASSWORD']
/** Those variables as an operator sets them; every other variable unset. */
const SET: Record<string, string> = { POSTGRES_PASSWORD: 'pg-secret', REDIS_PASSWORD: 'redis-secret' }

/**
 * What compose makes of `${NAME}`, `${NAME:-default}`, `${NAME:?message}` and `$$` with only `vars`
 * set; a required variable that is not set throws, as compose refuses to start.
 */
const interpolate = (text: string, vars: Record<string, string> = SET) =>
  text.replace(/\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (match, name: string, op?: string, rest?: string) => {
    if (match === '$$') return '$'
    const value = vars[name]
    if (value !== undefined && (value !== '' || !op?.startsWith(':'))) return value
    if (op?.endsWith('?')) throw new Error(`compose: required variable ${name} is not set (${rest})`)
    return op?.endsWith('-') ? (rest ?? '') : ''
  })

/** Every string in the compose file, for checks on how variables are used. */
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(strings) : []

function environment(f: Files, name: string): Record<string, string> {
  const env = service(f, name).environment
  const pairs = Array.isArray(env) ? env.map((e) => String(e).split(/=(.*)/s)) : Object.entries(obj(env))
  return Object.fromEntries(pairs.map(([k, v]) => [String(k), v === undefined || v === null ? '' : String(v)]))
}

/** The command as arguments, as written. */
function rawRedisArgs(f: Files): string[] {
  const command = service(f, 'redis').command
  return Array.isArray(command) ? command.map(String) : String(command ?? '').split(/\s+/)
}
/** The command as arguments, with the defaults of its variables filled in (and the passwords set). */
const redisArgs = (f: Files): string[] => rawRedisArgs(f).map((a) => interpolate(a))
const argAfter = (args: string[], flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined)

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 }
const seconds = (duration: unknown) =>
  [...String(duration).matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit!]!, 0)

/** Instructions (continuations joined, comments dropped) of each stage; global ARGs come first. */
function stages(dockerfile: string): string[][] {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const out: string[][] = [[]]
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) out.push([])
    out.at(-1)!.push(line)
  }
  return out
}
const finalStage = (f: Files) => stages(f.dockerfile).at(-1)!
const instruction = (stage: string[], name: string) => stage.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length).trim())
const finalCmd = (f: Files): unknown => {
  const cmd = instruction(finalStage(f), 'CMD').at(-1)
  try {
    return JSON.parse(cmd ?? '')
  } catch {
    return cmd // shell form: sh -c becomes PID 1 and swallows SIGTERM
  }
}
const ignored = (f: Files) => f.dockerignore.split(/\r?\n/).map((l) => l.trim().replace(/^\/|\/$/g, '')).filter((l) => l && !l.startsWith('#'))

/** The `node -e` script of a healthcheck. */
function nodeScript(test: unknown): string {
  const args = Array.isArray(test) ? test.map(String) : []
  expect(args.slice(0, 3)).toEqual(['CMD', 'node', '-e'])
  return args[3]!
}
const dockerfileHealthcheck = (f: Files) => {
  const line = instruction(finalStage(f), 'HEALTHCHECK').at(-1) ?? ''
  return ['CMD', ...(JSON.parse(line.slice(line.indexOf('CMD') + 3).trim()) as string[])]
}

/** The variables docs/operations.md's compose table tells operators to set (its first column). */
const documentedComposeVariables = (() => {
  const lines = read('docs/operations.md').split(/\r?\n/)
  const start = lines.findIndex((l) => l.startsWith('| variable | used for |'))
  const rows = lines.slice(start + 2).filter((_l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('|')))
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!))
})()

type Mutation = (f: Files) => void
const checks: [string, (f: Files) => void, Mutation][] = [
  // The seed's Redis service, exactly.
  ['redis image is redis:7.2-alpine', (f) => expect(service(f, 'redis').image).toBe('redis:7.2-alpine'), (f) => delete service(f, 'redis').image],
  ['redis keeps redis_data:/data', (f) => expect(service(f, 'redis').volumes).toContain('redis_data:/data'), (f) => void (service(f, 'redis').volumes = [])],
  // Was 'redis publishes "6379:6379"' (the seed's mapping): issue #16 1(a), Docker's published ports
  // bypass the host firewall and only the app needs Redis.
  ['redis publishes no port to the host', (f) => expect(service(f, 'redis').ports ?? []).toEqual([]), (f) => void (service(f, 'redis').ports = ['6379:6379'])],
  [
    'redis requires a password, taken from REDIS_PASSWORD, which compose requires',
    (f) => expect(argAfter(rawRedisArgs(f), '--requirepass')).toMatch(/^\$\{REDIS_PASSWORD:\?[^}]+\}$/),
    (f) => void (service(f, 'redis').command = rawRedisArgs(f).filter((a, i, all) => a !== '--requirepass' && all[i - 1] !== '--requirepass')),
  ],
  [
    'the redis healthcheck (redis-cli) authenticates with the same password',
    (f) => {
      expect(environment(f, 'redis').REDISCLI_AUTH).toMatch(/^\$\{REDIS_PASSWORD:\?/)
      expect(environment(f, 'redis').REDISCLI_AUTH).toBe(argAfter(rawRedisArgs(f), '--requirepass'))
    },
    (f) => delete obj(service(f, 'redis').environment).REDISCLI_AUTH,
  ],
  [
    'redis healthcheck is the seed\'s redis-cli ping, 10s / 5s / 5 retries',
    (f) => expect(service(f, 'redis').healthcheck).toMatchObject({ test: ['CMD', 'redis-cli', 'ping'], interval: '10s', timeout: '5s', retries: 5 }),
    (f) => void (obj(service(f, 'redis').healthcheck).retries = 3),
  ],
  // Redis's own default (no limit, noeviction) turns a full cache into OOM errors on every write.
  [
    'redis has a maxmemory limit',
    (f) => expect(argAfter(redisArgs(f), '--maxmemory')).toMatch(/^[1-9]\d*(kb|mb|gb)?$/i),
    (f) => void (service(f, 'redis').command = redisArgs(f).filter((a, i, all) => a !== '--maxmemory' && all[i - 1] !== '--maxmemory')),
  ],
  [
    'redis evicts with an allkeys-* policy by default',
    (f) => expect(argAfter(redisArgs(f), '--maxmemory-policy')).toMatch(/^allkeys-(lru|lfu|random)$/),
    (f) => void (service(f, 'redis').command = redisArgs(f).map((a) => (a.startsWith('allkeys-') ? 'noeviction' : a))),
  ],
  // An old snapshot would bring back replaced tag tokens, and with them invalidated entries.
  [
    'redis keeps no snapshots',
    (f) => expect(argAfter(redisArgs(f), '--save')).toBe(''),
    (f) => void (service(f, 'redis').command = redisArgs(f).filter((a, i, all) => a !== '--save' && all[i - 1] !== '--save')),
  ],
  [
    'postgres has a pg_isready healthcheck',
    (f) => expect(JSON.stringify(obj(service(f, postgresName(f)).healthcheck).test)).toContain('pg_isready'),
    (f) => delete service(f, postgresName(f)).healthcheck,
  ],
  [
    'postgres keeps its data in a named volume',
    (f) => expect(service(f, postgresName(f)).volumes).toContain('pg_data:/var/lib/postgresql/data'),
    (f) => delete service(f, postgresName(f)).volumes,
  ],
  ['volumes redis_data and pg_data are declared', (f) => expect(Object.keys(obj(f.compose.volumes))).toEqual(expect.arrayContaining(['redis_data', 'pg_data'])), (f) => delete obj(f.compose.volumes).pg_data],
  ['app is built from this folder', (f) => expect(service(f, 'app').build).toBe('.'), (f) => delete service(f, 'app').build],
  [
    'app waits for redis and postgres to be healthy',
    (f) =>
      expect(service(f, 'app').depends_on).toMatchObject({ redis: { condition: 'service_healthy' }, [postgresName(f)]: { condition: 'service_healthy' } }),
    (f) => void (service(f, 'app').depends_on = ['redis', postgresName(f)]),
  ],
  // Was: REDIS_URL is exactly the seed's redis://redis:6379/1; now the same address with the password.
  [
    'app uses the seed\'s Redis address and database 1, with REDIS_PASSWORD',
    (f) => {
      const url = new URL(interpolate(environment(f, 'app').REDIS_URL ?? ''))
      expect([url.protocol, url.hostname, url.port, url.pathname, url.password]).toEqual(['redis:', 'redis', '6379', '/1', SET.REDIS_PASSWORD])
    },
    (f) => void (obj(service(f, 'app').environment).REDIS_URL = 'redis://redis:6379/1'),
  ],
  [
    'compose refuses to start without POSTGRES_PASSWORD and REDIS_PASSWORD (no default password anywhere)',
    (f) => {
      const uses = strings(f.compose).flatMap((text) => [...text.matchAll(/\$\{(\w+)([^}]*)\}/g)]).filter(([, name]) => REQUIRED.includes(name!))
      for (const name of REQUIRED) expect(uses.filter(([, n]) => n === name).length, name).toBeGreaterThan(0)
      for (const [use, , rest] of uses) expect(rest, use).toMatch(/^:\?./)
      for (const name of REQUIRED) expect(() => interpolate(strings(f.compose).join('\n'), { ...SET, [name]: '' }), name).toThrow(name)
    },
    (f) => void (obj(service(f, postgresName(f)).environment).POSTGRES_PASSWORD = '${POSTGRES_PASSWORD:-ecar}'),
  ],
  [
    'every published port is bound to the host\'s loopback by default',
    (f) => {
      const ports = Object.values(services(f)).flatMap((s) => (Array.isArray(obj(s).ports) ? (obj(s).ports as unknown[]).map(String) : []))
      expect(ports.length).toBeGreaterThan(0)
      for (const port of ports) expect(interpolate(port)).toMatch(/^127\.0\.0\.1:\d+:\d+$/)
    },
    (f) => void (service(f, 'app').ports = ['${ECAR_PORT:-3000}:3000']),
  ],
  [
    'the app in the image keeps /metrics closed unless METRICS_TOKEN is given',
    (f) => {
      // The image's ENV, then compose's environment, as the container sees them.
      const imageEnv = Object.fromEntries(
        instruction(finalStage(f), 'ENV').flatMap((e) => [...e.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map(([, k, v]) => [k!, v!.replace(/^"|"$/g, '')])),
      )
      const env = (vars: Record<string, string>) =>
        ({ ...imageEnv, ...Object.fromEntries(Object.entries(environment(f, 'app')).map(([k, v]) => [k, interpolate(v, vars)])) }) as Record<string, string>
      expect(metricsAccess(loadConfig(env(SET)))).toBe('closed')
      expect(metricsAccess(loadConfig(env({ ...SET, METRICS_TOKEN: 'scrape-token' })))).toBe('token')
    },
    (f) => void (f.dockerfile = f.dockerfile.replace(/^(\s*)HOST=0\.0\.0\.0/m, '$1HOST=127.0.0.1')),
  ],
  [
    'app DATABASE_URL points at the postgres service',
    (f) => {
      const url = new URL(interpolate(environment(f, 'app').DATABASE_URL ?? ''))
      expect([url.protocol, url.hostname, url.pathname.length > 1]).toEqual(['postgres:', postgresName(f), true])
    },
    (f) => void (obj(service(f, 'app').environment).DATABASE_URL = 'postgres://ecar@localhost:5432/ecar'),
  ],
  ['app listens on PORT 3000', (f) => expect(environment(f, 'app').PORT).toBe('3000'), (f) => delete obj(service(f, 'app').environment).PORT],
  [
    'app takes ECAR_DEMO, the first admin and METRICS_TOKEN from variables',
    (f) => {
      const env = environment(f, 'app')
      for (const name of ['ECAR_DEMO', 'ECAR_ADMIN_EMAIL', 'ECAR_ADMIN_PASSWORD', 'METRICS_TOKEN']) expect(env[name], name).toMatch(new RegExp(`^\\$\\{${name}\\b`))
    },
    (f) => delete obj(service(f, 'app').environment).METRICS_TOKEN,
  ],
  [
    'app healthcheck asks /readyz',
    (f) => expect(nodeScript(obj(service(f, 'app').healthcheck).test)).toContain('http://127.0.0.1:3000/readyz'),
    (f) => delete service(f, 'app').healthcheck,
  ],
  ['app restarts', (f) => expect(['always', 'unless-stopped', 'on-failure']).toContain(service(f, 'app').restart), (f) => delete service(f, 'app').restart],
  // The server drains for up to 10 s on SIGTERM; Docker's default 10 s would kill it midway.
  ['app stop_grace_period is at least 15s', (f) => expect(seconds(service(f, 'app').stop_grace_period)).toBeGreaterThanOrEqual(15), (f) => void (service(f, 'app').stop_grace_period = '10s')],

  ['Dockerfile has at least two stages', (f) => expect(stages(f.dockerfile).length - 1).toBeGreaterThanOrEqual(2), (f) => void (f.dockerfile = f.dockerfile.replace(/^FROM .* AS (?!runtime).*$/gm, ''))],
  [
    'a build stage installs production dependencies with npm ci',
    (f) => expect(stages(f.dockerfile).slice(1, -1).flat().join('\n')).toMatch(/^RUN .*npm ci\b.*--omit=dev/m),
    (f) => void (f.dockerfile = f.dockerfile.replace('--omit=dev', '')),
  ],
  [
    'the final stage runs on Node 20 or later, slim or alpine',
    (f) => {
      const args = Object.fromEntries(instruction(stages(f.dockerfile)[0]!, 'ARG').map((a) => a.split('=')))
      const image = instruction(finalStage(f), 'FROM')[0]!.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? '')
      expect(image).toMatch(/^node:(2\d|[3-9]\d)(\.[\d.]+)?-(slim|alpine)\b/)
    },
    (f) => void (f.dockerfile = f.dockerfile.replace(/^ARG NODE_VERSION=\d+/m, 'ARG NODE_VERSION=18')),
  ],
  [
    'every stage runs on Node 24, the current LTS (issue #16 item 7)',
    (f) => {
      const args = Object.fromEntries(instruction(stages(f.dockerfile)[0]!, 'ARG').map((a) => a.split('=')))
      const images = stages(f.dockerfile).slice(1).map((stage) => instruction(stage, 'FROM')[0]!.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? ''))
      for (const image of images) expect(image).toMatch(/^node:24(\.[\d.]+)?-(bookworm-|trixie-)?slim\b/)
    },
    (f) => void (f.dockerfile = f.dockerfile.replace(/^ARG NODE_VERSION=\d+/m, 'ARG NODE_VERSION=20')),
  ],
  [
    'the final stage listens on every interface of its container (HOST=0.0.0.0)',
    (f) => expect(instruction(finalStage(f), 'ENV').join(' ')).toMatch(/\bHOST=0\.0\.0\.0\b/),
    (f) => void (f.dockerfile = f.dockerfile.replace(/^(\s*)HOST=0\.0\.0\.0/m, '$1')),
  ],
  [
    'the final stage takes node_modules from the deps stage',
    (f) => expect(instruction(finalStage(f), 'COPY')).toContain('--from=deps /app/node_modules ./node_modules'),
    (f) => void (f.dockerfile = f.dockerfile.replace(/^COPY --from=deps.*$/m, '')),
  ],
  [
    'the final stage sets NODE_ENV=production',
    (f) => expect(instruction(finalStage(f), 'ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/),
    (f) => void (f.dockerfile = f.dockerfile.replace('NODE_ENV=production', 'NODE_ENV=development')),
  ],
  [
    "the final stage bounds the V8 heap, with room for three times the in-process cache's default budget",
    (f) => {
      const limit = /--max-old-space-size=(\d+)\b/.exec(instruction(finalStage(f), 'ENV').join(' '))
      // The cache holds itself to a third of the heap limit: the default must fit without being cut.
      expect(Number(limit?.[1]) * 2 ** 20).toBeGreaterThanOrEqual(3 * loadConfig({}).cache.l1MaxBytes)
    },
    (f) => void (f.dockerfile = f.dockerfile.replace(/--max-old-space-size=\d+/, '')),
  ],
  [
    'the final stage runs as a user that is not root',
    (f) => expect(instruction(finalStage(f), 'USER').at(-1)).toMatch(/^(?!(root|0)(:|$))\S+$/),
    (f) => void (f.dockerfile = f.dockerfile.replace(/^USER .*$/m, 'USER root')),
  ],
  [
    'CMD runs node directly (exec form), as `npm start` does',
    (f) => expect(finalCmd(f)).toEqual(startScript.split(' ')),
    (f) => void (f.dockerfile = f.dockerfile.replace(/^CMD .*$/m, 'CMD ["npm", "start"]')),
  ],
  [
    'a build stage compiles the sources, and the final stage takes dist/ from it',
    (f) => {
      const build = stages(f.dockerfile).find((stage) => instruction(stage, 'COPY').some((c) => c.startsWith('src ')))
      expect(build, 'a stage that copies src').toBeDefined()
      expect(instruction(build!, 'RUN')).toContain('npm run build')
      expect(instruction(finalStage(f), 'COPY')).toContain('--from=build /app/dist ./dist')
      expect(instruction(finalStage(f), 'COPY').some((c) => c.startsWith('src '))).toBe(false)
    },
    (f) => void (f.dockerfile = f.dockerfile.replace('RUN npm run build', 'RUN true')),
  ],
  ['EXPOSE 3000', (f) => expect(instruction(finalStage(f), 'EXPOSE')).toContain('3000'), (f) => void (f.dockerfile = f.dockerfile.replace(/^EXPOSE .*$/m, ''))],
  [
    'HEALTHCHECK asks /readyz',
    (f) => expect(nodeScript(dockerfileHealthcheck(f))).toContain('/readyz'),
    (f) => void (f.dockerfile = f.dockerfile.replace(/^HEALTHCHECK/m, '# HEALTHCHECK')),
  ],
  [
    'every COPY source exists and is not ignored',
    (f) => {
      const sources = instruction(finalStage(f), 'COPY').filter((c) => !c.startsWith('--from')).flatMap((c) => c.split(/\s+/).slice(0, -1))
      expect(sources).toEqual(expect.arrayContaining(['drizzle', 'package.json']))
      for (const source of sources) expect([source, existsSync(new URL(`../../${source}`, import.meta.url)), ignored(f).includes(source)]).toEqual([source, true, false])
    },
    (f) => void (f.dockerignore += '\ndrizzle\n'),
  ],
  [
    'every variable docs/operations.md lists for compose is passed on by the compose file',
    (f) => {
      expect(documentedComposeVariables.length).toBeGreaterThan(10)
      const used = strings(f.compose).join('\n')
      for (const name of documentedComposeVariables) expect([name, used.includes(`\${${name}`)]).toEqual([name, true])
    },
    (f) => delete obj(service(f, 'app').environment).CACHE_PREFIX,
  ],
  [
    '.dockerignore keeps local state out of the image',
    (f) => expect(ignored(f)).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git', '.test-results', 'bench/results'])),
    (f) => void (f.dockerignore = f.dockerignore.replace(/^node_modules$/m, '')),
  ],
]

describe('deployment files', () => {
  it.each(checks)('%s', (_name, check) => check(files))

  it.each(checks)('check "%s" fails when the property is removed', (_name, check, mutate) => {
    const broken = structuredClone(files)
    mutate(broken)
    expect(() => check(broken)).toThrow()
  })
})

describe('healthcheck scripts', () => {
  let server: Server
  let status = 200
  let port = 0
  beforeAll(async () => {
    server = createServer((request, response) => response.writeHead(request.url === '/readyz' ? status : 404).end())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const exitCode = (script: string, env: Record<string, string> = {}) =>
    promisify(execFile)('node', ['-e', script], { env: { ...process.env, ...env }, timeout: 10_000 }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    )

  // /readyz is 200 while the database answers (Redis down only degrades it) and 503 when it does not.
  const cases: [string, (port: number) => string][] = [
    ['compose', (p) => nodeScript(obj(service(files, 'app').healthcheck).test).replace('127.0.0.1:3000', `127.0.0.1:${p}`)],
    ['Dockerfile', () => nodeScript(dockerfileHealthcheck(files))],
  ]
  it.each(cases)('the %s healthcheck passes on 200, fails on 503 and on a closed port', async (_name, script) => {
    status = 200
    expect(await exitCode(script(port), { PORT: String(port) })).toBe(0)
    status = 503
    expect(await exitCode(script(port), { PORT: String(port) })).toBe(1)
    expect(await exitCode(script(1), { PORT: '1' })).toBe(1)
  })
})
