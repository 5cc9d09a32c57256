import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const STOCK_TABLES = '(stock_movements|stock_levels|stock_changes|lots|lot_movements|audit_log)'
const STOCK_WRITE_SQL = `/(INSERT\\s+(IGNORE\\s+)?INTO|REPLACE\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+\`?${STOCK_TABLES}\\b/i`
const stockWriteRules = [
  ...['Literal[value', 'TemplateElement[value.raw'].map((node) => ({
    selector: `${node}=${STOCK_WRITE_SQL}]`,
    message: 'only hub/src/stock/ writes stock_movements, stock_levels, stock_changes, lots, lot_movements and audit_log',
  })),
  {
    selector:
      'CallExpression[callee.property.name=/^(insert|update|delete)$/][arguments.0.name=/^(stockMovements|stockLevels|stockChanges|lots|lotMovements|auditLog)$/]',
    message: 'only hub/src/stock/ writes stock_movements, stock_levels, stock_changes, lots, lot_movements and audit_log',
  },
  {
    selector: "CallExpression[callee.object.property.name='liveCache'][callee.property.name='publish']",
    message: 'publish stock changes through the stock core (app.stock.levels)',
  },
]

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
  // The stock core is the only writer of the ledger, levels, lots and audit log, and the only
  // publisher of stock changes (docs/architecture.md, "The stock core").
  {
    files: ['hub/src/**/*.ts'],
    ignores: ['hub/src/stock/**'],
    rules: {
      'no-restricted-syntax': ['error', ...stockWriteRules],
    },
  },
  {
    files: ['hub/src/config.ts', 'hub/src/process-runner.ts', 'tests/**', 'bench/**', 'devices/src/bin/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
)
