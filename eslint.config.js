import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'hub/migrations/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only the config loader may read the environment (docs/style.md 8); tests and scripts read their own.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read settings through hub/src/config.ts' }],
    },
  },
  {
    files: ['hub/src/config.ts', 'hub/src/process-runner.ts', 'tests/**', 'bench/**', 'devices/src/bin/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
)
