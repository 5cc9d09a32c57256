import { setTimeout as sleep } from 'node:timers/promises'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'
import type { Delta } from './live-cache.ts'

const BLOCK_MS = 1000
const READ_COUNT = 2000
/** Past this many missed deltas a fresh snapshot is cheaper than the replay. */
const MAX_REPLAY = 20_000

interface StreamEntry {
  id: string
  message: Record<string, string>
}

const toDelta = (entry: StreamEntry) => JSON.parse(entry.message.m!) as Delta

/**
 * Follows one site's delta stream on its own connection (XREAD blocks it) and hands each read to
 * the listener: under load one read brings many deltas, which is the coalescing tick (stretched
 * by `pace` while the screens could not take more). A hub instance runs one per site its screens
 * watch, so every instance serves every delta of those sites. If the stream restarts (Redis lost
 * and rebuilt), `reset` tells the screens to take a fresh snapshot.
 */
export function createDeltaReader(opts: {
  reader: Redis
  redis: Redis
  stream: string
  seqKey: string
  log: Log
  /** Resolves when the next read may be delivered; deltas gather in the stream meanwhile. */
  pace?: () => Promise<void>
  /** Whether anyone listens now; with no screens a read only moves the position on. */
  wanted?: () => boolean
}) {
  const { reader, redis, stream, log } = opts
  let lastSeq = 0
  let running = true

  const currentSeq = async () => Number((await redis.get(opts.seqKey)) ?? 0)

  async function follow(listener: { deltas: (deltas: Delta[]) => void; reset: () => void }) {
    while (running) {
      try {
        const reply = (await reader.xRead({ key: stream, id: `${lastSeq}-0` }, { BLOCK: BLOCK_MS, COUNT: READ_COUNT })) as
          { messages: StreamEntry[] }[] | null
        const entries = reply?.[0]?.messages ?? []
        if (entries.length > 0 && opts.wanted?.() === false) {
          lastSeq = Number(entries.at(-1)!.id.split('-')[0])
        } else if (entries.length > 0) {
          const deltas = entries.map(toDelta)
          lastSeq = deltas.at(-1)!.seq
          listener.deltas(deltas)
          await opts.pace?.()
        } else if ((await currentSeq()) < lastSeq) {
          log.warn({ lastSeq }, 'delta stream restarted; screens take a fresh snapshot')
          lastSeq = await currentSeq()
          listener.reset()
        }
      } catch (err) {
        if (!running) return
        log.warn({ err: (err as Error).message }, 'delta stream read failed; retrying')
        await sleep(500)
      }
    }
  }

  let done: Promise<void> = Promise.resolve()

  return {
    /** Starts following the stream from its current end; resolves once that end is known. */
    async start(listener: { deltas: (deltas: Delta[]) => void; reset: () => void }) {
      lastSeq = await currentSeq()
      done = follow(listener)
    },
    /** The last seq handed to the listener. */
    get lastSeq() {
      return lastSeq
    },
    /**
     * The deltas after `after` up to `upto`, in order, or undefined when the stream does not hold
     * all of them (trimmed, restarted, or one was lost).
     */
    async range(after: number, upto: number): Promise<Delta[] | undefined> {
      if (after > upto || upto - after > MAX_REPLAY) return undefined
      if (after === upto) return []
      const first = (await redis.xRange(stream, '-', '+', { COUNT: 1 })) as StreamEntry[]
      if (first.length === 0 || Number(first[0]!.id.split('-')[0]) > after + 1) return undefined
      const entries = (await redis.xRange(stream, `${after + 1}-0`, `${upto}-0`)) as StreamEntry[]
      const deltas = entries.map(toDelta)
      // A seq missing inside the range cannot be replayed either.
      return deltas.length === upto - after ? deltas : undefined
    },
    async close() {
      running = false
      await reader.close().catch(() => undefined)
      await done
    },
  }
}

export type DeltaReader = ReturnType<typeof createDeltaReader>
