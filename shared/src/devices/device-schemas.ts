import Type, { type Static } from 'typebox'
import { IdentifierSchema } from '../messages/common.ts'
import { DeviceProvisioningSchema } from './provisioning.ts'
import { DeviceKinds } from './device-kinds.ts'

export * from './device-kinds.ts'

/** The device admin API: register, rotate the signing secret, disable and enable, list. */

export const RegisterDeviceSchema = Type.Object(
  {
    id: IdentifierSchema,
    site: IdentifierSchema,
    kind: Type.Optional(Type.Enum(DeviceKinds, { default: 'handheld' })),
  },
  { additionalProperties: false, examples: [{ id: 'HH-07', site: 'dc1', kind: 'handheld' }] },
)

/** Rotate, disable, enable: nothing to say (the caller is who did it). */
export const DeviceActionSchema = Type.Object({}, { additionalProperties: false })

export const DeviceParamsSchema = Type.Object({ id: IdentifierSchema }, { additionalProperties: false })

export const DeviceQuerySchema = Type.Object({ site: Type.Optional(IdentifierSchema) }, { additionalProperties: false })

/** A device as the API shows it: never its secret, only whether it has one and when it was issued. */
export const DeviceSchema = Type.Object({
  id: Type.String(),
  site: Type.String(),
  kind: Type.Enum(DeviceKinds),
  enabled: Type.Boolean(),
  status: Type.String({ description: 'online or offline, from its retained status message' }),
  lastSeenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastDeviceSeq: Type.Integer(),
  registeredAt: Type.String({ format: 'date-time' }),
  hasSecret: Type.Boolean({ description: 'false: the device cannot publish until its secret is rotated' }),
  secretRotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

/**
 * Registration and rotation answer with the secret, this once; the hub keeps it only sealed.
 * `provisioning` is all a handheld needs to join, for the console's QR code.
 */
export const DeviceWithSecretSchema = Type.Object({
  device: DeviceSchema,
  secret: Type.String({ description: 'The signing secret. Shown only now: store it on the device.' }),
  provisioning: DeviceProvisioningSchema,
})

export const DeviceListSchema = Type.Object({ devices: Type.Array(DeviceSchema) })

export type RegisterDevice = Static<typeof RegisterDeviceSchema>
export type DeviceInfo = Static<typeof DeviceSchema>
export type DeviceWithSecret = Static<typeof DeviceWithSecretSchema>
