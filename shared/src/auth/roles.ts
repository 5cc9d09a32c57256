/**
 * API key roles: `viewer` reads stock and watches the floor screen; `orders` also checks stock and
 * reserves, confirms and cancels orders; `admin` does everything; `metrics` only scrapes /metrics.
 * No schema library here, so the pages can import it without one.
 */
export const ApiRoles = ['viewer', 'orders', 'admin', 'metrics'] as const
export type ApiRole = (typeof ApiRoles)[number]

/**
 * The roles of people signed in to the console: `viewer` reads; `supervisor` also works the
 * day's exceptions (held events, voids, adjustments, purchase orders, reconciliation runs);
 * `admin` also manages the catalog, devices, keys, screens and people.
 */
export const PersonRoles = ['viewer', 'supervisor', 'admin'] as const
export type PersonRole = (typeof PersonRoles)[number]

/** What a route may need, and what a caller (key or person) may hold. */
export type Role = ApiRole | PersonRole

/** Whether a caller of role `held` may call a route that needs `needed`. */
export function roleAllows(held: Role, needed: Role): boolean {
  if (held === needed || held === 'admin') return true
  if (needed === 'viewer') return held === 'orders' || held === 'supervisor'
  return false
}
