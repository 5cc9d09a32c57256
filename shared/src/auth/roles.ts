/**
 * API key roles: `viewer` reads stock and watches the floor screen; `orders` also checks stock and
 * reserves, confirms and cancels orders; `admin` does everything; `metrics` only scrapes /metrics.
 * No schema library here, so the dashboard can import it without one.
 */
export const ApiRoles = ['viewer', 'orders', 'admin', 'metrics'] as const
export type ApiRole = (typeof ApiRoles)[number]

/** Whether a key of role `held` may call a route that needs `needed`. */
export function roleAllows(held: ApiRole, needed: ApiRole): boolean {
  return held === needed || held === 'admin' || (held === 'orders' && needed === 'viewer')
}
