import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint()
const problems = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)
}

describe('only the stock core writes stock', () => {
  const writes = [
    "export const f = (c: { query: (s: string) => void }) => c.query('UPDATE stock_levels SET reserved = 0')",
    'export const f = (c: { query: (s: string) => void }) => c.query(`INSERT INTO stock_movements (event_id) VALUES (1)`)',
    "export const f = (c: { query: (s: string) => void }) => c.query('insert into audit_log (entity) values (1)')",
    "export const f = (c: { query: (s: string) => void }) => c.query('DELETE FROM lots WHERE id = 1')",
    "export const f = (c: { query: (s: string) => void }) => c.query('DELETE FROM stock_changes WHERE seq < 5')",
    "import { auditLog } from '../db/schema/index.ts'\nexport const f = (tx: { insert: (t: unknown) => void }) => tx.insert(auditLog)",
    'export const f = (app: { liveCache: { publish: (p: unknown[]) => void } }) => app.liveCache.publish([])',
  ]

  it('refuses a write of the ledger, levels, change log, lots or audit log outside hub/src/stock', async () => {
    for (const code of writes) expect(await problems('hub/src/orders/probe.ts', code), code).toHaveLength(1)
    // The first lint loads the project's ESLint config and TypeScript parser: seconds on a busy machine.
  }, 30_000)

  it('lets the core write them, and anyone read them', async () => {
    for (const code of writes) expect(await problems('hub/src/stock/probe.ts', code), code).toEqual([])
    const read = "export const f = (c: { query: (s: string) => void }) => c.query('SELECT on_hand FROM stock_levels FOR UPDATE')"
    expect(await problems('hub/src/orders/probe.ts', read)).toEqual([])
  })
})
