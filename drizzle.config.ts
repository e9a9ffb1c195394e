import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  // Every module's tables and the platform's, by file name; src/modules/index.ts says which module owns each
  // (test/architecture/tables.test.ts checks the two agree).
  schema: ['./src/modules/*/*.table.ts', './src/platform/*/*.table.ts'],
  out: './drizzle',
})
