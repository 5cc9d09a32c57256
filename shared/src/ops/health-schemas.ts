import Type, { type Static, type TSchema } from 'typebox'
import { DeviceTileSchema } from '../live/live-messages.ts'
import { IdentifierSchema } from '../messages/common.ts'
import { RunSchema } from '../reconcile/reconcile-schemas.ts'

/** The hub's health as the console shows it: services, the event pipeline's backlog, devices, reconciliation. */

const Check = Type.Enum(['up', 'down', 'paused'])

export const ServiceChecksSchema = Type.Object({
  mysql: Check,
  redis: Check,
  mqtt: Check,
  /** The BullMQ queues: up unless one is paused (or Redis does not answer). */
  queues: Check,
})

export const QueueHealthSchema = Type.Object({
  name: Type.String(),
  waiting: Type.Integer(),
  active: Type.Integer(),
  delayed: Type.Integer(),
  failed: Type.Integer(),
})

export const PartitionHealthSchema = Type.Object({
  partition: Type.Integer(),
  /** Admitted events waiting in the partition's inbox for their batch. */
  waiting: Type.Integer(),
  /** How long its oldest waiting event has waited since admission; null when none waits. */
  oldestWaitingSeconds: Type.Union([Type.Number(), Type.Null()]),
})

export const HealthDetailsQuerySchema = Type.Object({ site: Type.Optional(IdentifierSchema) }, { additionalProperties: false })

/** Each part is null when its source did not answer in time (the services say which is down). */
const Unknown = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const HealthDetailsSchema = Type.Object({
  checkedAt: Type.String({ format: 'date-time' }),
  services: ServiceChecksSchema,
  partitions: Unknown(Type.Array(PartitionHealthSchema)),
  /** Every queue's jobs by state (the partitions', orders' and reconciliation's). */
  queues: Unknown(Type.Array(QueueHealthSchema)),
  /** The site's devices, as their last status message (or last will) left them. */
  devices: Unknown(Type.Object({ site: Type.String(), online: Type.Integer(), items: Type.Array(DeviceTileSchema) })),
  /** The newest reconciliation run (null before the first), its findings limited to the site. */
  lastReconciliation: Type.Union([RunSchema, Type.Null()]),
  /** Where an admin sees the queues' jobs (bull-board). */
  queueView: Type.String(),
})

export type ServiceChecks = Static<typeof ServiceChecksSchema>
export type QueueHealth = Static<typeof QueueHealthSchema>
export type PartitionHealth = Static<typeof PartitionHealthSchema>
export type HealthDetails = Static<typeof HealthDetailsSchema>
