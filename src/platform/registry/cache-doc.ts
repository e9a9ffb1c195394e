import type { ModuleDefinition } from './module-definition.ts'

/** The markers in docs/caching.md between which the generated tables stand. */
export const CACHE_DOC_BEGIN = '<!-- generated from the modules\' cache declarations: npm run docs:cache -->'
export const CACHE_DOC_END = '<!-- end of generated tables -->'

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')
const code = (text: string) => `\`${text}\``

/**
 * The namespace, tag and write tables of docs/caching.md, rendered from every module's cache
 * declaration: what the writer enforces and what the documentation says are one list.
 */
export function renderCacheDoc(modules: readonly ModuleDefinition[]): string {
  const lines = [CACHE_DOC_BEGIN, '', '| namespace | kind | logical key | holds | TTL setting | tags | module |', '|---|---|---|---|---|---|---|']
  for (const module of modules) {
    for (const ns of module.cache.namespaces) {
      const tags = ns.tags.map((family) => code(family.pattern)).join(', ')
      lines.push(`| ${code(ns.name)} | ${ns.kind} | ${cell(code(ns.key))} | ${cell(ns.holds)} | ${code(ns.ttlSetting)} | ${cell(tags)} | ${module.name} |`)
    }
  }
  lines.push('', '| tag | stands for | owned by |', '|---|---|---|')
  for (const module of modules) {
    for (const family of module.cache.tags) lines.push(`| ${code(family.pattern)} | ${cell(family.description)} | ${module.name} |`)
  }
  lines.push('', '| module | write | tags it touches | note |', '|---|---|---|---|')
  for (const module of modules) {
    for (const write of module.cache.writes) {
      const touches = write.touches.length === 0 ? 'none' : write.touches.map((family) => code(family.pattern)).join(', ')
      lines.push(`| ${module.name} | ${cell(write.write)} | ${cell(touches)} | ${cell(write.note ?? '')} |`)
    }
  }
  lines.push('', CACHE_DOC_END)
  return lines.join('\n')
}

/** The document with its generated part replaced; throws when the markers are missing. */
export function withCacheDoc(document: string, modules: readonly ModuleDefinition[]): string {
  const begin = document.indexOf(CACHE_DOC_BEGIN)
  const end = document.indexOf(CACHE_DOC_END)
  if (begin === -1 || end === -1 || end < begin) throw new Error('docs/caching.md lacks the generated-tables markers')
  return document.slice(0, begin) + renderCacheDoc(modules) + document.slice(end + CACHE_DOC_END.length)
}
