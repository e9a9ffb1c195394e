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
  {
    // The config module is the one place that reads the environment; tests and tooling set it up.
    files: ['src/platform/config.ts', 'test/**', 'bench/**', '*.config.ts', 'bin/**', '.ci/**', 'src/**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
)
