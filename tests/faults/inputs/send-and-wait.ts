import type { Ack } from '@wh/shared'
import type { TestDevice } from '../../helpers/test-device.ts'

/**
 * Publishes each payload from `from` (an object signed unless `sign` says otherwise, a string or
 * Buffer as is) on `topicDevice`'s topic, and returns the answer each got, heard by `listener`.
 * Sent in order, each after the previous answer, so every answer is matched to its message.
 */
export async function answersTo(
  from: TestDevice,
  payloads: (object | string | Buffer)[],
  opts: { topicDevice?: string; sign?: boolean | string; listener?: TestDevice } = {},
): Promise<Ack[]> {
  const listener = opts.listener ?? from
  const out: Ack[] = []
  for (const payload of payloads) {
    const before = listener.acks.length
    await from.publish(payload, opts.topicDevice, opts.sign ?? true)
    out.push((await listener.waitFor((acks) => acks.length > before, 20_000))[before]!)
  }
  return out
}
