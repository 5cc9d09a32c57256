import Type, { type Static } from 'typebox'

/**
 * Sent by the hub on `wh/{site}/devices/{deviceId}/sync` (QoS 1, not retained) when it sees the
 * device come online, and at its own start for every device whose retained status is `online`:
 * the highest deviceSeq the hub holds for this device. A device resends every event it still
 * keeps (pending or, within its history window, already acknowledged) with a higher deviceSeq,
 * in order. After a database restore this brings back what the backup did not have; otherwise
 * there is nothing above the point and nothing is sent. Resent events the hub has are answered
 * `duplicate`, so a resend is always safe.
 */
export const DeviceSyncSchema = Type.Object(
  {
    /** Every event of this device up to and including this deviceSeq is settled at the hub (0: none). */
    appliedThrough: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
)

export type DeviceSync = Static<typeof DeviceSyncSchema>
