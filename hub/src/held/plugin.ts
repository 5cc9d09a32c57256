import fp from 'fastify-plugin'
import type { Acting } from '../auth/caller.ts'
import type { Ack, ApproveHeld, RejectHeld } from '@wh/shared'
import { ReasonCodes } from '@wh/shared'
import { changedStock } from '../apply/changed-stock.ts'
import { poisonAt } from '../apply/fault-points.ts'
import { createHeldRepository, type Decision, type HeldRepository } from './held-repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    held: {
      repository: HeldRepository
      approve: (id: number, input: ApproveHeld & Acting) => Promise<Decision>
      reject: (id: number, input: RejectHeld & Acting) => Promise<Decision>
    }
  }
}

/**
 * Admins' decisions on held events. After the commit, as after a batch: the live cache and the
 * floor screens of the event's site, the outcome a resend will be answered with, and an ack to
 * the device (heard if it is connected; the device already settled the event when it was held).
 */
export default fp(
  async function held(app) {
    const repository = createHeldRepository(app.services.database.pool, { afterWrites: poisonAt(app.config.HUB_FAULT_POISON) })
    const log = app.log.child({ module: 'held' })

    async function announce(decision: Decision, ack: Ack) {
      const { item } = decision
      if (decision.applied) await app.services.stock.levels(changedStock(decision.applied))
      await app.outcomes.putMany([{ hash: item.hash, ack }])
      // An import's row has no device to tell.
      if (!item.origin) app.acks.publish({ site: item.site, deviceId: item.event.deviceId }, ack, item.event.type)
      const pending = (await repository.pendingAt([item.site])).get(item.site) ?? 0
      await app.services.stock.floor({ type: 'held_event', held: [], decided: [item.event.eventId], pending }, item.site)
      log.info({ eventId: item.event.eventId, status: decision.held.status, by: decision.held.decidedBy }, 'held event decided')
      return decision
    }
    const ackOf = ({ item, onHand, available }: Decision, extra: Pick<Ack, 'status'> & Partial<Ack>): Ack => ({
      eventId: item.event.eventId,
      deviceId: item.event.deviceId,
      deviceSeq: item.event.deviceSeq,
      sku: item.sku,
      location: item.locationCode,
      onHand,
      available,
      ...extra,
    })

    app.decorate('held', {
      repository,
      async approve(id, input) {
        const decision = await repository.approve(id, input)
        return announce(decision, ackOf(decision, { status: 'applied' }))
      },
      async reject(id, input) {
        const decision = await repository.reject(id, input)
        const message = `${ReasonCodes.HELD_REJECTED}: ${input.reason}`
        return announce(decision, ackOf(decision, { status: 'rejected', code: 'HELD_REJECTED', message }))
      },
    })
  },
  { name: 'held', dependencies: ['services', 'acks'] },
)
