import mqtt from 'mqtt'

/** Ceiling 2: the broker alone. QoS 1 publish -> subscribe, 4 publishers each keeping 100 in flight. */
export async function mqttQos1(brokerUrl: string, topic: string, seconds: number): Promise<number> {
  const subscriber = await mqtt.connectAsync(brokerUrl, { protocolVersion: 5, properties: { receiveMaximum: 65535 } })
  let received = 0
  subscriber.on('message', () => received++)
  await subscriber.subscribeAsync(topic, { qos: 1 })
  const publishers = await Promise.all(Array.from({ length: 4 }, () => mqtt.connectAsync(brokerUrl, { protocolVersion: 5 })))
  const payload = Buffer.alloc(300, 'x') // about the size of a scan event
  const until = performance.now() + seconds * 1000
  const t0 = performance.now()
  await Promise.all(
    publishers.map(async (p) => {
      const inFlight = new Set<Promise<unknown>>()
      while (performance.now() < until) {
        const sent: Promise<unknown> = p.publishAsync(topic, payload, { qos: 1 }).finally(() => inFlight.delete(sent))
        inFlight.add(sent)
        if (inFlight.size >= 100) await Promise.race(inFlight)
      }
      await Promise.all(inFlight)
    }),
  )
  const rate = received / ((performance.now() - t0) / 1000)
  await Promise.all([subscriber, ...publishers].map((c) => c.endAsync()))
  return Math.round(rate)
}
