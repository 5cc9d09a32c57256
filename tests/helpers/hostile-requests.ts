/**
 * Hostile requests made from a route's OpenAPI operation: a valid-looking baseline, then one bad
 * field at a time (so the refusal must name exactly that field), then whole-request abuse.
 */

export interface JsonSchema {
  type?: string | string[]
  enum?: unknown[]
  anyOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  pattern?: string
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  minProperties?: number
  default?: unknown
  example?: unknown
  nullable?: boolean
}

interface Parameter {
  in: 'path' | 'query' | 'header'
  name: string
  required?: boolean
  schema: JsonSchema
}

export interface Operation {
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: JsonSchema }> }
}

export interface HostileRequest {
  name: string
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
  /** The one field the refusal must name (`/body/lines/0/qty`), when one field was spoiled. */
  field?: string
}

/** Members that name things: a padded or malformed one must be refused, never trimmed or looked up. */
const IDENTIFIERS = new Set(['id', 'sku', 'site', 'sites', 'poNumber', 'newPoNumber', 'removeSkus', 'location', 'after', 'idempotency-key'])

const CANDIDATES = ['P-1', 'site1', 'PO-1000', 'order-key-0001', 'a reason', '0123456789ab', '1', '00000000-0000-4000-8000-000000000000']
const typeOf = (s: JsonSchema) => [s.type ?? s.anyOf?.[0]?.type].flat()[0] ?? (s.enum ? 'enum' : 'string')
const fits = (s: JsonSchema, v: string) =>
  (!s.pattern || new RegExp(s.pattern, 'u').test(v)) && v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity)

/** A value the schema takes (not necessarily one that exists). */
export function valid(s: JsonSchema): unknown {
  if (s.anyOf) return valid(s.anyOf[0]!)
  if (s.enum) return s.enum[0]
  switch (typeOf(s)) {
    case 'integer':
    case 'number':
      return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? Infinity)
    case 'boolean':
      return false
    case 'array':
      return Array.from({ length: Math.max(s.minItems ?? 1, 1) }, () => valid(s.items!))
    case 'object': {
      // The required members, then optional ones until the schema's minProperties is met (a PATCH).
      const optional = Object.keys(s.properties ?? {}).filter((k) => !(s.required ?? []).includes(k))
      const keys = [...(s.required ?? []), ...optional.slice(0, Math.max(0, (s.minProperties ?? 0) - (s.required ?? []).length))]
      return Object.fromEntries(keys.map((k) => [k, valid(s.properties![k]!)]))
    }
    default:
      if (s.format === 'date-time') return '2026-01-01T00:00:00Z'
      if (s.format === 'date') return '2026-01-01'
      if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000'
      if (typeof s.example === 'string' && fits(s, s.example)) return s.example
      return CANDIDATES.find((c) => fits(s, c)) ?? 'x'.repeat(Math.max(s.minLength ?? 1, 1))
  }
}

/** Bad values of a member in a JSON body, each written as raw JSON (so 1e309 reaches the parser). */
function badJson(name: string, s: JsonSchema): [string, string][] {
  const type = typeOf(s)
  const nullable = s.nullable || s.anyOf?.some((a) => a.type === 'null' || a.nullable)
  const bad: [string, string][] = nullable ? [] : [['null', 'null']]
  if (s.enum) bad.push(['not a choice', '"no-such-choice"'])
  if (type === 'integer' || type === 'number') {
    bad.push(
      ['a string', '"12"'],
      ['a fraction', '1.5'],
      ['1e309', '1e309'],
      ['2**63', '9223372036854775808'],
      ['-2**63', '-9223372036854775809'],
    )
    if ((s.minimum ?? -Infinity) >= 0) bad.push(['negative', '-1'])
  }
  if (type === 'boolean') bad.push(['a string', '"true"'], ['a number', '1'])
  if (type === 'string' && !s.enum) {
    bad.push(['a number', '12'], ['an object', '{}'])
    if (s.maxLength) bad.push(['too long', JSON.stringify('x'.repeat(s.maxLength + 1))])
    if (IDENTIFIERS.has(name)) {
      const v = String(valid(s))
      bad.push(
        ['padded left', JSON.stringify(` ${v}`)],
        ['padded right', JSON.stringify(`${v} `)],
        ['a control character', JSON.stringify(`${v}\u0000`)],
      )
    }
  }
  if (type === 'array') bad.push(['an object', '{}'], ...(s.minItems === 0 ? [] : [['empty', '[]'] as [string, string]]))
  if (type === 'object') bad.push(['an array', '[]'])
  return bad
}

/** Bad values of a member in a query string or path, as the characters sent. */
function badText(name: string, s: JsonSchema): string[] {
  const type = typeOf(s)
  if (type === 'integer' || type === 'number')
    return [
      'abc',
      ' 12',
      '12 ',
      '012',
      '1.5',
      '1e3',
      '0x10',
      'NaN',
      'Infinity',
      '-Infinity',
      '9223372036854775808',
      '1e309',
      '',
      '-1',
      '0',
    ].filter((v) => !(v === '0' && (s.minimum ?? 0) < 1) && !(v === '-1' && (s.minimum ?? -1) < 0) && !(v === '012' && type === 'number'))
  if (type === 'boolean') return ['yes', '1', 'TRUE', '']
  const bad = s.enum ? ['no-such-choice'] : []
  if (s.maxLength) bad.push('x'.repeat(s.maxLength + 1))
  if (s.pattern || s.format || IDENTIFIERS.has(name)) {
    const v = String(valid(s))
    bad.push(` ${v}`, `${v} `, `${v}\u0000`, '')
  }
  return bad
}

const pointer = (keys: (string | number)[]) => keys.map((k) => `/${k}`).join('')

/** Every hostile request for one route. */
export function hostileRequests(method: string, path: string, op: Operation, headers: Record<string, string>): HostileRequest[] {
  const params = op.parameters ?? []
  const base = (where: Parameter['in']) =>
    Object.fromEntries(params.filter((p) => p.in === where && p.required).map((p) => [p.name, String(valid(p.schema))]))
  const [pathValues, query, headerValues] = [base('path'), base('query'), base('header')]
  const bodySchema = op.requestBody?.content['application/json']?.schema
  const body = bodySchema ? (valid(bodySchema) as Record<string, unknown>) : undefined
  const make = (
    name: string,
    parts: { path?: object; query?: object; rawQuery?: string; headers?: object; payload?: string; type?: string },
    field?: string,
  ) => {
    const url = path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent({ ...pathValues, ...parts.path }[k] as string))
    const qs = new URLSearchParams({ ...query, ...parts.query } as Record<string, string>).toString()
    const search = [qs, parts.rawQuery].filter(Boolean).join('&')
    const payload = parts.payload ?? (body ? JSON.stringify(body) : undefined)
    const type: Record<string, string> = payload === undefined ? {} : { 'content-type': parts.type ?? 'application/json' }
    return {
      name,
      method,
      url: search ? `${url}?${search}` : url,
      headers: { ...headers, ...headerValues, ...type, ...parts.headers },
      payload,
      field,
    }
  }
  const out: HostileRequest[] = []
  for (const p of params) {
    for (const v of p.in === 'header' ? badText(p.name, p.schema).filter((h) => !/[\0\s]$|^\s/.test(h)) : badText(p.name, p.schema)) {
      const part =
        p.in === 'path' ? { path: { [p.name]: v } } : p.in === 'query' ? { query: { [p.name]: v } } : { headers: { [p.name]: v } }
      // An empty path segment matches no route: a 404, with no field to name.
      const field =
        p.in === 'path' && v === '' ? undefined : `/${p.in === 'query' ? 'query' : p.in === 'path' ? 'params' : 'headers'}/${p.name}`
      out.push(make(`${p.in} ${p.name}=${JSON.stringify(v)}`, part, field))
    }
  }
  out.push(make('an unknown query member', { rawQuery: 'unknownMember=1' }, '/query/unknownMember'))
  const repeated = params.find((p) => p.in === 'query' && typeOf(p.schema) === 'integer')
  if (repeated)
    out.push(make(`query ${repeated.name} twice`, { rawQuery: `${repeated.name}=1&${repeated.name}=2` }, `/query/${repeated.name}`))
  if (bodySchema && body) {
    // One bad member at a time: each top-level member, and each member of a top-level array's first item.
    const spoil = (keys: (string | number)[], raw: string) => {
      const marker = '"__spoiled__"'
      const copy = structuredClone(body) as Record<string | number, unknown>
      let at = copy
      for (const k of keys.slice(0, -1)) at = at[k] as Record<string | number, unknown>
      at[keys.at(-1)!] = '__spoiled__'
      return JSON.stringify(copy).replace(marker, raw)
    }
    const walk = (schema: JsonSchema, keys: (string | number)[]) => {
      for (const [name, member] of Object.entries(schema.properties ?? {})) {
        const at = [...keys, name]
        for (const [what, raw] of badJson(name, member))
          out.push(make(`body ${pointer(at)} ${what}`, { payload: spoil(at, raw) }, `/body${pointer(at)}`))
        const item = member.items
        if (keys.length > 0 || !item || !body[name]) continue
        if (typeOf(item) === 'object') walk(item, [name, 0])
        else
          for (const [what, raw] of badJson(name, item))
            out.push(make(`body ${pointer([...at, 0])} ${what}`, { payload: spoil([...at, 0], raw) }, `/body${pointer([...at, 0])}`))
      }
      out.push(
        make(
          `body ${pointer(keys) || '/'} with an unknown member`,
          { payload: spoil([...keys, 'unknownMember'], '1') },
          `/body${pointer([...keys, 'unknownMember'])}`,
        ),
      )
    }
    walk(bodySchema, [])
    for (const [what, payload] of [
      ['truncated JSON', '{"a":'],
      ['an empty body', ''],
      ['a JSON array', '[]'],
      ['JSON null', 'null'],
      ['a JSON string', '"x"'],
      ['a __proto__ key', '{"__proto__":{"polluted":true}}'],
      ['a constructor.prototype key', '{"constructor":{"prototype":{"polluted":true}}}'],
      ['a huge number', '1e309'],
    ])
      out.push(make(`body ${what}`, { payload }))
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'])
      out.push(make(`body as ${type}`, { type }))
  }
  return out
}
