import type { FastifySchemaValidationError } from 'fastify'
import type { FieldProblem } from '@wh/shared'

/** Where each part of a request is named in a field's pointer: `/body/qty`, `/query/limit`, `/params/id`. */
const PART: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' }

/** The pointer of the member an error is about: a missing or unknown member is named, not its parent. */
function fieldOf(part: string, error: FastifySchemaValidationError) {
  const params = error.params as { missingProperty?: string; additionalProperty?: string }
  const member = params.missingProperty ?? params.additionalProperty
  const path = member === undefined ? error.instancePath : `${error.instancePath}/${member.replace(/~/g, '~0').replace(/\//g, '~1')}`
  return `/${PART[part] ?? part}${path}`
}

const reasonOf = (error: FastifySchemaValidationError) =>
  error.keyword === 'additionalProperties' ? 'is not a member of this request' : (error.message ?? 'is invalid')

/**
 * One entry per bad field, from ajv's errors (all of them: the validator runs with allErrors).
 * A field that failed several rules (an anyOf's branches, say) gets one entry with each reason.
 */
export function fieldProblems(part: string, errors: readonly FastifySchemaValidationError[]): FieldProblem[] {
  const reasons = new Map<string, string[]>()
  for (const error of errors) {
    // anyOf's own error only says that its branches, reported beside it, all failed.
    if (error.keyword === 'anyOf' && errors.length > 1) continue
    const field = fieldOf(part, error)
    const list = reasons.get(field) ?? reasons.set(field, []).get(field)!
    const reason = reasonOf(error)
    if (!list.includes(reason)) list.push(reason)
  }
  return [...reasons].map(([field, list]) => ({ field, reason: list.join('; ') }))
}
