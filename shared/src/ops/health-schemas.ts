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

/** What a hub process runs (HUB_ROLES); each needs its own services to be ready. */
export const HubRoleSchema = Type.Enum(['api', 'ingest', 'worker'])

/**
 * Something an operator should look at that does not make this process unready: a service its
 * roles do not need is down, a queue is paused, or a partition's oldest event has waited past
 * PIPELINE_STALL_SECONDS. `message` says it in a sentence; the other fields name the part.
 */
export const ReadinessWarningSchema = Type.Union([
  Type.Object({ code: Type.Literal('SERVICE_DOWN'), message: Type.String(), service: Type.Enum(['mysql', 'redis', 'mqtt']) }),
  Type.Object({ code: Type.Literal('QUEUE_PAUSED'), message: Type.String(), queues: Type.Array(Type.String()) }),
  Type.Object({
    code: Type.Literal('PARTITION_STALLED'),
    message: Type.String(),
    partition: Type.Integer(),
    /** How long the partition's oldest waiting event has waited since admission. */
    ageSeconds: Type.Number(),
  }),
])

/** `GET /ready`: 200 when the services this process's roles need are up, else 503; warnings either way. */
export const ReadinessSchema = Type.Object({
  status: Type.Enum(['ready', 'not ready']),
  roles: Type.Array(HubRoleSchema),
  checks: ServiceChecksSchema,
  warnings: Type.Array(ReadinessWarningSchema),
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
  /** The roles of the process that answered. */
  roles: Type.Array(HubRoleSchema),
  /** Its readiness warnings, with every stalled partition named whatever its roles. */
  warnings: Type.Array(ReadinessWarningSchema),
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
export type HubRole = Static<typeof HubRoleSchema>
export type ReadinessWarning = Static<typeof ReadinessWarningSchema>
export type Readiness = Static<typeof ReadinessSchema>
export type QueueHealth = Static<typeof QueueHealthSchema>
export type PartitionHealth = Static<typeof PartitionHealthSchema>
export type HealthDetails = Static<typeof HealthDetailsSchema>
