import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** The messages of the import-boundary rule for a file with this content at this path. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT })
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

// Each wrong arrow of docs/decisions/014-module-registry.md, as the lint run of CI would meet it.
const WRONG: [string, string, RegExp][] = [
  ['src/platform/http/example.ts', "import { users } from '../../modules/users/index.ts'", /Platform code imports no module/],
  ['src/platform/cache/example.ts', "import { MODULES } from '../../modules/index.ts'", /Platform code imports no module/],
  ['src/platform/db/example.ts', "import { seedDemoGarage } from '../../flows/demo-garage/demo-garage.ts'", /Platform code imports no module/],
  ['src/modules/vehicles/example.ts', "import { lockCustomer } from '../users/customer-accounts.repository.ts'", /only through its public index\.ts/],
  ['src/modules/customers/example.ts', "import { vehicleTag } from '../vehicles/vehicles.cache.ts'", /only through its public index\.ts/],
  ['src/modules/users/example.ts', "import { seedDemoGarage } from '../../flows/demo-garage/demo-garage.ts'", /Modules import no flow/],
  ['src/modules/users/example.ts', "import { MODULES } from '../index.ts'", /Modules import no flow/],
  ['src/modules/auth/example.table.ts', "import { findUserById } from '../users/users.repository.ts'", /table file or its index\.ts only/],
  ['src/flows/demo-garage/example.ts', "import { insertUser } from '../../modules/users/users.repository.ts'", /through its public index\.ts/],
  ['src/cli/commands/example.ts', "import { listCustomers } from '../../modules/customers/customers.repository.ts'", /through its public index\.ts/],
  ['src/kernel/example.ts', "import { AppError } from '../platform/http/errors.ts'", /src\/kernel is pure/],
  ['src/kernel/example.ts', "import { readFileSync } from 'node:fs'", /src\/kernel is pure/],
]

const RIGHT: [string, string][] = [
  ['src/modules/vehicles/example.ts', "import { lockCustomer } from '../users/index.ts'"],
  ['src/modules/vehicles/example.ts', "import { errors } from '../../platform/http/responses.ts'"],
  ['src/modules/vehicles/example.ts', "import { vehicleTag } from './vehicles.cache.ts'"],
  ['src/modules/auth/example.table.ts', "import { users } from '../users/users.table.ts'"],
  ['src/flows/demo-garage/example.ts', "import { insertUser } from '../../modules/users/index.ts'"],
  ['src/platform/cache/example.ts', "import { AppError } from '../http/errors.ts'"],
  ['src/modules/vehicles/example.test.ts', "import { lockCustomer } from '../users/customer-accounts.repository.ts'"],
]

describe('import boundaries (ESLint no-restricted-imports, as CI lints)', () => {
  it.each(WRONG)('refuses %s importing %s', async (file, code, message) => {
    const errors = await boundaryErrors(file, `${code}\nexport const x = 1\n`)
    expect(errors.length).toBe(1)
    expect(errors[0]).toMatch(message)
  })

  it.each(RIGHT)('accepts %s importing %s', async (file, code) => {
    expect(await boundaryErrors(file, `${code}\nexport const x = 1\n`)).toEqual([])
  })
})

/** Which modules each module's source files import (through index.ts, as the lint rule allows). */
function moduleGraph(): Map<string, Set<string>> {
  const modulesDir = path.join(ROOT, 'src/modules')
  const graph = new Map<string, Set<string>>()
  for (const name of readdirSync(modulesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const edges = new Set<string>()
    for (const file of readdirSync(path.join(modulesDir, name)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.test-support.ts'))) {
      const text = readFileSync(path.join(modulesDir, name, file), 'utf8')
      // Type-only imports count too: a cycle of types is still two modules that cannot be read apart.
      for (const match of text.matchAll(/from '\.\.\/([a-z-]+)\/[a-z.-]+\.ts'/g)) if (match[1] !== name) edges.add(match[1]!)
    }
    graph.set(name, edges)
  }
  return graph
}

describe('the module graph', () => {
  it('has no cycle: modules depend on each other one way only', () => {
    const graph = moduleGraph()
    const cycles: string[] = []
    const visit = (node: string, trail: string[]) => {
      if (trail.includes(node)) return void cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '))
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node])
    }
    for (const node of graph.keys()) visit(node, [])
    expect(graph.size).toBeGreaterThan(5)
    expect([...new Set(cycles)]).toEqual([])
  })
})
