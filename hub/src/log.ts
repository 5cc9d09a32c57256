import type { BaseLogger } from 'pino'

/** What domain code needs of a logger; Fastify's logger and a pino child both fit. */
export type Log = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>
