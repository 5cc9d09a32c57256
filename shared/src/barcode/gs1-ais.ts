import { hasValidCheckDigit } from './check-digit.ts'
import { GS1_AIS } from './gs1-ai-table.ts'
import { parseGs1Date } from './gs1-dates.ts'

interface Component {
  charset: RegExp
  min: number
  max: number
  optional: boolean
  checkDigit: boolean
  date?: 'yymmd0' | 'yymmdd'
}

export interface AiSpec {
  title: string
  /** The format without its content checks, for messages: `N6 [N6]`. */
  format: string
  components: Component[]
  /** Shortest and longest data the AI takes; equal for a fixed-length AI. */
  min: number
  max: number
  /**
   * Predefined length: the element ends after `max` characters and no FNC1 follows it. GS1 fixes
   * this by the AI's first two digits (the GenSpecs table of predefined lengths); any other AI,
   * even one of fixed length, ends at an FNC1 (sent as GS) unless it is last.
   */
  predefined: boolean
}

/** GS1 AI encodable character set 82 (GS1 General Specifications 7.11, figure 7.11-1). */
export const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/
const CHARSETS: Record<string, RegExp> = { N: /^\d*$/, X: CSET82, Y: /^[#\-/0-9A-Z]*$/, Z: /^[A-Za-z0-9_-]*$/ }
const PREDEFINED = new Set('00 01 02 03 04 11 12 13 14 15 16 17 18 19 20 31 32 33 34 35 36 41'.split(' '))

function compile(title: string, format: string): AiSpec {
  const components = format.split(' ').map((part): Component => {
    const [, open, type, dots, size, lint] = /^(\[?)([NXYZ])(\.\.)?(\d+)\]?(?:,(\w+))?$/.exec(part)!
    const n = Number(size)
    return {
      charset: CHARSETS[type!]!,
      min: dots ? 1 : n,
      max: n,
      optional: open === '[',
      checkDigit: lint === 'csum',
      ...(lint === 'yymmd0' || lint === 'yymmdd' ? { date: lint } : {}),
    }
  })
  const required = components.filter((c) => !c.optional)
  return {
    title,
    format: format.replace(/,\w+/g, ''),
    components,
    min: required.reduce((sum, c) => sum + c.min, 0),
    max: components.reduce((sum, c) => sum + c.max, 0),
    predefined: false,
  }
}

/** Every AI of the GS1 table, ranges spelled out (`3100-3105` is six AIs). */
export const AI_TABLE: ReadonlyMap<string, AiSpec> = new Map(
  GS1_AIS.flatMap(([range, format, title]) => {
    const [first, last = first] = range.split('-') as [string, string?]
    return Array.from({ length: Number(last) - Number(first) + 1 }, (_, i) => {
      const ai = String(Number(first) + i).padStart(first.length, '0')
      return [ai, { ...compile(title, format), predefined: PREDEFINED.has(ai.slice(0, 2)) }] as const
    })
  }),
)

/** AIs are 2 to 4 digits and the GS1 table is prefix-free, so the shortest match is the AI. */
export function lookupAi(text: string, at: number): string | null {
  for (const size of [2, 3, 4]) {
    const candidate = text.slice(at, at + size)
    if (candidate.length === size && AI_TABLE.has(candidate)) return candidate
  }
  return null
}

export type ElementCheck =
  { ok: true; date?: string } | { ok: false; code: 'TRUNCATED_AI' | 'BAD_AI_VALUE' | 'BAD_CHECK_DIGIT' | 'BAD_DATE'; message: string }

/** Checks one element's data against its AI: length, character set, check digits and dates. */
export function checkElement(ai: string, value: string, today: Date): ElementCheck {
  const spec = AI_TABLE.get(ai)!
  if (spec.min === spec.max && value.length < spec.max) {
    return { ok: false, code: 'TRUNCATED_AI', message: `AI (${ai}) needs ${spec.max} characters, got ${value.length}` }
  }
  if (spec.min === spec.max && value.length > spec.max) {
    const hint = spec.predefined ? '' : ' (is the FNC1 after it missing?)'
    return { ok: false, code: 'BAD_AI_VALUE', message: `AI (${ai}) takes ${spec.max} characters, got ${value.length}${hint}` }
  }
  if (value.length < spec.min || value.length > spec.max) {
    return { ok: false, code: 'BAD_AI_VALUE', message: `AI (${ai}) takes ${spec.min} to ${spec.max} characters, got ${value.length}` }
  }
  let at = 0
  let date: string | undefined
  for (const component of spec.components) {
    if (at === value.length && component.optional) break
    const part = value.slice(at, at + component.max)
    at += part.length
    if (part.length < component.min || !component.charset.test(part)) {
      return { ok: false, code: 'BAD_AI_VALUE', message: `AI (${ai}) ${spec.title} must be ${spec.format}` }
    }
    if (component.checkDigit && !hasValidCheckDigit(part)) {
      return { ok: false, code: 'BAD_CHECK_DIGIT', message: `AI (${ai}) ${part} has a wrong check digit` }
    }
    if (component.date) {
      const parsed = component.date === 'yymmdd' && part.endsWith('00') ? null : parseGs1Date(part, today)
      if (!parsed) return { ok: false, code: 'BAD_DATE', message: `AI (${ai}) ${part} is not a date` }
      date ??= parsed
    }
  }
  if (at !== value.length) return { ok: false, code: 'BAD_AI_VALUE', message: `AI (${ai}) ${spec.title} must be ${spec.format}` }
  return date === undefined ? { ok: true } : { ok: true, date }
}
