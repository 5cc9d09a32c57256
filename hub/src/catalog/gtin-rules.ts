import { gs1CheckDigit, hasValidCheckDigit, type FieldProblem, type ProductGtin } from '@wh/shared'
import { HubError } from '../errors.ts'

/**
 * A product's GTINs as the catalog stores them: each padded to GTIN-14 (how a scan of a GTIN-8,
 * -12 or -13 is looked up), with a right check digit, and none twice. `field` is where the list
 * sits in the request (`/body/gtins`), so a refusal names each bad entry.
 */
export function normaliseGtins(gtins: readonly ProductGtin[], field: string): ProductGtin[] {
  const problems: FieldProblem[] = []
  const seen = new Map<string, number>()
  const normalised = gtins.map(({ gtin, qty }, i) => {
    const padded = gtin.padStart(14, '0')
    const at = `${field}/${i}/gtin`
    if (!/^\d{14}$/.test(padded)) problems.push({ field: at, reason: 'is not a GTIN-8, -12, -13 or -14' })
    else if (!hasValidCheckDigit(padded))
      problems.push({ field: at, reason: `has a wrong check digit (it should end in ${gs1CheckDigit(padded.slice(0, -1))})` })
    else if (seen.has(padded)) problems.push({ field: at, reason: `is the same GTIN as ${field}/${seen.get(padded)}/gtin` })
    seen.set(padded, seen.get(padded) ?? i)
    return { gtin: padded, qty }
  })
  if (problems.length > 0) throw new HubError('VALIDATION_FAILED', problems.map((p) => `${p.field} ${p.reason}`).join('; '), problems)
  return normalised
}
