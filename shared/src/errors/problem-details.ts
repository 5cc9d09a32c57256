import { isErrorCode, type ErrorCode } from './error-codes.ts'

/** RFC 9457's media type: every refusal the hub sends has it. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** One bad field of a request that failed validation: a JSON pointer into the request and why. */
export interface FieldProblem {
  field: string
  reason: string
}

/**
 * A refusal as RFC 9457 problem details, with the table's `code` and per-item `details` as
 * extension members. `title` is the code's, `detail` this occurrence's (never a 5xx's text).
 */
export interface Problem<D = object> {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  code: ErrorCode
  details?: D[]
}

/** The problem a response carries, or undefined when its body is not one (a proxy's HTML page, say). */
export async function readProblem(response: Response): Promise<Problem | undefined> {
  if (!response.headers.get('content-type')?.startsWith(PROBLEM_CONTENT_TYPE)) return undefined
  const body: unknown = await response.json().catch(() => undefined)
  return asProblem(body)
}

/** The body as a problem when it is one with a code from the table. */
export function asProblem(body: unknown): Problem | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { code, status, title } = body as Partial<Problem>
  return isErrorCode(code) && typeof status === 'number' && typeof title === 'string' ? (body as Problem) : undefined
}
