import { describe, it, expect } from 'vitest'
import { createValidator, MAX_QTY, ScanEventSchema, type ScanEvent } from '@wh/shared'

const validate = createValidator(ScanEventSchema)

const minimal: ScanEvent = {
  eventId: '0190f1c2-7b3a-7c4d-8e5f-123456789abc',
  deviceId: 'D-1',
  deviceSeq: 1,
  type: 'pick',
  barcode: '09506000134352',
  location: 'A-01-03',
}

const full: ScanEvent = {
  ...minimal,
  eventId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  type: 'move',
  barcode: ']C10109506000134352\x1d3712',
  toLocation: 'DOCK.2',
  qty: -5,
  orderId: 'ORD-2026.11',
  poNumber: 'PO_17',
  lot: 'L42',
  expiry: '2027-12-31',
  reason: 'damaged in transit',
  scannedAt: '2026-11-21T10:00:00.123+01:00',
  signature: 'a'.repeat(64),
}

/** Asserts the event is rejected and the error names `path`; returns the error for further checks. */
function rejects(event: unknown, path: string): string {
  const result = validate(event)
  expect(result.ok, `expected rejection at ${path}`).toBe(false)
  const error = result.ok ? '' : result.error
  expect(error).toContain(path)
  return error
}

const without = (key: keyof ScanEvent) => {
  const copy: Record<string, unknown> = { ...minimal }
  delete copy[key]
  return copy
}

describe('ScanEventSchema: valid events', () => {
  it('accepts a minimal event and returns it unchanged', () => {
    expect(validate(minimal)).toEqual({ ok: true, value: minimal })
  })

  it('accepts an event with every optional field', () => {
    expect(validate(full)).toEqual({ ok: true, value: full })
  })

  it.each(['receive', 'pick', 'count', 'move', 'adjust'] as const)('accepts type %s', (type) => {
    expect(validate({ ...minimal, type }).ok).toBe(true)
  })

  it.each([0, 1, -1, MAX_QTY, -MAX_QTY])('accepts qty %i', (qty) => {
    expect(validate({ ...minimal, qty }).ok).toBe(true)
  })

  it('accepts deviceSeq up to Number.MAX_SAFE_INTEGER', () => {
    expect(validate({ ...minimal, deviceSeq: Number.MAX_SAFE_INTEGER }).ok).toBe(true)
  })

  it.each(['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.5-03:30', '2024-02-29T23:59:59Z'])('accepts scannedAt %s', (scannedAt) => {
    expect(validate({ ...minimal, scannedAt }).ok).toBe(true)
  })
})

describe('ScanEventSchema: rejections name the field', () => {
  it.each(['eventId', 'deviceId', 'deviceSeq', 'type', 'barcode', 'location'] as const)('missing %s', (key) => {
    const error = rejects(without(key), key)
    expect(error.startsWith('(root)')).toBe(true)
  })

  it('rejects extra properties', () => {
    expect(rejects({ ...minimal, sku: 'P-1' }, '(root)')).toMatch(/additional/)
    rejects({ ...full, deviceSeqX: 1 }, '(root)')
  })

  it.each([null, undefined, 'event', 42, [], [minimal]])('rejects a non-object: %j', (value) => {
    rejects(value, '(root)')
  })

  it.each<[string, Record<string, unknown>]>([
    ['/eventId', { eventId: 42 }],
    ['/deviceId', { deviceId: null }],
    ['/deviceSeq', { deviceSeq: '1' }],
    ['/type', { type: 'steal' }],
    ['/type', { type: 'PICK' }],
    ['/barcode', { barcode: 9506000134352 }],
    ['/location', { location: ['A-01'] }],
    ['/qty', { qty: '5' }],
    ['/qty', { qty: true }],
    ['/qty', { qty: null }],
    ['/scannedAt', { scannedAt: 1763719200000 }],
  ])('wrong type at %s: %j', (path, patch) => {
    rejects({ ...minimal, ...patch }, path)
  })

  it.each(['NaN', 'Infinity', '-Infinity', '1e3', '0x10', '', ' 5'])('rejects the string %j as qty', (qty) => {
    rejects({ ...minimal, qty }, '/qty')
  })

  it.each([NaN, Infinity, -Infinity, 1.5, 0.1, -2.5, 1e-9])('rejects the number %d as qty', (qty) => {
    rejects({ ...minimal, qty }, '/qty')
  })

  it.each([MAX_QTY + 1, -MAX_QTY - 1, 1e12, Number.MAX_SAFE_INTEGER])('rejects qty %d beyond ±1,000,000', (qty) => {
    rejects({ ...minimal, qty }, '/qty')
  })

  it.each([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN])('rejects deviceSeq %d', (deviceSeq) => {
    rejects({ ...minimal, deviceSeq }, '/deviceSeq')
  })

  it.each([
    'not-a-uuid',
    '',
    '0190f1c2-7b3a-7c4d-8e5f-123456789ab', // one digit short
    '0190f1c2-7b3a-7c4d-8e5f-123456789abcd', // one digit long
    '0190f1c27b3a7c4d8e5f123456789abc', // no hyphens
    '0190f1c2-7b3a-7c4d-8e5f-123456789abg', // g is not hex
    '{0190f1c2-7b3a-7c4d-8e5f-123456789abc}',
    '01ARZ3NDEKTSV4RRFFQ69G5FAU', // U is not Crockford base32
    '01ARZ3NDEKTSV4RRFFQ69G5FA', // 25 characters
    "1' OR '1'='1",
  ])('rejects eventId %j', (eventId) => {
    rejects({ ...minimal, eventId }, '/eventId')
  })

  it.each([
    'yesterday',
    '',
    '2026-11-21',
    '2026-11-21T10:00:00', // no time zone
    '2026-11-21 10:00:00Z',
    '2026-13-21T10:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-11-21T25:00:00Z',
    '2026-11-21T10:00:00Z; DROP TABLE scans',
    `2026-11-21T10:00:00.${'0'.repeat(40)}Z`, // longer than 40 characters
  ])('rejects scannedAt %j', (scannedAt) => {
    rejects({ ...minimal, scannedAt }, '/scannedAt')
  })

  it.each(['A 01', ' A-01', 'A-01 ', 'A/+', '#', '+', '', '-A', 'A\n', 'A\u200B01', 'L'.repeat(65)])('rejects location %j', (location) => {
    rejects({ ...minimal, location }, '/location')
    rejects({ ...minimal, toLocation: location }, '/toLocation')
  })

  it.each(['D 1', 'D/1', '+', '#', '', '$SYS'])('rejects deviceId %j, which would break topic levels', (deviceId) => {
    rejects({ ...minimal, deviceId }, '/deviceId')
  })

  it('rejects an empty or oversized barcode', () => {
    rejects({ ...minimal, barcode: '' }, '/barcode')
    rejects({ ...minimal, barcode: '9'.repeat(257) }, '/barcode')
    expect(validate({ ...minimal, barcode: '9'.repeat(256) }).ok).toBe(true)
  })

  it('rejects control characters and oversized free text', () => {
    rejects({ ...minimal, lot: 'L\n42' }, '/lot')
    rejects({ ...minimal, lot: 'L\x0042' }, '/lot')
    rejects({ ...minimal, lot: 'L'.repeat(21) }, '/lot')
    rejects({ ...minimal, lot: '' }, '/lot')
    rejects({ ...minimal, reason: 'r'.repeat(201) }, '/reason')
    rejects({ ...minimal, reason: 'a\tb' }, '/reason')
  })

  it('rejects malformed expiry, ids and signatures', () => {
    rejects({ ...minimal, expiry: '2027/12/31' }, '/expiry')
    rejects({ ...minimal, expiry: '271231' }, '/expiry')
    rejects({ ...minimal, orderId: 'ORD 1' }, '/orderId')
    rejects({ ...minimal, poNumber: 'PO#1' }, '/poNumber')
    rejects({ ...minimal, signature: 'A'.repeat(64) }, '/signature')
    rejects({ ...minimal, signature: 'a'.repeat(63) }, '/signature')
  })

  it('reports the error as one line "path: message"', () => {
    const error = rejects({ ...minimal, qty: 1.5 }, '/qty')
    expect(error).toMatch(/^\/qty: \S.*$/)
    expect(error).not.toContain('\n')
  })
})
