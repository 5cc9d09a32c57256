import Type, { type Static } from 'typebox'

/** Retained on `wh/{site}/devices/{deviceId}/status`: `online` as birth message, `offline` as last will. */
export const DeviceStatusSchema = Type.Union([Type.Literal('online'), Type.Literal('offline')])

export type DeviceStatus = Static<typeof DeviceStatusSchema>
