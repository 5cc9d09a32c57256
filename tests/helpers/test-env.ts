import { randomBytes } from 'node:crypto'
import mysql from 'mysql2/promise'
import { createClient } from 'redis'
import { loadConfig, type Config, type Env } from '../../hub/src/config.ts'

/** Where the shared test services are; CI and a developer's machine both have them on loopback. */
const SHARED = {
  mysql: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  mqtt: process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883',
}

export type ServiceUrls = typeof SHARED

/**
 * A private namespace on the shared services: its own database, Redis key prefix and MQTT topic
 * root, so test files and parallel runs never see each other. `cleanup` removes all of it.
 */
export function createTestEnv(label: string, services: Partial<ServiceUrls> = {}) {
  // Fault tests point some services at private instances they may kill (tests/faults/harness).
  const BASE = { ...SHARED, ...services }
  const id = `${label.replace(/[^a-z0-9]/gi, '').slice(0, 12)}_${randomBytes(4).toString('hex')}`
  const database = `wh_t_${id}`
  const env: Partial<Env> = {
    MYSQL_URL: `${BASE.mysql}/${database}`,
    REDIS_URL: BASE.redis,
    REDIS_PREFIX: `t-${id}`,
    MQTT_URL: BASE.mqtt,
    MQTT_TOPIC_ROOT: `t-${id}`,
    MQTT_SHARE_GROUP: `hub-${id}`,
    HTTP_PORT: 0,
    LOG_LEVEL: (process.env.TEST_LOG_LEVEL ?? 'error') as Env['LOG_LEVEL'],
    PARTITIONS: 4,
    SEQUENCE_GAP_WAIT_MS: 1000,
  }
  return {
    id,
    database,
    env,
    urls: BASE,
    config(overrides: Partial<Env> = {}): Config {
      return loadConfig({}, { ...env, HUB_INSTANCE_ID: `${id}-${randomBytes(2).toString('hex')}`, ...overrides })
    },
    /** The settings as environment variables, for hub child processes. */
    processEnv(overrides: Partial<Env> = {}): Record<string, string> {
      return Object.fromEntries(Object.entries({ ...env, ...overrides }).map(([k, v]) => [k, String(v)]))
    },
    async cleanup() {
      const conn = await mysql.createConnection(BASE.mysql)
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``)
      await conn.end()
      const redis = createClient({ url: BASE.redis })
      await redis.connect()
      for await (const keys of redis.scanIterator({ MATCH: `t-${id}:*`, COUNT: 1000 })) {
        if (keys.length > 0) await redis.unlink(keys)
      }
      await redis.close()
    },
  }
}

export type TestEnv = ReturnType<typeof createTestEnv>
