import Type, { type TSchema } from 'typebox'
import { ErrorCodes, type ErrorCode } from './error-codes.ts'

/** Any code of the table. */
export const ErrorCodeSchema = Type.Enum(Object.keys(ErrorCodes) as ErrorCode[])

/**
 * The OpenAPI shape of a refusal (RFC 9457 problem details), with the given `code` and `details`
 * members (pass `Type.Optional(…)` for details a refusal may lack).
 */
export const ProblemOf = <C extends TSchema, D extends TSchema>(code: C, details: D) =>
  Type.Object({
    type: Type.String({ description: 'The problem type: a tag URI ending in the code' }),
    title: Type.String({ description: "The code's title in plain words" }),
    status: Type.Integer(),
    detail: Type.Optional(Type.String({ description: 'What was wrong with this request' })),
    instance: Type.Optional(Type.String({ description: 'The path the request was made to' })),
    code,
    details,
  })

/** A validation refusal's details: one per bad field (`/body/qty`, `/query/limit`, `/params/id`). */
export const FieldProblemSchema = Type.Object({ field: Type.String(), reason: Type.String() })

export const ProblemSchema = ProblemOf(
  ErrorCodeSchema,
  Type.Optional(Type.Array(Type.Union([FieldProblemSchema, Type.Object({}, { additionalProperties: true })]))),
)
