import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { getTableName, isTable } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { MODULES } from '../../src/modules/index.ts'
import { PLATFORM_TABLES } from '../../src/platform/db/platform-tables.ts'
import { ownedTables } from '../../src/platform/registry/registry-views.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** Every non-test source file under a folder, recursively, relative to the project root. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(rel)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.test-support.ts') ? [rel] : []
  })
}

/** Where each table's rows may be written: its module's folder, or the platform's for platform tables. */
function owners(): Map<string, string> {
  const map = new Map<string, string>()
  for (const { module, name } of ownedTables(MODULES)) map.set(name, `src/modules/${module}/`)
  for (const name of Object.keys(PLATFORM_TABLES)) map.set(name, 'src/platform/')
  return map
}

describe('tables and their owners', () => {
  it('gives every table of every *.table.ts file exactly one owner in the registry (or the platform)', async () => {
    const declared = new Set([...ownedTables(MODULES).map(({ table }) => getTableName(table)), ...Object.values(PLATFORM_TABLES).map(getTableName)])
    const inFiles: string[] = []
    for (const file of sourceFiles('src').filter((f) => f.endsWith('.table.ts'))) {
      const exports = (await import(path.join(ROOT, file))) as Record<string, unknown>
      for (const value of Object.values(exports)) if (isTable(value)) inFiles.push(getTableName(value))
    }
    expect(inFiles.length).toBeGreaterThan(5)
    expect(new Set(inFiles)).toEqual(declared)
    expect(ownedTables(MODULES).length + Object.keys(PLATFORM_TABLES).length).toBe(declared.size)
  })

  it('writes each table only in the files of the module that owns it', () => {
    const ownerOf = owners()
    const strays: string[] = []
    for (const file of sourceFiles('src')) {
      const text = readFileSync(path.join(ROOT, file), 'utf8')
      for (const match of text.matchAll(/\.(insert|update|delete)\((\w+)\)/g)) {
        const owner = ownerOf.get(match[2]!)
        if (owner !== undefined && !file.startsWith(owner)) strays.push(`${file}: ${match[1]}(${match[2]}) belongs to ${owner}`)
      }
    }
    expect(ownerOf.size).toBeGreaterThan(5)
    expect(strays).toEqual([])
  })
})
