import AjvCompiler from '@fastify/ajv-compiler'
import type { FastifySchemaCompiler, RouteOptions } from 'fastify'
import type { FastifyValidationResult } from 'fastify/types/schema.js'
import { emptyBodyAsObject } from './optional-body.ts'

/**
 * Requests are held to the standard scans are. Fastify's default ajv drops unknown members
 * (removeAdditional) and coerces types ('12 ' or '1e3' becomes a number, `"2"` in a JSON body a
 * qty); here nothing is dropped or coerced, and every failure is reported (allErrors), so a
 * refusal names each bad field. allErrors costs more on a hostile body; bodies are bounded by
 * HTTP_BODY_LIMIT_BYTES and the schemas' maxItems and maxLength.
 */
const compilerFor = AjvCompiler()(
  {},
  { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, useDefaults: true } },
)

/** What a string on the wire may stand for: only the canonical spelling of the value. */
const CANONICAL: Record<string, (raw: string) => unknown> = {
  integer: (raw) => (/^(?:0|-?[1-9][0-9]*)$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : raw),
  number: (raw) => (/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/.test(raw) && Number.isFinite(Number(raw)) ? Number(raw) : raw),
  boolean: (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw),
}

interface JsonSchema {
  type?: string | string[]
  anyOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
}

/** The one non-string type a member takes (a union with null counts as that type), if any. */
function wireType(schema: JsonSchema): string | undefined {
  const types = new Set([schema.type ?? [], ...(schema.anyOf ?? []).map((s) => s.type ?? [])].flat())
  types.delete('null')
  const [only] = types
  return types.size === 1 && only !== 'string' ? only : undefined
}

/**
 * Query strings and path parameters are strings on the wire. A member whose schema is an integer,
 * a number or a boolean is converted only from its canonical spelling ('12', not ' 12', '012',
 * '1e1', '0x0c' or 'Infinity'), and an integer only within the doubles' exact range; any other
 * string is left as it is, for the schema to refuse by name. Hand-written because ajv's
 * coerceTypes takes anything `+raw` reads (' 12' == 12) and has no strict mode.
 */
function canonicalParser(schema: JsonSchema): ((data: Record<string, unknown>) => void) | undefined {
  const members = Object.entries(schema.properties ?? {}).flatMap(([name, member]) => {
    const parse = CANONICAL[wireType(member) ?? '']
    return parse ? [[name, parse] as const] : []
  })
  if (members.length === 0) return undefined
  return (data) => {
    for (const [name, parse] of members) if (typeof data[name] === 'string') data[name] = parse(data[name])
  }
}

export const strictValidatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
  const validate = compilerFor(route as Parameters<typeof compilerFor>[0]) as ((data: unknown) => boolean) & { errors?: unknown }
  const parse = route.httpPart === 'querystring' || route.httpPart === 'params' ? canonicalParser(route.schema as JsonSchema) : undefined
  if (!parse) return validate as FastifyValidationResult
  const check = (data: unknown) => {
    if (data && typeof data === 'object') parse(data as Record<string, unknown>)
    const ok = validate(data)
    check.errors = validate.errors
    return ok
  }
  check.errors = validate.errors
  return check as FastifyValidationResult
}

const NOTHING = { type: 'object', properties: {}, additionalProperties: false }
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * An onRoute hook: an /api route that declares no query string takes none, and one that declares
 * no body takes none (or `{}`), so an unknown member is refused there too rather than ignored.
 */
export function closeUndeclaredInput(route: RouteOptions) {
  if (!route.url.startsWith('/api/')) return
  const schema = (route.schema ??= {})
  schema.querystring ??= NOTHING
  const methods = [route.method].flat()
  if (schema.body === undefined && methods.some((m) => WITH_BODY.has(m))) {
    schema.body = NOTHING
    route.preValidation = [emptyBodyAsObject, ...[route.preValidation ?? []].flat()]
  }
}
