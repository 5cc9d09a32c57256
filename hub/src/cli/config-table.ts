import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { EnvSchema } from '../config.ts'
import { cliUsage } from './cli-usage.ts'

/**
 * Prints the configuration table of docs/operations.md from the env schema itself: names, types and defaults
 * from `EnvSchema`, descriptions from the doc comments above its members in config.ts. So the
 * table never drifts: run `npm run config:table` after changing a setting and paste the output
 * between the table's markers (tests/unit/config-table.test.ts checks they agree).
 */
const CONFIG_FILE = fileURLToPath(new URL('../config.ts', import.meta.url))

/** The doc comment of each member of the object literal given to `EnvSchema = Type.Object(...)`. */
function docComments(): Map<string, string> {
  const source = ts.createSourceFile(CONFIG_FILE, readFileSync(CONFIG_FILE, 'utf8'), ts.ScriptTarget.Latest, true)
  const docs = new Map<string, string>()
  const visit = (node: ts.Node) => {
    if (
      ts.isVariableDeclaration(node) &&
      node.name.getText() === 'EnvSchema' &&
      node.initializer &&
      ts.isCallExpression(node.initializer)
    ) {
      const shape = node.initializer.arguments[0]
      if (shape && ts.isObjectLiteralExpression(shape))
        for (const member of shape.properties) {
          const text = ts
            .getJSDocCommentsAndTags(member)
            .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
            .join(' ')
          if (member.name) docs.set(member.name.getText(), text.replace(/\s+/g, ' ').trim())
        }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return docs
}

interface SchemaEntry {
  type?: string
  enum?: string[]
  default?: unknown
  minimum?: number
  maximum?: number
  pattern?: string
}

function typeOf(entry: SchemaEntry): string {
  if (entry.enum) return entry.enum.map((v) => `\`${v}\``).join(' | ')
  const { minimum: min, maximum: max } = entry
  const range =
    min !== undefined && max !== undefined ? ` ${min}..${max}` : min !== undefined ? ` ≥ ${min}` : max !== undefined ? ` ≤ ${max}` : ''
  return `${entry.type ?? 'string'}${range}`
}

const cell = (text: string) => text.replaceAll('|', '\\|')

cliUsage(
  `npm run config:table
  prints the configuration table of docs/operations.md (Markdown) from hub/src/config.ts`,
  {},
)
const docs = docComments()
const required = new Set((EnvSchema as { required?: string[] }).required ?? [])
const rows = Object.entries(EnvSchema.properties as Record<string, SchemaEntry>).map(([name, entry]) => {
  const fallback = entry.default === undefined ? (required.has(name) ? 'required' : 'unset') : `\`${String(entry.default)}\``
  // HUB_INSTANCE_ID's default is computed from this machine; print its rule, not its value.
  const shown = name === 'HUB_INSTANCE_ID' ? '`{hostname}-{pid}`' : fallback
  return `| \`${name}\` | ${cell(typeOf(entry))} | ${cell(shown)} | ${cell(docs.get(name) ?? '')} |`
})
for (const name of Object.keys(EnvSchema.properties))
  if (!docs.get(name)) process.stderr.write(`config:table: ${name} has no doc comment in config.ts\n`)
process.stdout.write(['| Variable | Type | Default | What it does |', '|---|---|---|---|', ...rows].join('\n') + '\n')
