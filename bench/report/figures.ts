export interface Figure {
  key: string
  label: string
  unit: string
  median: number
  min: number
  max: number
  /** The comparison a target is stated in, e.g. hub ÷ naive pipeline. */
  ratios?: { against: string; value: number; target?: number }[]
  target?: { text: string; met: boolean }
}

export const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return { median: s[Math.floor(s.length / 2)] ?? 0, min: s[0] ?? 0, max: s.at(-1) ?? 0 }
}
const round2 = (x: number) => Math.round(x * 100) / 100

/** The reconciliation stage's figures (none when the stage did not run). */
export function summarizeReconciliation(runs: Record<string, number[]>): Figure[] {
  if (!runs.reconcileFull?.length) return []
  const full = stats(runs.reconcileFull)
  const incremental = stats(runs.reconcileIncremental ?? [])
  return [
    {
      key: 'reconcileFull',
      label: 'reconciliation: full run, 1M stock levels / 10M ledger rows',
      unit: 's',
      ...full,
      target: { text: '<= 30 s over 1,000,000 stock rows / 10,000,000 ledger rows', met: full.median <= 30 },
    },
    {
      key: 'reconcileIncremental',
      label: 'reconciliation: incremental, 1,000 touched products',
      unit: 'ms',
      ...incremental,
      target: { text: 'incremental over 1,000 touched products <= 100 ms', met: incremental.median <= 100 },
    },
    ...(runs.reconcileSeed?.length
      ? [{ key: 'reconcileSeed', label: 'reconciliation: seeding its data set', unit: 's', ...stats(runs.reconcileSeed) }]
      : []),
  ]
}

/** The ordering site's figures, (g) closed and open loop and (h), against the targets (none when not run). */
export function summarizeOrdering(runs: Record<string, number[]>): Figure[] {
  if (!runs.checkRate?.length) return []
  const f = (key: string) => stats(runs[key] ?? [])
  const [checkRate, checkOpenP99, reserveRate] = [f('checkRate'), f('checkOpenP99'), f('reserveRate')]
  return [
    {
      key: 'checkRate',
      label: 'ordering (g) stock checks, closed loop',
      unit: 'req/s',
      ...checkRate,
      target: { text: '>= 5,000/s', met: checkRate.median >= 5000 },
    },
    { key: 'checkP50', label: 'ordering (g) closed loop p50', unit: 'ms', ...f('checkP50') },
    { key: 'checkP99', label: 'ordering (g) closed loop p99', unit: 'ms', ...f('checkP99') },
    { key: 'checkOpenRate', label: 'ordering (g) 2,000/s offered: answered', unit: 'req/s', ...f('checkOpenRate') },
    { key: 'checkOpenP50', label: 'ordering (g) 2,000/s offered: p50', unit: 'ms', ...f('checkOpenP50') },
    {
      key: 'checkOpenP99',
      label: 'ordering (g) 2,000/s offered: p99',
      unit: 'ms',
      ...checkOpenP99,
      target: { text: '<= 5 ms', met: checkOpenP99.median <= 5 },
    },
    {
      key: 'reserveRate',
      label: 'ordering (h) reservations, 200 buyers',
      unit: 'req/s',
      ...reserveRate,
      target: { text: '>= 2,000/s', met: reserveRate.median >= 2000 },
    },
    { key: 'reserveCreatedRate', label: 'ordering (h) of which 201 (reserved)', unit: 'req/s', ...f('reserveCreatedRate') },
    { key: 'reserveP50', label: 'ordering (h) reservation p50', unit: 'ms', ...f('reserveP50') },
    { key: 'reserveP99', label: 'ordering (h) reservation p99', unit: 'ms', ...f('reserveP99') },
  ]
}

/** The webhook fan-out's figures (none when not run): 1,000 changes/s to 10 endpoints, keeping up. */
export function summarizeWebhooks(runs: Record<string, number[]>): Figure[] {
  if (!runs.webhookChanges?.length) return []
  const f = (key: string) => stats(runs[key] ?? [])
  const keeps = f('webhookKeepsUp')
  return [
    { key: 'webhookChanges', label: 'webhooks: stock changes', unit: 'changes/s', ...f('webhookChanges') },
    { key: 'webhookMessages', label: 'webhooks: delivered, 10 endpoints', unit: 'msg/s', ...f('webhookMessages') },
    { key: 'webhookItems', label: 'webhooks: SKU figures delivered', unit: 'items/s', ...f('webhookItems') },
    { key: 'webhookLagP50', label: 'webhooks: scan -> endpoint p50', unit: 'ms', ...f('webhookLagP50') },
    { key: 'webhookLagP99', label: 'webhooks: scan -> endpoint p99', unit: 'ms', ...f('webhookLagP99') },
    { key: 'webhookBacklogGrowth', label: 'webhooks: pending messages, growth', unit: 'msg', ...f('webhookBacklogGrowth') },
    {
      key: 'webhookCaughtUp',
      label: 'webhooks: caught up after the last change (-1: not)',
      unit: 's',
      ...f('webhookCaughtUp'),
      target: { text: 'keeps up: backlog not growing, caught up <= 5 s', met: keeps.min === 1 },
    },
  ]
}

/** Median, min and max of each measured figure, with the ratios and targets of the bench issue. */
export function summarize(runs: Record<string, number[]>): Figure[] {
  const f = (key: string) => stats(runs[key] ?? [])
  const [mysql, mqtt, naive, hub, p50, p99, hot] = ['mysql', 'mqtt', 'naive', 'hub', 'latencyP50', 'latencyP99', 'hot'].map(
    f,
  ) as ReturnType<typeof stats>[]
  const [screenP50, screenP99, fanoutMessages, fanoutP99, fanoutRss, pageFps, pageFrameP99] = [
    'screenP50',
    'screenP99',
    'fanoutMessages',
    'fanoutP99',
    'fanoutRss',
    'pageFps',
    'pageFrameP99',
  ].map(f) as ReturnType<typeof stats>[]
  const hubVsNaive = round2(hub!.median / naive!.median)
  const hotVsHub = round2(hot!.median / hub!.median)
  return [
    { key: 'mysql', label: 'ceiling: MySQL 1 tx/event, 32 conns', unit: 'tx/s', ...mysql! },
    { key: 'mqtt', label: 'ceiling: Mosquitto QoS 1', unit: 'msg/s', ...mqtt! },
    { key: 'naive', label: 'ceiling: naive pipeline', unit: 'events/s', ...naive! },
    { key: 'floorMqttP50', label: 'floor: MQTT there and back p50', unit: 'ms', ...f('floorMqttP50') },
    { key: 'floorMqttP99', label: 'floor: MQTT there and back p99', unit: 'ms', ...f('floorMqttP99') },
    { key: 'floorDbP50', label: 'floor: durable transaction p50', unit: 'ms', ...f('floorDbP50') },
    { key: 'floorDbP99', label: 'floor: durable transaction p99', unit: 'ms', ...f('floorDbP99') },
    { key: 'hopPaced', label: 'floor: process round trip CPU, 1 ms apart', unit: 'us', ...f('hopPaced') },
    { key: 'hopBackToBack', label: 'floor: process round trip CPU, back to back', unit: 'us', ...f('hopBackToBack') },
    {
      key: 'hub',
      label: 'hub (a) max sustained, durable',
      unit: 'events/s',
      ...hub!,
      ratios: [
        { against: 'naive', value: hubVsNaive, target: 3 },
        { against: 'mysql', value: round2(hub!.median / mysql!.median) },
        { against: 'mqtt', value: round2(hub!.median / mqtt!.median) },
      ],
      target: { text: '>= 10,000 events/s and >= 3x naive', met: hub!.median >= 10_000 && hubVsNaive >= 3 },
    },
    { key: 'latencyP50', label: 'hub (b) ack p50 at 1,000/s', unit: 'ms', ...p50! },
    { key: 'latencyP99', label: 'hub (b) ack p99 at 1,000/s', unit: 'ms', ...p99!, target: { text: '<= 15 ms', met: p99!.median <= 15 } },
    {
      key: 'hot',
      label: 'hub (c) hot product (20% on one SKU)',
      unit: 'events/s',
      ...hot!,
      ratios: [{ against: 'hub', value: hotVsHub, target: 0.5 }],
      target: { text: '>= 50% of (a)', met: hotVsHub >= 0.5 },
    },
    { key: 'screenP50', label: 'hub (d) scan -> screen p50 at 1,000/s', unit: 'ms', ...screenP50! },
    {
      key: 'screenP99',
      label: 'hub (d) scan -> screen p99 at 1,000/s',
      unit: 'ms',
      ...screenP99!,
      target: { text: '<= 15 ms', met: screenP99!.median <= 15 },
    },
    { key: 'fanoutMessages', label: 'hub (e) 1,000 screens: delivered', unit: 'msg/s', ...fanoutMessages! },
    { key: 'fanoutP99', label: 'hub (e) 1,000 screens: commit -> screen p99', unit: 'ms', ...fanoutP99! },
    {
      key: 'fanoutRss',
      label: 'hub (e) 1,000 screens: hub RSS',
      unit: 'MB',
      ...fanoutRss!,
      target: { text: '<= 300 MB', met: fanoutRss!.median <= 300 },
    },
    {
      key: 'pageFps',
      label: 'hub (f) page at 500 updates/s: frames',
      unit: 'frames/s',
      ...pageFps!,
      target: { text: '>= 30 frames/s', met: pageFps!.median >= 30 },
    },
    { key: 'pageFrameP99', label: 'hub (f) page at 500 updates/s: frame p99', unit: 'ms', ...pageFrameP99! },
    ...summarizeOrdering(runs),
    ...summarizeWebhooks(runs),
    ...summarizeReconciliation(runs),
  ]
}

const num = (x: number) => x.toLocaleString('en-US')

/** The terminal table: one row per figure, its spread, its ratios and whether it meets its target. */
export function renderTable(figures: Figure[]): string {
  const rows = figures.map((fig) => [
    fig.label,
    `${num(fig.median)} ${fig.unit}`,
    `${num(fig.min)}-${num(fig.max)}`,
    (fig.ratios ?? []).map((r) => `${r.value}x ${r.against}`).join(', '),
    fig.target ? `${fig.target.met ? 'MET' : 'NOT MET'} (${fig.target.text})` : '',
  ])
  const header = ['figure', 'median', 'min-max', 'ratios', 'target']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
