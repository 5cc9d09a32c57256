/**
 * One field of an audited entity, as a change left it: `changed` from one value to another, `set`
 * where the state before did not record it, `deleted` with the entity, or `context`: recorded only
 * before (a change records what it touched, not the whole entity, so this is not a removal).
 */
export interface FieldChange {
  field: string
  kind: 'changed' | 'set' | 'deleted' | 'context'
  before?: string
  after?: string
}

type Flat = Map<string, string>

/** Nested objects as `a.b` paths (three levels; deeper ones and arrays as compact JSON). */
function flatten(value: unknown, into: Flat = new Map(), path = '', depth = 0): Flat {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 3) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, into, path ? `${path}.${key}` : key, depth + 1)
    // An empty object says something (no lots, no diff), so it stays.
    if (Object.keys(value).length === 0 && path) into.set(path, '{}')
  } else if (value !== undefined && value !== null) {
    into.set(path || 'value', typeof value === 'string' ? value : JSON.stringify(value))
  } else if (value === null && path) {
    into.set(path, 'none')
  }
  return into
}

const ORDER: FieldChange['kind'][] = ['changed', 'set', 'deleted', 'context']

/**
 * What an audit entry's change did, field by field, changes first: fields that kept their value
 * are left out. Written here rather than with a diff library: the states are small records, and
 * the console shows only which fields changed.
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const was = flatten(before)
  const now = flatten(after)
  const deleted = after === null || after === undefined
  const changes: FieldChange[] = []
  for (const field of new Set([...was.keys(), ...now.keys()])) {
    const [b, a] = [was.get(field), now.get(field)]
    if (b === a) continue
    if (b !== undefined && a !== undefined) changes.push({ field, kind: 'changed', before: b, after: a })
    else if (a !== undefined) changes.push({ field, kind: 'set', after: a })
    else changes.push({ field, kind: deleted ? 'deleted' : 'context', before: b! })
  }
  return changes.sort((x, y) => ORDER.indexOf(x.kind) - ORDER.indexOf(y.kind))
}
