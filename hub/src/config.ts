import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import { decodeHubKey, HUB_KEY_FORMAT } from './devices/hub-key.ts'

/**
 * Every setting the hub reads, with its default. The environment is checked once, at boot;
 * nothing else reads process.env.
 */
export const EnvSchema = Type.Object({
  /** Address the HTTP API and floor-screen WebSocket listen on (`0.0.0.0` in a container). */
  HTTP_HOST: Type.String({ default: '127.0.0.1' }),
  /** Port of the HTTP API, floor screens, /health, /ready and /metrics (0: any free port). */
  HTTP_PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  /** Where a process without the `api` role serves /health, /ready and /metrics (0: it serves none). */
  METRICS_PORT: Type.Integer({ default: 0, minimum: 0, maximum: 65535 }),
  /**
   * The hub's address as handhelds and floor screens reach it (`https://hub.example.com`), put in
   * the provisioning QR code the console shows. Unset: the address the console itself was reached at.
   */
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://\\S+$' })),
  /** The database, the source of truth (MySQL 8 or MariaDB 10.11); created and migrated at start-up when MIGRATE_ON_START. */
  MYSQL_URL: Type.String({ default: 'mysql://root@127.0.0.1:3306/warehouse', pattern: '^mysql://\\S+$' }),
  /** Database connections per process. */
  MYSQL_POOL_SIZE: Type.Integer({ default: 16, minimum: 1 }),
  /** Redis: queues, live cache, delta stream. Run it with `noeviction` and AOF. */
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://\\S+$' }),
  /** Prefix of every Redis key (cache, stream, sequencer, BullMQ), so installations can share a Redis. */
  REDIS_PREFIX: Type.String({ default: 'wh', pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
  /** The MQTT broker the scanners publish to (MQTT 5, for shared subscriptions). */
  MQTT_URL: Type.String({ default: 'mqtt://127.0.0.1:1883', pattern: '^(mqtts?|wss?)://\\S+$' }),
  /** The hub's own broker login, when the broker requires one. */
  MQTT_USERNAME: Type.Optional(Type.String()),
  /** Password of MQTT_USERNAME. */
  MQTT_PASSWORD: Type.Optional(Type.String()),
  /** The broker's address as handhelds reach it, for the provisioning QR code. Unset: MQTT_URL (without any login in it). */
  PUBLIC_MQTT_URL: Type.Optional(Type.String({ pattern: '^(mqtts?|wss?)://\\S+$' })),
  /**
   * The hub's key that seals device signing secrets in the database: 32 bytes as 64 hex digits or
   * base64 (`openssl rand -hex 32`). Unset, a public development key is used and the hub warns at
   * start-up. Every hub instance and the devices CLI need the same key.
   */
  HUB_SECRET_KEY: Type.Optional(Type.String()),
  /** First topic level(s): events arrive on `{root}/{site}/devices/{deviceId}/events`. */
  MQTT_TOPIC_ROOT: Type.String({ default: 'wh' }),
  /** The MQTT 5 shared-subscription group; hub instances in one group split the events. */
  MQTT_SHARE_GROUP: Type.String({ default: 'hub' }),
  /** This process's name in logs, the MQTT client id and the live-instance registry; unique per process. */
  HUB_INSTANCE_ID: Type.String({ default: `${hostname()}-${process.pid}` }),
  /** Which parts this process runs: `api` (HTTP), `ingest` (MQTT in), `worker` (queues to MySQL). */
  HUB_ROLES: Type.String({ default: 'api,ingest,worker', pattern: '^(api|ingest|worker)(,(api|ingest|worker))*$' }),
  /** Number of partition queues; a product always maps to the same one. Fixed for an installation. */
  PARTITIONS: Type.Integer({ default: 16, minimum: 1, maximum: 1024 }),
  /** Most events one worker transaction applies. */
  BATCH_MAX: Type.Integer({ default: 200, minimum: 1, maximum: 5000 }),
  /** How long a partition's drain with nothing to apply waits for more events before its queue job ends (0: it ends at once). */
  DRAIN_LINGER_MS: Type.Integer({ default: 500, minimum: 0, maximum: 5000 }),
  /** How long an event waits for a missing earlier deviceSeq before the gap is reported and skipped. */
  SEQUENCE_GAP_WAIT_MS: Type.Integer({ default: 3000, minimum: 0 }),
  /**
   * A partition whose oldest waiting event is older than this is stalled: the worker's /ready
   * body names it (a warning, not a 503) and the WhPartitionStalled alert fires.
   */
  PIPELINE_STALL_SECONDS: Type.Integer({ default: 60, minimum: 1 }),
  /**
   * A device heard from (status, scan) no later than this ago is shown online; older, offline,
   * even without its last will (a broker restart loses it). Devices refresh their retained
   * `online` status every 60 s by default, so the default allows two missed refreshes.
   */
  DEVICE_OFFLINE_AFTER_SECONDS: Type.Integer({ default: 150, minimum: 10 }),
  /** A scan message larger than this is rejected unread. */
  MAX_PAYLOAD_BYTES: Type.Integer({ default: 8192, minimum: 256 }),
  /** How long the Redis dedupe record of a finished event lives; the ledger stays the real guard. */
  DEDUPE_TTL_SECONDS: Type.Integer({ default: 7 * 24 * 3600, minimum: 60 }),
  /** Deltas kept on the Redis stream for screens that resume. */
  STREAM_MAXLEN: Type.Integer({ default: 100_000, minimum: 100 }),
  /** How often floor screens get a heartbeat (and a ping; one unanswered ping drops the screen). */
  LIVE_HEARTBEAT_MS: Type.Integer({ default: 5000, minimum: 100 }),
  /** A floor screen with more than this unsent is dropped instead of buffered for. */
  LIVE_MAX_BUFFERED_BYTES: Type.Integer({ default: 1 << 20, minimum: 1024 }),
  /** Unsent bytes across all of this instance's screens past which it stops reading new deltas until they drain. */
  LIVE_FANOUT_BUFFER_BYTES: Type.Integer({ default: 32 << 20, minimum: 1 << 16 }),
  /** Screen messages per second this instance aims to stay under; more screens, longer coalescing ticks. */
  LIVE_FRAME_BUDGET: Type.Integer({ default: 20_000, minimum: 100 }),
  /**
   * How long a hub trusts what it read of an API key. A key revoked elsewhere (another instance,
   * the CLI) is refused here within this time; one revoked through this instance's API at once.
   */
  API_KEY_CACHE_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 60_000 }),
  /** How long a console session lasts without use (each request renews it). */
  SESSION_HOURS: Type.Integer({ default: 12, minimum: 1, maximum: 24 * 30 }),
  /** Send the session cookie only over HTTPS; set wherever the hub is reached through TLS. */
  COOKIE_SECURE: Type.Boolean({ default: false }),
  /** Failed sign-ins one account may have (four times as many one address) before sign-in is locked. */
  SIGNIN_MAX_FAILURES: Type.Integer({ default: 5, minimum: 1 }),
  /** How long such a lock lasts, counted from the first failure. */
  SIGNIN_LOCK_SECONDS: Type.Integer({ default: 900, minimum: 1 }),
  /** How long a floor screen's pairing code is good for, from when the screen asked for it. */
  SCREEN_PAIRING_SECONDS: Type.Integer({ default: 600, minimum: 60, maximum: 86_400 }),
  /** Requests one API key of any role but `orders`, one handheld (or one address, before it has a valid key) may make per RATE_LIMIT_WINDOW_MS, counted in Redis across all instances (0: no limit at all). */
  RATE_LIMIT_MAX: Type.Integer({ default: 3000, minimum: 0 }),
  /**
   * Requests one `orders` API key (a shop's ordering site) may make per RATE_LIMIT_WINDOW_MS, never
   * fewer than RATE_LIMIT_MAX. A busy shop doing 2,000 requests/s for a minute makes 120,000 in a
   * window; 180,000 leaves half again for bursts and the ordering client's retries.
   */
  RATE_LIMIT_ORDERS_MAX: Type.Integer({ default: 180_000, minimum: 1 }),
  /**
   * Requests one signed-in person may make per RATE_LIMIT_WINDOW_MS, never fewer than RATE_LIMIT_MAX:
   * the console reloads its open pages on every change it hears, several requests each.
   */
  RATE_LIMIT_PERSON_MAX: Type.Integer({ default: 6000, minimum: 1 }),
  /** The rate limit's window. */
  RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1000 }),
  /** Largest HTTP request body accepted (413 past it); the largest legitimate one, a 500-line purchase order, is ~50 KB. */
  HTTP_BODY_LIMIT_BYTES: Type.Integer({ default: 256 * 1024, minimum: 1024, maximum: 16 << 20 }),
  /** A request answered after this long is logged (warn) with its time; failed ones always are, others only at debug. */
  REQUEST_SLOW_MS: Type.Integer({ default: 1000, minimum: 1 }),
  /** How long an order's reservation holds unless it is confirmed. */
  ORDER_TTL_SECONDS: Type.Integer({ default: 900, minimum: 1 }),
  /** How long a request waits for another with the same Idempotency-Key before it is told 409. */
  IDEMPOTENCY_WAIT_SECONDS: Type.Integer({ default: 5, minimum: 1, maximum: 60 }),
  /**
   * The webhook fan-out's window: stock changes within it go out as one `stock.changed` message per
   * subscription, each SKU once with its latest figures. Also how soon after a change it starts.
   */
  WEBHOOK_COALESCE_MS: Type.Integer({ default: 500, minimum: 10, maximum: 60_000 }),
  /** How often every site with stock webhooks gets a full sync as a fallback, unless nothing changed (0: never). */
  WEBHOOK_FULL_SYNC_HOURS: Type.Number({ default: 12, minimum: 0, maximum: 24 * 30 }),
  /** How long stock changes are kept for the changes feed (older cursors get 410); never past the webhook fan-out's cursor. */
  STOCK_CHANGES_KEEP_HOURS: Type.Number({ default: 168, minimum: 1 }),
  /** How often the incremental reconciliation checks the products touched since its last run (0: never). */
  RECONCILE_INCREMENTAL_MS: Type.Integer({ default: 60_000, minimum: 0 }),
  /** How often the full reconciliation checks every product (0: only on demand). */
  RECONCILE_FULL_MS: Type.Integer({ default: 12 * 3600_000, minimum: 0 }),
  /** Products a reconciliation step checks at once (a full run walks product ids in ranges of this size). */
  RECONCILE_CHUNK: Type.Integer({ default: 2000, minimum: 1, maximum: 100_000 }),
  /** Attempts at one webhook message (the first and its retries) before it is dead-lettered and the next message goes. */
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({ default: 8, minimum: 1, maximum: 100 }),
  /** The first retry's delay for a webhook message; each later one doubles it, with up to a fifth taken off at random (jitter). */
  WEBHOOK_BACKOFF_MS: Type.Integer({ default: 30_000, minimum: 1, maximum: 3_600_000 }),
  /**
   * How long a subscription's endpoint may fail without one success before the subscription is
   * paused (resume it by hand). Shorter than one message's retries (8 attempts, 30 s doubling:
   * 50-64 minutes), so an endpoint that is down gets paused, its messages kept, before any is dead-lettered.
   */
  WEBHOOK_PAUSE_AFTER_MS: Type.Integer({ default: 1800_000, minimum: 1 }),
  /** How long one webhook request may take, answer included, before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 120_000 }),
  /** Create the database if missing and apply migrations at start-up (else run `npm run migrate`). */
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  /** pino level of the JSON log lines (pretty-printed only on a terminal). */
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  /**
   * Fault injection for tests: the worker SIGKILLs itself at this point (`after-commit`,
   * `before-commit`), blocks its event loop past its job lock once (`block-loop`), or holds each
   * batch's transaction open, its writes sent, for a moment before the commit (`hold-before-commit`). Never set in production.
   */
  HUB_FAULT_POINT: Type.Optional(Type.Enum(['after-commit', 'before-commit', 'block-loop', 'hold-before-commit'])),
  /**
   * Fault injection for tests: every batch or approval that would apply an event with this eventId
   * or SKU fails with a database error no retry cures, so the event must be set aside. Never set in production.
   */
  HUB_FAULT_POISON: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /**
   * Offer the same-origin MQTT-over-WebSocket bridge at `/mqtt` (subprotocol `mqtt`), for browsers
   * where the broker has no WebSocket listener: bytes pass both ways to the broker, which logs in
   * each device and applies its ACL.
   */
  MQTT_WS_BRIDGE: Type.Boolean({ default: true }),
  /**
   * The broker the bridge connects to (`mqtt://host:1883`, or `mqtts://` for TLS). Unset:
   * MQTT_URL's host and port when it is mqtt:// or mqtts:// (a ws:// MQTT_URL leaves the bridge off).
   */
  MQTT_BRIDGE_TARGET: Type.Optional(Type.String({ pattern: '^mqtts?://\\S+$' })),
  /** Bridge connections one hub instance holds at once; one more is closed at once (code 1013). */
  MQTT_BRIDGE_MAX_CONNECTIONS: Type.Integer({ default: 1000, minimum: 1 }),
  /**
   * PEM certificate (with its chain) the hub serves HTTPS and WSS with on HTTP_PORT; set with
   * TLS_KEY_FILE. Browsers need HTTPS for the handheld app's service worker and camera off localhost.
   */
  TLS_CERT_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** PEM private key of TLS_CERT_FILE. */
  TLS_KEY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * Password of MYSQL_URL's user, for a URL without one: as MYSQL_PASSWORD_FILE it can be the
   * same secret file the database server creates the user with. Not both here and in the URL.
   */
  MYSQL_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
})

export type Env = Static<typeof EnvSchema>
export type Role = 'api' | 'ingest' | 'worker'
export type Config = Readonly<Env & { roles: ReadonlySet<Role> }>

/** A refused environment: one entry per problem, each naming its setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`)
  }
}

const checkEnv = Compile(EnvSchema)

const isSet = (value: string | undefined): value is string => value !== undefined && value !== ''

/**
 * The process's environment, with `.env` from the working directory loaded into it first when
 * there is one (Node's own parser); a variable already set wins over the file's.
 */
export function processEnv(): Record<string, string | undefined> {
  try {
    process.loadEnvFile('.env')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError([`.env: ${(err as Error).message}`])
  }
  return process.env
}

/**
 * Settings given as files: `K_FILE` names a file whose contents, less trailing newlines, are K
 * (Docker and compose secrets are files under /run/secrets). Errors never show a file's contents.
 */
function readSettingFiles(env: Record<string, string | undefined>): Record<string, string> {
  const values: Record<string, string> = {}
  const problems: string[] = []
  for (const key of Object.keys(EnvSchema.properties)) {
    const file = env[`${key}_FILE`]
    if (!isSet(file)) continue
    if (isSet(env[key])) {
      problems.push(`${key} and ${key}_FILE are both set: set one of them`)
      continue
    }
    try {
      values[key] = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '')
    } catch (err) {
      problems.push(`${key}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return values
}

/** MYSQL_URL with MYSQL_PASSWORD put in it, percent-encoded as a URL's password is. */
function withMysqlPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url
  const target = new URL(url)
  if (target.password !== '') throw new ConfigError(['MYSQL_URL has a password and MYSQL_PASSWORD is set: give it in one place'])
  target.password = password
  return target.href
}

/**
 * Reads the settings from an environment (by default the process's, with `.env`), applying
 * defaults and types; `K_FILE` gives K from a file.
 */
export function loadConfig(env: Record<string, string | undefined> = processEnv(), overrides: Partial<Env> = {}): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((k) => isSet(env[k]))
      .map((k) => [k, env[k]]),
  )
  const value = Value.Convert(EnvSchema, Value.Default(EnvSchema, { ...known, ...readSettingFiles(env), ...overrides }))
  if (!checkEnv.Check(value)) {
    const problems = [...checkEnv.Errors(value)].map((e) => `${e.instancePath.slice(1) || '(env)'} ${e.message}`)
    throw new ConfigError(problems)
  }
  if (value.HUB_SECRET_KEY !== undefined && !decodeHubKey(value.HUB_SECRET_KEY)) {
    throw new ConfigError([`HUB_SECRET_KEY must be ${HUB_KEY_FORMAT}`])
  }
  if ((value.TLS_CERT_FILE === undefined) !== (value.TLS_KEY_FILE === undefined)) {
    throw new ConfigError(['TLS_CERT_FILE and TLS_KEY_FILE go together: set both (HTTPS) or neither (HTTP)'])
  }
  const roles = new Set(value.HUB_ROLES.split(',') as Role[])
  return Object.freeze({ ...value, MYSQL_URL: withMysqlPassword(value.MYSQL_URL, value.MYSQL_PASSWORD), roles })
}
