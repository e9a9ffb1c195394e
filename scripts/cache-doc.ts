// `npm run docs:cache`: rewrites the generated tables of docs/caching.md from the modules' cache declarations.
import { readFileSync, writeFileSync } from 'node:fs'
import { MODULES } from '../src/modules/index.ts'
import { withCacheDoc } from '../src/platform/registry/cache-doc.ts'

const file = new URL('../docs/caching.md', import.meta.url)
writeFileSync(file, withCacheDoc(readFileSync(file, 'utf8'), MODULES))
console.log('docs/caching.md: generated tables rewritten')
