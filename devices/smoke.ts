import { startScanner } from './src/index.ts'
const c = await startScanner({
  deviceId: 'HH-02',
  site: 'dc1',
  brokerUrl: 'mqtt://127.0.0.1:1883',
  outboxPath: '/tmp/hh02.outbox',
  ackTimeoutMs: 1000,
})
c.on('outcome', (o) => console.log('outcome', o.event.deviceSeq, o.ack.status, o.ack.code ?? '', o.ack.onHand, o.latencyMs + 'ms'))
c.on('connection', (s) => console.log('connection', s))
console.log('recovered pending', c.pending().length, c.outbox.recovery)
await c.scan({ type: 'receive', barcode: 'SKU-02M', location: 'A-03', qty: 3 })
await c.scan({ type: 'pick', barcode: '0950600000026', location: 'A-03', qty: 1 })
c.setOnline(false)
await new Promise((r) => setTimeout(r, 500))
for (let i = 0; i < 5; i++) await c.scan({ type: 'pick', barcode: 'SKU-02M', location: 'A-03', qty: 1 })
console.log('offline pending', c.pending().length)
c.setOnline(true)
await new Promise((r) => setTimeout(r, 2000))
console.log('pending after', c.pending().length)
await c.stop()
