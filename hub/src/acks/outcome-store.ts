import type { Ack } from '@wh/shared'
import type { Redis } from '../redis/redis-client.ts'

export interface Outcome {
  hash: string
  ack: Ack
}

/**
 * The final answer given to each finished event, so ingest can answer a resend at once. A cache
 * only: when it has expired or was lost, the ledger's unique event_id still catches the resend.
 */
export function createOutcomeStore(redis: Redis, prefix: string, ttlSeconds: number) {
  const key = (eventId: string) => `${prefix}:done:${eventId}`
  return {
    async get(eventId: string): Promise<Outcome | undefined> {
      const raw = await redis.get(key(eventId))
      return raw ? (JSON.parse(raw) as Outcome) : undefined
    },
    async getMany(eventIds: readonly string[]): Promise<(Outcome | undefined)[]> {
      const raws = await redis.mGet(eventIds.map(key))
      return raws.map((raw) => (raw ? (JSON.parse(raw) as Outcome) : undefined))
    },
    async putMany(outcomes: Outcome[]): Promise<void> {
      if (outcomes.length === 0) return
      const multi = redis.multi()
      for (const o of outcomes) multi.set(key(o.ack.eventId!), JSON.stringify(o), { EX: ttlSeconds })
      await multi.exec()
    },
  }
}

export type OutcomeStore = ReturnType<typeof createOutcomeStore>
