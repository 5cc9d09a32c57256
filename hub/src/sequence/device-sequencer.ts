import { luaScript } from '../redis/lua-script.ts'
import type { Redis } from '../plugins/infra/redis.ts'

/**
 * Restores each device's order (deviceSeq) before events reach the partition inboxes: a shared
 * subscription splits one device's messages across hub instances, and a resend can overtake a
 * first send. An event whose predecessor has not been admitted yet waits here, in Redis, not in
 * a partition, so waiting never blocks other devices. All state changes are one Lua call.
 *
 * Keys: `{p}:seq:last:{device}` highest admitted seq, `{p}:seq:held:{device}` waiting events by
 * seq, `{p}:seq:arrived:{device}` when each waiting seq first arrived, `{p}:seq:waiting` devices
 * with waiting events scored by their oldest arrival, `{p}:inbox:{partition}` the partition inboxes,
 * `{p}:drain:listening:{partition}` a drain listening for its partition's events (see the inbox).
 */
const PUSH = `
local p = ARGV[1]
local pushed = {}
local function push(part, item)
  if part ~= '' then
    redis.call('RPUSH', p .. ':inbox:' .. part, item)
    pushed[#pushed + 1] = part
  end
end
local function release_from(dev, last)
  local held_key = p .. ':seq:held:' .. dev
  while true do
    local nxt = redis.call('HGET', held_key, tostring(last + 1))
    if not nxt then break end
    redis.call('HDEL', held_key, tostring(last + 1))
    redis.call('HDEL', p .. ':seq:arrived:' .. dev, tostring(last + 1))
    for entry in string.gmatch(nxt, '[^\\n]+') do
      local sep = string.find(entry, '|', 1, true)
      push(string.sub(entry, 1, sep - 1), string.sub(entry, sep + 1))
    end
    last = last + 1
  end
  return last
end
-- When the device's oldest waiting event arrived (nil when none is recorded).
local function oldest_arrival(dev)
  local oldest = nil
  for _, at in ipairs(redis.call('HVALS', p .. ':seq:arrived:' .. dev)) do
    at = tonumber(at)
    if not oldest or at < oldest then oldest = at end
  end
  return oldest
end
-- The partitions that received events and need a drain job: a listening drain is woken instead.
local function drain_requests()
  local requests, done = {}, {}
  for _, part in ipairs(pushed) do
    if not done[part] then
      done[part] = true
      if redis.call('EXISTS', p .. ':drain:listening:' .. part) == 1 then
        redis.call('PUBLISH', p .. ':drain:wake', part)
      else
        requests[#requests + 1] = part
      end
    end
  end
  return requests
end
-- The waiting index holds a device while it has events waiting, scored by its oldest arrival, so
-- no event waits longer than the gap wait from its own arrival, however many gaps precede it.
local function reindex(dev, now)
  if redis.call('HLEN', p .. ':seq:held:' .. dev) == 0 then
    redis.call('ZREM', p .. ':seq:waiting', dev)
    redis.call('DEL', p .. ':seq:arrived:' .. dev)
  else
    redis.call('ZADD', p .. ':seq:waiting', oldest_arrival(dev) or now, dev)
  end
end
`

const admitScript = luaScript(`${PUSH}
local now = tonumber(ARGV[2])
local function admit(dev, seq, part, item, floor)
  local last_key = p .. ':seq:last:' .. dev
  local known = redis.call('GET', last_key)
  local last = tonumber(known or floor)
  if not last then return 'unknown' end
  if not known then redis.call('SET', last_key, last) end
  if seq <= last then
    push(part, item)
    return 'resend'
  end
  local held_key = p .. ':seq:held:' .. dev
  if seq > last + 1 then
    -- Copies of one waiting event (a resend) are kept side by side, one per line, so each gets an ack.
    local entry = part .. '|' .. item
    local existing = redis.call('HGET', held_key, tostring(seq))
    if existing then entry = existing .. '\\n' .. entry end
    redis.call('HSET', held_key, tostring(seq), entry)
    redis.call('HSETNX', p .. ':seq:arrived:' .. dev, tostring(seq), now)
    redis.call('ZADD', p .. ':seq:waiting', 'NX', now, dev)
    return 'waiting'
  end
  push(part, item)
  redis.call('SET', last_key, release_from(dev, seq))
  reindex(dev, now)
  return 'admitted'
end
local states = {}
for i = 3, #ARGV, 5 do
  states[#states + 1] = admit(ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], ARGV[i + 3], ARGV[i + 4])
end
return {states, drain_requests()}
`)

const releaseGapsScript = luaScript(`${PUSH}
local now, wait_ms = tonumber(ARGV[2]), tonumber(ARGV[3])
local gaps = {}
local due = redis.call('ZRANGEBYSCORE', p .. ':seq:waiting', '-inf', now - wait_ms, 'LIMIT', 0, 100)
for _, dev in ipairs(due) do
  -- Skip gap after gap while the oldest event still waiting has waited its time.
  repeat
    local seqs = redis.call('HKEYS', p .. ':seq:held:' .. dev)
    if #seqs == 0 then break end
    local first = math.huge
    for _, s in ipairs(seqs) do first = math.min(first, tonumber(s)) end
    local last_key = p .. ':seq:last:' .. dev
    local last = tonumber(redis.call('GET', last_key) or (first - 1))
    if first - 1 >= last + 1 then gaps[#gaps + 1] = { dev, last + 1, first - 1 } end
    redis.call('SET', last_key, release_from(dev, first - 1))
    local oldest = oldest_arrival(dev)
  until not oldest or oldest > now - wait_ms
  reindex(dev, now)
end
return {gaps, drain_requests()}
`)

export type SequencerState = 'admitted' | 'resend' | 'waiting' | 'unknown'

export interface SequencerEntry {
  deviceId: string
  deviceSeq: number
  /** null for an event settled at ingest (rejected): only its place in the sequence counts. */
  partition: number | null
  item: string
}

export interface SequenceGap {
  deviceId: string
  from: number
  to: number
}

/**
 * @param lastSeqOf the highest deviceSeq the database has settled for a device, used when Redis
 *   holds no position for it
 */
export function createDeviceSequencer(
  redis: Redis,
  prefix: string,
  lastSeqOf: (deviceId: string) => Promise<number>,
  now: () => number = Date.now,
) {
  return {
    /**
     * Admits events into their partition inboxes once their device predecessors are in, or keeps
     * them waiting; in one call, in the order given. A `partition` of null records a seq settled
     * at ingest (rejected) so it does not hold up its successors. Returns each event's state and
     * the partitions that received events and need a drain job (a listening drain was woken).
     */
    async admit(entries: SequencerEntry[]) {
      const run = async (batch: SequencerEntry[], floors?: number[]) => {
        const args = batch.flatMap((e, i) => [e.deviceId, e.deviceSeq, e.partition ?? '', e.item, floors?.[i] ?? ''])
        return (await admitScript(redis, [], [prefix, now(), ...args])) as [SequencerState[], string[]]
      }
      const [states, requests] = await run(entries)
      // Redis has no position for some devices (first events, or Redis was lost): start from MySQL's.
      const unknown = entries.filter((_, i) => states[i] === 'unknown')
      if (unknown.length > 0) {
        const [again, requestsAgain] = await run(unknown, await Promise.all(unknown.map((e) => lastSeqOf(e.deviceId))))
        let k = 0
        states.forEach((st, i) => st === 'unknown' && (states[i] = again[k++]!))
        requests.push(...requestsAgain)
      }
      return { states, partitions: [...new Set(requests.map(Number))] }
    },

    /** Releases events that waited longer than `waitMs` for a missing predecessor (partitions as `admit`). */
    async releaseGaps(waitMs: number) {
      const [gaps, requests] = (await releaseGapsScript(redis, [], [prefix, now(), waitMs])) as [[string, number, number][], string[]]
      return {
        gaps: gaps.map(([deviceId, from, to]): SequenceGap => ({ deviceId, from, to })),
        partitions: requests.map(Number),
      }
    },
  }
}

export type DeviceSequencer = ReturnType<typeof createDeviceSequencer>
