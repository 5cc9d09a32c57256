import fp from 'fastify-plugin'
import type { VoidResult } from '@wh/shared'
import { createLedgerHistory, type LedgerHistory } from './ledger-history.ts'
import { createMovementVoider } from './movement-void.ts'

declare module 'fastify' {
  interface FastifyInstance {
    ledger: LedgerHistory & {
      /** Voids a movement (a whole move), then updates the cache and the floor screens. */
      voidMovement: (movementId: number, reason: string, actor: string) => Promise<VoidResult>
    }
  }
}

/** The ledger for admins: history, stock as of a time, and voids. */
export default fp(
  async function ledger(app) {
    const voider = createMovementVoider(app.services.database.pool)
    async function voidMovement(movementId: number, reason: string, actor: string) {
      const { result, changed } = await voider(movementId, reason, actor)
      // The void stands if Redis is away; reconciliation's cache check brings the cache back to it.
      await app.services.stock.levels(changed).catch((err: Error) => app.log.warn({ err: err.message, movementId }, 'void not published'))
      app.log.info({ movementId, actor, voided: result.voided }, 'movement voided')
      return result
    }
    app.decorate('ledger', { ...createLedgerHistory(app.services.database.pool), voidMovement })
  },
  { name: 'ledger', dependencies: ['services'] },
)
