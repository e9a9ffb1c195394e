import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteRedisPrefix, testRedisUrl, uniquePrefix } from '../support/app.ts'
import { embeddedDefaultEnv, spawnServer, waitUntilReady, type ServerProcess } from '../e2e/server-process.ts'

// Every command the README and docs/operations.md show, run as a reader would run it on a clone:
// the sh blocks, and the `docker compose exec … app node dist/cli/main.js …` commands (run here
// without Docker: the image holds the same dist/). What cannot run here is skipped with its reason.
const DOCS = ['README.md', 'docs/operations.md']

interface Block {
  where: string
  script: string
}

function shBlocks(file: string): Block[] {
  const text = readFileSync(file, 'utf8')
  const blocks: Block[] = []
  for (const match of text.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, match.index).split('\n').length
    blocks.push({ where: `${file}:${line}`, script: match[1]! })
  }
  return blocks
}

/** Blocks this machine cannot run, and why; every other block runs. */
const SKIPPED: { pattern: RegExp; reason: string }[] = [
  { pattern: /^npm install && npm start$/m, reason: 'what `npm start` runs is test/e2e/smoke.e2e.test.ts; `npm install` needs the registry' },
  { pattern: /^npm install && npm test$/m, reason: 'the test suite itself' },
  { pattern: /db\.internal|cache\.internal/, reason: 'an example of production settings: those hosts do not exist' },
  { pattern: /^docker /m, reason: 'needs Docker and the built image, not available in the test run; its CLI commands are run below without Docker' },
]

/** The `docker compose exec [-e K=V] app node dist/cli/main.js …` commands in the docs, as argv and env. */
function composeCliCommands(): { where: string; args: string[]; env: Record<string, string> }[] {
  const found: { where: string; args: string[]; env: Record<string, string> }[] = []
  for (const file of DOCS) {
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/docker compose exec ((?:-e \w+=\S+ )*)app node dist\/cli\/main\.js ([a-z][a-z -]*[a-z])/g)) {
      const env = Object.fromEntries([...match[1]!.matchAll(/-e (\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]))
      found.push({ where: `${file}:${text.slice(0, match.index).split('\n').length}`, args: match[2]!.trim().split(/\s+/), env })
    }
  }
  return found
}

async function sh(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', ['-e', '-o', 'pipefail', '-c', script], { env, timeout: 60_000 })
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, output: (e.stdout ?? '') + (e.stderr ?? '') }
  }
}

const baseEnv = (extra: Record<string, string>) =>
  embeddedDefaultEnv({ ECAR_PASSWORD: 'doc commands passphrase', LOG_LEVEL: 'warn', ...extra })

describe('the commands the docs show', () => {
  let server: ServerProcess
  let cliDir: string
  const redisPrefix = uniquePrefix()

  beforeAll(async () => {
    cliDir = await mkdtemp(path.join(tmpdir(), 'ecar-doc-cli-'))
    const serverDir = await mkdtemp(path.join(tmpdir(), 'ecar-doc-server-'))
    server = await spawnServer({ DATA_DIR: serverDir, LOG_LEVEL: 'warn' }, serverDir)
    await waitUntilReady(server, 60_000)
  }, 90_000)
  afterAll(async () => {
    await server?.cleanup()
    await rm(cliDir, { recursive: true, force: true })
    const redisUrl = testRedisUrl()
    if (redisUrl) await deleteRedisPrefix(redisUrl, redisPrefix)
  })

  it('runs every sh block of the README and docs/operations.md, or names why not', async () => {
    const skipped: string[] = []
    for (const block of DOCS.flatMap(shBlocks)) {
      const skip = SKIPPED.find((s) => s.pattern.test(block.script))
      if (skip) {
        skipped.push(`${block.where}: ${skip.reason}`)
        continue
      }
      const needsServer = block.script.includes('localhost:3000')
      const script = block.script.replaceAll('localhost:3000', server.baseUrl.replace('http://', ''))
      const env = baseEnv({ DATA_DIR: needsServer ? server.dataDir : cliDir })
      const run = await sh(script, env)
      expect(run.code, `${block.where}\n${block.script}\n${run.output}`).toBe(0)
      // A curl that got a problem+json answer, or a CLI error line, is a failed doc command too.
      expect(run.output, `${block.where}\n${run.output}`).not.toMatch(/"status":\s*[45]\d\d|^ecar: /m)
    }
    console.info(`doc commands skipped:\n  ${skipped.join('\n  ')}`)
    // The README's opening pair and the compose block are the only ones skipped.
    expect(skipped.length).toBeLessThanOrEqual(5)
  }, 120_000)

  it('runs the CLI commands the docs give for the Docker image with the compiled CLI the image has', async () => {
    const commands = composeCliCommands()
    expect(commands.length).toBeGreaterThanOrEqual(4)
    const redisUrl = testRedisUrl()
    for (const command of commands) {
      const needsRedis = command.args[0] === 'cache' && command.args[1] !== 'stats'
      if (needsRedis && !redisUrl) continue
      // A generous connect timeout: the test machine is shared and busy.
      const redis: Record<string, string> = redisUrl ? { REDIS_URL: redisUrl, REDIS_CONNECT_TIMEOUT_MS: '10000' } : {}
      const env = baseEnv({ DATA_DIR: cliDir, CACHE_PREFIX: redisPrefix, ...redis, ...command.env })
      const run = await sh(`node dist/cli/main.js ${command.args.join(' ')}`, env)
      expect(run.code, `${command.where}: node dist/cli/main.js ${command.args.join(' ')} (REDIS_URL ${redisUrl})\n${run.output}`).toBe(0)
    }
  }, 120_000)

  it("lists in the README's command table exactly the commands the CLI's help has", async () => {
    const help = await sh('node dist/cli/main.js help', baseEnv({ DATA_DIR: cliDir }))
    const section = help.output.slice(help.output.indexOf('Commands:'), help.output.indexOf('\n\n', help.output.indexOf('Commands:')))
    const fromHelp = [...section.matchAll(/^ {2}([a-z-]+(?: (?:stats|clear|warm))?)\s/gm)].map((m) => m[1]!).sort()
    const readme = readFileSync('README.md', 'utf8')
    const table = readme.slice(readme.indexOf('## Command line'), readme.indexOf('## Demo garage'))
    const fromReadme = [...table.matchAll(/^\| `([a-z-]+(?: (?:stats|clear|warm))?)[ `]/gm)].map((m) => m[1]!).sort()
    expect(fromHelp.length).toBeGreaterThanOrEqual(8)
    expect(fromReadme).toEqual(fromHelp)
  })
})
