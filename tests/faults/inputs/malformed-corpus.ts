import fc from 'fast-check'
import type { ScanEvent } from '@wh/shared'
import { withSignature } from '@wh/shared/signing'

/** One bad message: the exact bytes sent, and a name for a failure message. */
export interface BadPayload {
  name: string
  body: string | Buffer
}

type Fields = Record<string, unknown>

/** Messages that are not a JSON object a scan event could be, written out by hand. */
const RAW: [string, string | Buffer][] = [
  ['empty', ''],
  ['a space', ' '],
  ['a newline', '\n'],
  ['an open brace', '{'],
  ['a close brace', '}'],
  ['an open bracket', '['],
  ['an empty array', '[]'],
  ['null', 'null'],
  ['true', 'true'],
  ['false', 'false'],
  ['zero', '0'],
  ['minus one', '-1'],
  ['1e309', '1e309'],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  ['-Infinity', '-Infinity'],
  ['a bare string', '"hello"'],
  ['undefined', 'undefined'],
  ['an empty object', '{}'],
  ['single quotes', "{'eventId': 'x'}"],
  ['a trailing comma', '{"eventId": "x",}'],
  ['a missing value', '{"eventId":}'],
  ['a missing colon', '{"eventId" "x"}'],
  ['an unquoted key', '{eventId: "x"}'],
  ['a comment', '{"qty": 1 /* one */}'],
  ['NaN as qty', '{"qty": NaN}'],
  ['Infinity as qty', '{"qty": Infinity}'],
  ['1e309 as qty', '{"qty": 1e309}'],
  ['-1e309 as qty', '{"qty": -1e309}'],
  ['a hex number', '{"qty": 0x10}'],
  ['a leading zero', '{"qty": 012}'],
  ['a plus sign', '{"qty": +1}'],
  ['a NUL byte', '\u0000'],
  ['a NUL in JSON', '{"eventId": "a\u0000b"}'],
  ['a byte-order mark', '\ufeff{}'],
  ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0xfd, 0x7b, 0x7d])],
  ['UTF-16', Buffer.from('{"qty":1}', 'utf16le')],
  ['deep nesting', '['.repeat(100_000) + ']'.repeat(100_000)],
  ['deep object nesting', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
  ['a long number', '9'.repeat(5000)],
  ['a __proto__ key', '{"__proto__": {"polluted": true}}'],
  ['a constructor key', '{"constructor": {"prototype": {"polluted": true}}}'],
  ['two objects', '{}{}'],
  ['an object and garbage', '{"qty":1} trailing'],
  ['a lone surrogate', '{"barcode": "\\ud800"}'],
  ['an array of events', '[{"eventId":"x"},{"eventId":"y"}]'],
  ['a string of JSON', JSON.stringify(JSON.stringify({ qty: 1 }))],
  ['control characters', '\u0001\u0002\u0003'],
  ['binary', Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])],
  ['XML', '<event><qty>1</qty></event>'],
]

/** Values each field must refuse, beside the wrong types every field refuses. */
const WRONG_TYPES: unknown[] = [null, true, [], {}, [1], { a: 1 }]
const BAD_STRING: unknown[] = [...WRONG_TYPES, 0, 1.5, '', ' '.repeat(300)]
const BAD_NUMBER: unknown[] = [...WRONG_TYPES, '1', 1.5, 1e308, -1e308, 2 ** 53, '']
const BY_FIELD: Record<string, unknown[]> = {
  eventId: [...BAD_STRING, 'not-a-uuid', '00000000-0000-0000-0000-00000000000g'],
  deviceId: [...BAD_STRING, 'D-1/+', 'D-1#'],
  deviceSeq: [...BAD_NUMBER, 0, -1],
  type: [...BAD_STRING, 'steal', 'RECEIVE'],
  barcode: [...BAD_STRING, 'x'.repeat(257)],
  location: [...BAD_STRING, 'A/+/#', 'L 1'],
  toLocation: [...BAD_STRING, '../L-1', 'L-1\n'],
  qty: [...BAD_NUMBER, 1_000_001, -1_000_001],
  orderId: [...BAD_STRING, 'o/1', 'o 1'],
  poNumber: [...BAD_STRING, 'PO#1', 'PO 1'],
  lot: [...BAD_STRING, 'x'.repeat(21), 'L\u200b1'],
  expiry: [...BAD_STRING, '2027-1-1', '27-01-01'],
  reason: [...BAD_STRING, 'x'.repeat(201), 'a\u202eb'],
  scannedAt: [...BAD_STRING, 'yesterday', '2027-13-45T99:99:99Z'],
}

/**

 * The hand-written bad messages (over 200): the raw ones above, and a valid scan event from `device` with
 * one field spoiled at a time (signed after spoiling, so the schema, not the signature, refuses
 * it), plus events missing each required field or carrying an unknown one.
 */
export function handWritten(next: () => ScanEvent, secret: string): BadPayload[] {
  const out: BadPayload[] = RAW.map(([name, body]) => ({ name: `raw: ${name}`, body }))
  const signed = (e: Fields) => JSON.stringify(withSignature(e, secret))
  for (const [field, values] of Object.entries(BY_FIELD))
    for (const value of values)
      out.push({ name: `${field} = ${JSON.stringify(value)?.slice(0, 40)}`, body: signed({ ...next(), [field]: value }) })
  for (const field of ['eventId', 'deviceId', 'deviceSeq', 'type', 'barcode', 'location'])
    out.push({ name: `no ${field}`, body: signed(Object.fromEntries(Object.entries(next()).filter(([k]) => k !== field))) })
  for (const extra of ['price', 'admin', '__proto__', 'constructor', 'toString'])
    out.push({ name: `extra ${extra}`, body: signed({ ...next(), [extra]: 1 }) })
  out.push({ name: 'signature of another secret', body: JSON.stringify(withSignature(next(), 'not the secret')) })
  out.push({ name: 'signature not hex', body: JSON.stringify({ ...next(), signature: 'z'.repeat(64) }) })
  return out
}

const fieldNames = Object.keys(BY_FIELD)
/** A value of the wrong kind for `field`: strings for numbers, numbers for strings, and the rest. */
const wrongFor = (field: string) =>
  fc.oneof(
    fc.constantFrom(...WRONG_TYPES),
    fc.array(fc.anything({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.anything({ maxDepth: 1 }), { minKeys: 1, maxKeys: 3 }),
    field === 'deviceSeq' || field === 'qty'
      ? fc.oneof(fc.string(), fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }))
      : fc.oneof(fc.integer(), fc.double(), fc.string({ minLength: 300, maxLength: 400 })),
  )

/**
 * `count` distinct generated bad messages (seeded): a signed event with a field of the wrong kind;
 * its JSON text cut short or with a character put in (after signing, so even text that still
 * parses fails the signature); NaN or ±1e309 written in for a number; or any JSON value at all
 * that is not an event.
 */
export function generated(seed: number, count: number, next: () => ScanEvent, secret: string): BadPayload[] {
  const arb = fc.oneof(
    fc.tuple(fc.constantFrom(...fieldNames), fc.nat()).chain(([field]) =>
      wrongFor(field).map((value) => ({
        name: `generated ${field}`,
        body: JSON.stringify(withSignature({ ...next(), [field]: value }, secret)),
      })),
    ),
    fc.double({ min: 0, max: 0.999, noNaN: true }).map((cut) => {
      const text = JSON.stringify(withSignature(next(), secret))
      return { name: 'generated truncation', body: text.slice(0, Math.floor(cut * text.length)) }
    }),
    fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...'{}[]":,\\x0-')).map(([at, char]) => {
      const text = JSON.stringify(withSignature(next(), secret))
      const i = Math.floor(at * text.length)
      return { name: 'generated insertion', body: text.slice(0, i) + char + text.slice(i) }
    }),
    fc.constantFrom('NaN', '1e309', '-1e309', 'Infinity', '1.5', '"7"').map((n) => ({
      name: `generated qty ${n}`,
      body: JSON.stringify(withSignature({ ...next(), qty: 7 }, secret)).replace('"qty":7', `"qty":${n}`),
    })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => ({ name: 'generated JSON value', body: JSON.stringify(v) ?? 'null' })),
  )
  const seen = new Set<string>()
  const out: BadPayload[] = []
  for (const candidate of fc.sample(arb, { seed, numRuns: count * 3 })) {
    const key = candidate.body.toString()
    if (seen.has(key)) continue
    seen.add(key)
    out.push(candidate)
    if (out.length === count) break
  }
  return out
}
