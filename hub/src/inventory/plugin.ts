import fp from 'fastify-plugin'
import { Worker } from 'bullmq'
import { DRAIN_JOB, drainDedupeId, partitionQueueName, type DrainJob } from '../partitions/partition-queues.ts'
import { createInventoryRepository } from './inventory-repository.ts'
import { createPartitionDrainer } from './partition-drainer.ts'
import { createDeviceActivity } from './device-activity.ts'
import { createCacheRebuild } from '../live/cache-rebuild.ts'
import { openDrainWake } from '../partitions/drain-wake.ts'
import { blockLoopAt, crashAt, holdAt } from './fault-points.ts'

const INBOX_SWEEP_MS = 2000

/** The workers: one per partition queue, each running one drain at a time across all instances. */
export default fp(
  async function inventoryWorkers(app) {
    const { config } = app
    const log = app.log.child({ module: 'worker' })
    let closing = false
    const repository = createInventoryRepository(app.database.pool, {
      beforeCommit: crashAt(config.HUB_FAULT_POINT, 'before-commit') ?? holdAt(config.HUB_FAULT_POINT),
    })
    const activity = createDeviceActivity(repository.touchDevices, log)
    const wake = await openDrainWake(app.redis, app.inbox.wakeChannel, (err) => log.warn({ err: err.message }, 'redis connection error'))
    const drainer = createPartitionDrainer({
      activity,
      inbox: app.inbox,
      repository,
      cache: app.liveCache,
      outcomes: app.outcomes,
      acks: app.acks,
      feed: app.floorFeed,
      pendingHeld: repository.pendingHeld,
      log,
      batchMax: config.BATCH_MAX,
      wake,
      lingerMs: config.DRAIN_LINGER_MS,
      afterCommit: crashAt(config.HUB_FAULT_POINT, 'after-commit') ?? blockLoopAt(config.HUB_FAULT_POINT),
      committed: (outcomes) => {
        const settledNow = outcomes.filter((o) => !o.settledEarlier && o.ack.status !== 'duplicate')
        app.metrics.committed(settledNow.flatMap((o) => (o.item.receivedAt ? [o.item.receivedAt] : [])))
        for (const { item, ack } of settledNow) {
          if (ack.status === 'applied') continue
          log.info(
            { eventId: item.event.eventId, deviceId: item.event.deviceId, type: item.event.type, code: ack.code },
            `event ${ack.status}`,
          )
        }
      },
      closing: () => closing,
    })

    const workers = app.partitionQueues.queues.map((queue, p) => {
      const worker = new Worker<DrainJob, void, typeof DRAIN_JOB>(
        partitionQueueName(p),
        async (job) => {
          // Released before reading, so an event pushed from now on gets a drain of its own.
          await queue.removeDeduplicationKey(drainDedupeId(job.data.partition))
          // Bounded rounds per job, so a busy partition's lock turns over; the rest gets a new drain.
          if (await drainer.drain(job.data.partition)) await app.partitionQueues.requestDrain([job.data.partition])
        },
        {
          connection: app.redis,
          prefix: `${config.REDIS_PREFIX}:bull`,
          concurrency: 1,
          // A crashed worker's drain is handed to another within ~15 s (docs/reliability.md I8).
          lockDuration: 10_000,
          stalledInterval: 5_000,
        },
      )
      worker.on('error', (err) => log.warn({ err: err.message, partition: p }, 'worker error'))
      // A drain whose worker died or blocked past its lock: it runs again, here or elsewhere (docs/reliability.md I7).
      worker.on('stalled', (jobId) => log.warn({ partition: p, jobId }, 'drain job stalled; re-run'))
      worker.on('failed', (job, err) =>
        log.error({ err: err.message, partition: p, jobId: job?.id, attempts: job?.attemptsMade }, 'drain failed'),
      )
      return worker
    })

    const ensureCacheLoaded = createCacheRebuild({ redis: app.redis, cache: app.liveCache, levels: repository.cacheLevels, log })
    const reloadCache = () => void ensureCacheLoaded().catch((err: Error) => log.warn({ err: err.message }, 'live cache reload failed'))
    reloadCache()
    // Catches inboxes whose drain request was lost (a hub that died between push and request),
    // and a cache that Redis lost.
    const sweep = setInterval(() => {
      reloadCache()
      void Promise.all(app.partitionQueues.queues.map((_, p) => app.inbox.length(p)))
        .then((lengths) => app.partitionQueues.requestDrain(lengths.flatMap((n, p) => (n > 0 ? [p] : []))))
        .catch((err) => log.warn({ err: err.message }, 'inbox sweep failed'))
    }, INBOX_SWEEP_MS)

    app.addHook('preClose', async () => {
      closing = true
      clearInterval(sweep)
      wake.wakeAll()
      await Promise.all(workers.map((w) => w.close()))
      await wake.close()
      await activity.close()
    })
  },
  { name: 'inventory-workers', dependencies: ['db', 'metrics', 'partitions', 'live', 'outcomes'] },
)
