import type { FastifyRequest } from 'fastify'

/** Who a catalog change is audited under: the API key that made it. */
export const keyName = (request: FastifyRequest) => request.apiKey?.name ?? 'admin'
