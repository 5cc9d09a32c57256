import fp from 'fastify-plugin'
import { startDrainWorkers } from '../partition/drain-workers.ts'
import { createHeldRepository } from '../held/held-repository.ts'
import { createBatchApplier } from './batch-apply.ts'
import { createPartitionDrainer } from './partition-drainer.ts'
import { createDeviceActivity } from './device-activity.ts'
import { openDrainWake } from '../partition/drain-wake.ts'
import { blockLoopAt, crashAt, holdAt, poisonAt } from './fault-points.ts'

/** The apply stage: each partition's drain, run by that partition's queue worker. */
export default fp(
  async function apply(app) {
    const { config } = app
    const log = app.log.child({ module: 'worker' })
    let closing = false
    const repository = createBatchApplier(app.services.database.pool, {
      beforeCommit: crashAt(config.HUB_FAULT_POINT, 'before-commit') ?? holdAt(config.HUB_FAULT_POINT),
      afterWrites: poisonAt(config.HUB_FAULT_POISON),
    })
    const activity = createDeviceActivity(repository.touchDevices, log)
    const wake = await openDrainWake(app.services.redis, app.inbox.wakeChannel, (err) =>
      log.warn({ err: err.message }, 'redis connection error'),
    )
    const drainer = createPartitionDrainer({
      activity,
      inbox: app.inbox,
      repository,
      stock: app.services.stock,
      outcomes: app.outcomes,
      acks: app.acks,
      pendingHeld: createHeldRepository(app.services.database.pool).pendingAt,
      log,
      batchMax: config.BATCH_MAX,
      wake,
      lingerMs: config.DRAIN_LINGER_MS,
      afterCommit: crashAt(config.HUB_FAULT_POINT, 'after-commit') ?? blockLoopAt(config.HUB_FAULT_POINT),
      committed: (outcomes) => {
        const settledNow = outcomes.filter((o) => !o.settledEarlier && o.ack.status !== 'duplicate')
        app.metrics.committed(settledNow.flatMap((o) => (o.item.receivedAt ? [o.item.receivedAt] : [])))
        app.metrics.setAside(settledNow.filter((o) => o.ack.code === 'APPLY_FAILED').length)
        // A receipt counted on a PO line changes a line's progress in the console, and no HTTP change announces it.
        const receivedAt = settledNow.flatMap((o) => (o.ack.status === 'applied' && o.item.poNumber !== undefined ? [o.item.site] : []))
        for (const site of new Set(receivedAt)) app.consoleChanges.announce({ topic: 'purchase-orders', site })
        for (const { item, ack } of settledNow) {
          if (ack.status === 'applied') continue
          log.info(
            { eventId: item.event.eventId, deviceId: item.event.deviceId, type: item.event.type, code: ack.code },
            `event ${ack.status}`,
          )
        }
      },
      failed: app.metrics.drainFailed,
      closing: () => closing,
    })

    const workers = startDrainWorkers({
      redis: app.services.redis,
      prefix: config.REDIS_PREFIX,
      queues: app.partitionQueues,
      inbox: app.inbox,
      drain: drainer.drain,
      log,
    })

    app.addHook('preClose', async () => {
      closing = true
      wake.wakeAll()
      await workers.close()
      await wake.close()
      await activity.close()
    })
  },
  { name: 'apply', dependencies: ['services', 'metrics', 'partition', 'acks', 'console-changes'] },
)
