import { Webhook } from 'standardwebhooks'
import type { AttemptResult } from './delivery-records.ts'

/** How much of a refusing endpoint's answer the delivery log keeps. */
const ERROR_SNIPPET = 200

/** Why a request got no answer, in a few words (`ECONNREFUSED`, `timed out after 10000 ms`). */
function reason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err)
}

/**
 * One attempt at one message: the body as stored, signed to the Standard Webhooks specification
 * with the subscription's secret (`webhook-id`, `webhook-timestamp`, `webhook-signature`), POSTed
 * with a time limit. Redirects are not followed (a 3xx counts as failed): the endpoint is the URL
 * the admin gave. Any 2xx is a delivery.
 */
export async function sendMessage(
  target: { url: string; secret: string },
  message: { msgId: string; payload: string },
  timeoutMs: number,
  now = new Date(),
): Promise<AttemptResult & { ok: boolean }> {
  const signature = new Webhook(target.secret).sign(message.msgId, now, message.payload)
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'warehouse-hub-webhooks',
        'webhook-id': message.msgId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: message.payload,
    })
    const text = await response.text()
    if (response.ok) return { ok: true, status: response.status, error: null }
    return { ok: false, status: response.status, error: `HTTP ${response.status}${text ? `: ${text.slice(0, ERROR_SNIPPET)}` : ''}` }
  } catch (err) {
    return { ok: false, status: null, error: reason(err, timeoutMs) }
  }
}
