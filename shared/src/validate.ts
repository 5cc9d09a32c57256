import type { TSchema, Static } from 'typebox'
import { Compile } from 'typebox/compile'

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string }

/** Compiles a schema once and returns a checker that explains the first failure in one line. */
export function createValidator<S extends TSchema>(schema: S) {
  const compiled = Compile(schema)
  return (value: unknown): Validation<Static<S>> => {
    if (compiled.Check(value)) return { ok: true, value: value as Static<S> }
    const first = [...compiled.Errors(value)].find((e) => e.keyword !== 'boolean') ?? [...compiled.Errors(value)][0]
    const where = first?.instancePath ? first.instancePath : '(root)'
    const extra =
      first?.keyword === 'additionalProperties'
        ? ` (${(first.params as { additionalProperties: string[] }).additionalProperties.join(', ')})`
        : ''
    return { ok: false, error: `${where}: ${first?.message ?? 'invalid'}${extra}` }
  }
}
