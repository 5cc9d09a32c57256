/** The kinds of device the hub registers. No schema library here, so the pages can import it without one. */
export const DeviceKinds = ['handheld', 'fixed'] as const
export type DeviceKind = (typeof DeviceKinds)[number]
