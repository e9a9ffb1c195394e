import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MODULES } from '../../src/modules/index.ts'
import type { ErrorSpec } from '../../src/platform/http/error-catalog.ts'
import { ANY_REQUEST_ERRORS, PlatformErrors } from '../../src/platform/http/platform.errors.ts'
import { PROBLEM_CODES } from '../../src/platform/http/responses.ts'
import { declaredErrors } from '../../src/platform/registry/registry-views.ts'
import { buildTestApp, type TestApp } from '../support/app.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** Every non-test source file under a folder, recursively, relative to the project root. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(rel)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.test-support.ts') ? [rel] : []
  })
}

/** Every catalogued problem: each module's of the registry, and the platform's. */
const CATALOGUED: { module: string; name: string; spec: ErrorSpec }[] = [
  ...declaredErrors(MODULES),
  ...Object.entries(PlatformErrors).map(([name, spec]) => ({ module: 'platform', name, spec })),
]
const BY_CODE = new Map<string, (typeof CATALOGUED)[number]>(CATALOGUED.map((entry) => [entry.spec.code, entry]))

/** A code wherever it is written: prose, comments, literals. */
const CODE_TOKEN = /ECAR_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*/g

/** The string literals and template heads of a file (not types), with their line. */
function literals(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true)
  const out: { line: number; text: string }[] = []
  const visit = (node: ts.Node) => {
    const inType = ts.isLiteralTypeNode(node.parent) || ts.isTemplateLiteralTypeNode(node.parent)
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) && !inType) {
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text })
    }
    ts.forEachChild(node, visit)
  }
  ts.forEachChild(source, visit)
  return out
}

describe('the error catalogues', () => {
  it('give each code to one catalogue only, across every module and the platform', () => {
    const owners = new Map<string, string[]>()
    for (const { module, name, spec } of CATALOGUED) owners.set(spec.code, [...(owners.get(spec.code) ?? []), `${module}.${name}`])
    expect(CATALOGUED.length).toBeGreaterThan(20)
    expect([...owners].filter(([, where]) => where.length > 1)).toEqual([])
  })

  it('name each problem by its code, ECAR_ERR_ and capitals, with a 4xx or 5xx status and a description', () => {
    const wrong = CATALOGUED.filter(
      ({ name, spec }) =>
        !/^ECAR_ERR_[A-Z0-9_]+$/.test(spec.code) ||
        spec.code !== `ECAR_ERR_${name}` ||
        !Number.isInteger(spec.status) ||
        spec.status < 400 ||
        spec.status > 599 ||
        spec.description.trim() === '',
    )
    expect(wrong).toEqual([])
  })

  it('are each registered: every *.errors.ts of a module is the catalogue its registry entry declares', async () => {
    const files = sourceFiles('src/modules').filter((file) => file.endsWith('.errors.ts'))
    expect(files.length).toBeGreaterThanOrEqual(3)
    for (const file of files) {
      const module = MODULES.find((m) => file.startsWith(`src/modules/${m.name}/`))
      const exports = Object.values((await import(path.join(ROOT, file))) as Record<string, unknown>)
      expect(module, file).toBeDefined()
      expect(exports.length, file).toBe(1)
      expect(exports[0], file).toBe(module!.errors)
    }
  })
})

describe('error codes in the source', () => {
  const files = sourceFiles('src')

  it('are written as literals only in *.errors.ts files: everything else raises a catalogued spec', () => {
    const found = files
      .filter((file) => !file.endsWith('.errors.ts'))
      .flatMap((file) => literals(file).filter(({ text }) => text.startsWith('ECAR_ERR_')).map(({ line, text }) => `${file}:${line} ${text}`))
    expect(files.length).toBeGreaterThan(50)
    expect(found).toEqual([])
  })

  it('are catalogued wherever prose or a comment names one', () => {
    const unknown = files.flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((text, i) => [...text.matchAll(CODE_TOKEN)].filter(([code]) => !BY_CODE.has(code)).map(([code]) => `${file}:${i + 1} ${code}`)),
    )
    expect(unknown).toEqual([])
  })

  it('are raised by modules through problem() or the platform helpers, never a hand-made AppError', () => {
    const made = files
      .filter((file) => file.startsWith('src/modules/'))
      .filter((file) => /\bnew AppError\(/.test(readFileSync(path.join(ROOT, file), 'utf8')))
    expect(made).toEqual([])
  })
})

interface Response {
  description: string
  content?: Record<string, unknown>
  [PROBLEM_CODES]?: string[]
}

describe('the served OpenAPI document', () => {
  let t: TestApp
  // code → where it is listed ("POST /api/vehicles 409", or "root")
  const listed = new Map<string, string[]>()
  const responses: { where: string; status: number; response: Response }[] = []
  let root: string[] = []

  beforeAll(async () => {
    t = await buildTestApp()
    const spec = t.app.swagger() as unknown as { paths: Record<string, Record<string, { responses: Record<string, Response> }>>; [PROBLEM_CODES]?: string[] }
    for (const [url, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const where = `${method.toUpperCase()} ${url} ${status}`
          responses.push({ where, status: Number(status), response })
          for (const code of response[PROBLEM_CODES] ?? []) listed.set(code, [...(listed.get(code) ?? []), where])
        }
      }
    }
    root = spec[PROBLEM_CODES] ?? []
    for (const code of root) listed.set(code, [...(listed.get(code) ?? []), 'root'])
  })
  afterAll(async () => t?.close())

  it('lists every catalogued code: on a route that can return it, or at the root for what any request can get', () => {
    const anyRequest = new Set(ANY_REQUEST_ERRORS.map((spec) => spec.code))
    expect(root).toEqual([...anyRequest])
    const onRoutes = (code: string) => (listed.get(code) ?? []).filter((where) => where !== 'root')
    const missing = CATALOGUED.filter(({ spec }) => (anyRequest.has(spec.code) ? !root.includes(spec.code) : onRoutes(spec.code).length === 0))
    expect(missing.map(({ spec }) => spec.code)).toEqual([])
  })

  it('lists only catalogued codes, each under its own status and named in the description', () => {
    const wrong: string[] = []
    for (const { where, status, response } of responses) {
      for (const code of response[PROBLEM_CODES] ?? []) {
        const entry = BY_CODE.get(code)
        if (!entry) wrong.push(`${where}: ${code} is not catalogued`)
        else if (entry.spec.status !== status) wrong.push(`${where}: ${code} is a ${entry.spec.status}`)
        if (!response.description.includes(`(${code})`)) wrong.push(`${where}: the description does not name ${code}`)
      }
    }
    for (const code of root) if (!BY_CODE.has(code)) wrong.push(`root: ${code} is not catalogued`)
    expect(responses.length).toBeGreaterThan(50)
    expect(wrong).toEqual([])
  })

  it('names the codes of every problem+json response', () => {
    const problems = responses.filter(({ response }) => response.content?.['application/problem+json'] !== undefined)
    expect(problems.length).toBeGreaterThan(50)
    expect(problems.filter(({ response }) => (response[PROBLEM_CODES] ?? []).length === 0).map(({ where }) => where)).toEqual([])
  })
})
