import type { Role } from '@wh/shared'

/** Who a request comes from, once the guard checked it: a program's API key or a signed-in person. */
export interface Caller {
  kind: 'key' | 'person'
  /** The key's or the person's row id. */
  id: number
  /** The actor of every change the caller makes: the key's name or the person's username. */
  name: string
  role: Role
  /** The sites the caller is limited to; null for every site. */
  sites: readonly string[] | null
  /** A key's prefix, which names it in lists and logs; people have none. */
  prefix?: string
}

/** Who a change is audited under, beside what the change is. */
export interface Acting {
  actor: string
}

/** The name a change is audited under: always the checked caller, never anything a body says. */
export function actorOf(request: { caller: Caller | null }): string {
  if (!request.caller) throw new Error('a change reached its handler without a checked caller')
  return request.caller.name
}
