import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

/** A message as an endpoint took it (answered 2xx), verified with the Standard Webhooks library. */
export interface ReceivedMessage {
  /** The `webhook-id` header. */
  id: string
  type: string
  timestamp: string
  data: Record<string, unknown>
}

interface Endpoint {
  secret?: string
  /** Verified and answered 2xx, in arrival order. */
  received: ReceivedMessage[]
  /** Requests that failed verification (answered 401): there should be none. */
  rejected: string[]
  /** Requests answered with the failure status while failing. */
  refused: number
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })

/**
 * A real HTTP endpoint for webhook tests, on loopback: each path (`url(name)`) is one endpoint
 * with its own secret, verifying every request with the `standardwebhooks` library and keeping
 * what it took in arrival order. It can be stopped (killed: open connections dropped) and
 * started again on the same port, and told to answer a failure status until it recovers.
 */
export async function startWebhookReceiver() {
  const endpoints = new Map<string, Endpoint>()
  let failing: number | null = null
  let server: Server | undefined
  let port = 0

  const endpoint = (name: string) => {
    let e = endpoints.get(name)
    if (!e) endpoints.set(name, (e = { received: [], rejected: [], refused: 0 }))
    return e
  }

  async function handle(request: IncomingMessage, raw: string): Promise<number> {
    const e = endpoint((request.url ?? '/').slice(1))
    if (failing !== null) {
      e.refused++
      return failing
    }
    if (!e.secret) {
      e.rejected.push(`no secret for ${request.url}`)
      return 401
    }
    try {
      const body = new Webhook(e.secret).verify(raw, request.headers as Record<string, string>) as Omit<ReceivedMessage, 'id'>
      e.received.push({ id: String(request.headers['webhook-id']), ...body })
      return 204
    } catch (err) {
      e.rejected.push((err as Error).message)
      return 401
    }
  }

  async function start() {
    server = createServer((request, response) => {
      readBody(request)
        .then((raw) => handle(request, raw))
        .then((status) => response.writeHead(status).end(status >= 500 ? 'receiver failing on purpose' : undefined))
        .catch(() => response.writeHead(500).end())
    })
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject)
      server!.listen(port, '127.0.0.1', () => resolve())
    })
    port = (server.address() as AddressInfo).port
  }

  await start()
  return {
    /** The endpoint's URL; messages to it verify with the secret given to `trust`. */
    url: (name: string) => `http://127.0.0.1:${port}/${name}`,
    trust(name: string, secret: string) {
      endpoint(name).secret = secret
    },
    /** What the endpoint took, in arrival order. */
    received: (name: string) => endpoint(name).received,
    rejected: (name: string) => endpoint(name).rejected,
    refused: (name: string) => endpoint(name).refused,
    /** Answer `status` to every request until `recover`. */
    fail(status = 500) {
      failing = status
    },
    recover() {
      failing = null
    },
    /** Killed: stops listening and drops every open connection (keep-alive ones too). */
    async stop() {
      const s = server
      server = undefined
      if (!s) return
      s.closeAllConnections()
      await new Promise<void>((resolve) => s.close(() => resolve()))
    },
    /** Listening again on the same port. */
    start,
  }
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>
