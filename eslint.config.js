// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'drizzle/', 'bench/results/', 'bench/.work/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings through src/platform/config.ts only.' }],
    },
  },
  {
    // Modules get the narrow cache (app.dataCache: getOrSet, peek, namespaces) and invalidate through app.writer;
    // the whole cache layer is platform code's. Admin (stats, clearing) and health (cache health) are the exceptions.
    files: ['src/modules/**/*.ts'],
    ignores: ['src/modules/**/*.test.ts', 'src/modules/admin/**', 'src/modules/health/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/platform/config.ts only.' },
        { object: 'app', property: 'cache', message: 'Modules use app.dataCache (src/platform/cache/module-cache.ts) and touch tags through app.writer.' },
        { object: 'fastify', property: 'cache', message: 'Modules use app.dataCache (src/platform/cache/module-cache.ts) and touch tags through app.writer.' },
      ],
    },
  },
  // One-way imports (docs/decisions/014-module-registry.md): app, cli → flows → modules → platform → kernel.
  // A module reaches another only through that module's public index.ts; tests may reach anything.
  {
    files: ['src/kernel/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./(platform|modules|flows|cli)/|^\\.\\./(app|main|bootstrap)\\.ts$|^(node:)?(fs|net|http|https|dgram|child_process)$', message: 'src/kernel is pure: no I/O, and it imports nothing of platform, modules or flows.' }] }],
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+(modules|flows|cli)/|^(\\.\\./)+(app|main|bootstrap)\\.ts$', message: 'Platform code imports no module, flow or app code: pass what it needs in (see src/app.ts).' }] }],
    },
  },
  {
    files: ['src/modules/*/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test-support.ts', 'src/modules/*/*.table.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$)', message: "Reach another module only through its public index.ts ('../<module>/index.ts')." },
        { regex: '^\\.\\./\\.\\./(flows|cli)/|^\\.\\./\\.\\./(app|main|bootstrap)\\.ts$|^\\.\\./index\\.ts$', message: 'Modules import no flow, app code or the registry: those import modules.' },
      ] }],
    },
  },
  {
    // A table may name another module's table for a foreign key (a declared relation), and nothing else of it.
    files: ['src/modules/*/*.table.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$|[a-z-]+\\.table\\.ts$)', message: "A table imports another module's table file or its index.ts only." },
      ] }],
    },
  },
  {
    files: ['src/flows/**/*.ts', 'src/cli/**/*.ts', 'src/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { regex: '(^|/)modules/[^/]+/(?!index\\.ts$)', message: "Use a module through its public index.ts ('modules/<module>/index.ts')." },
      ] }],
    },
  },
  {
    // The config module is the one place that reads the environment; tests and tooling set it up.
    files: ['src/platform/config.ts', 'test/**', 'bench/**', '*.config.ts', 'bin/**', '.ci/**', 'src/**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
)
