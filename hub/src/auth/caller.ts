import type { Role } from '@wh/shared'

/** What every caller has, whatever checked it. */
interface CallerFacts {
  /** The actor of every change the caller makes: the key's name, the person's username or the device's id. */
  name: string
  role: Role
  /** The sites the caller is limited to; null for every site. */
  sites: readonly string[] | null
  /** A key's prefix, which names it in lists and logs; people and devices have none. */
  prefix?: string
}

/**
 * Who a request comes from, once the guard checked it: a program's API key, a signed-in person,
 * or a handheld signing its requests with its device secret (`id` is then the device's id).
 */
export type Caller = (CallerFacts & { kind: 'key' | 'person'; id: number }) | (CallerFacts & { kind: 'device'; id: string })

/** Who a change is audited under, beside what the change is. */
export interface Acting {
  actor: string
}

/** The name a change is audited under: always the checked caller, never anything a body says. */
export function actorOf(request: { caller: Caller | null }): string {
  if (!request.caller) throw new Error('a change reached its handler without a checked caller')
  return request.caller.name
}
