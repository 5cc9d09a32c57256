import fp from 'fastify-plugin'
import type { VoidResult } from '@wh/shared'
import { createLedgerHistory, type LedgerHistory } from './ledger-history.ts'
import { createMovementVoider } from './movement-void.ts'
import { createOfficeAdjustments, type OfficeAdjustments } from './office-adjustments.ts'

declare module 'fastify' {
  interface FastifyInstance {
    ledger: LedgerHistory & {
      /** Voids a movement (a whole move), then updates the cache and the floor screens. */
      voidMovement: (movementId: number, reason: string, actor: string) => Promise<VoidResult>
      /** An office adjustment, applied through the partitions as a scan is; answers its outcome. */
      adjust: OfficeAdjustments
    }
  }
}

/** The ledger for supervisors: history, stock as of a time, lots, voids and office adjustments. */
export default fp(
  async function ledger(app) {
    const { pool } = app.services.database
    const voider = createMovementVoider(pool)
    async function voidMovement(movementId: number, reason: string, actor: string) {
      const { result, changed } = await voider(movementId, reason, actor)
      // The void stands if Redis is away; reconciliation's cache check brings the cache back to it.
      await app.services.stock.levels(changed).catch((err: Error) => app.log.warn({ err: err.message, movementId }, 'void not published'))
      app.log.info({ movementId, actor, voided: result.voided }, 'movement voided')
      return result
    }
    const adjust = createOfficeAdjustments({
      pool,
      catalog: app.catalog,
      inbox: app.inbox,
      queues: app.partitionQueues,
      partitions: app.config.PARTITIONS,
    })
    app.decorate('ledger', { ...createLedgerHistory(pool), voidMovement, adjust })
  },
  { name: 'ledger', dependencies: ['services', 'catalog', 'partition'] },
)
