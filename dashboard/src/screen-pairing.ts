import type { PairingClaimAnswer, ScreenPairing } from '@wh/shared'

/** Where the pairing view shows the code and what is happening. */
export interface PairingView {
  code: HTMLElement
  status: HTMLElement
}

/** How long to wait before asking again when the hub cannot be reached or is busy. */
const RETRY_MS = 5000

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
  })

async function post<T>(path: string, body?: unknown): Promise<{ status: number; body?: T }> {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: response.ok ? ((await response.json()) as T) : undefined }
  } catch {
    return { status: 0 } // unreachable
  }
}

/** `K7QM3XRT` as people read it across a room: `K7QM-3XRT`. */
const spaced = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`

const until = (at: string) => new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })

/** Asks with the code until the answer is the key (returned), a refusal (undefined: get a new code), or the code expires. */
async function collect(pairing: ScreenPairing, view: PairingView, signal: AbortSignal): Promise<string | undefined> {
  const expires = Date.parse(pairing.expiresAt)
  while (!signal.aborted && Date.now() < expires) {
    await wait(pairing.pollSeconds * 1000, signal)
    if (signal.aborted) return undefined
    const answer = await post<PairingClaimAnswer>('/api/screen-pairings/claim', { code: pairing.code, claim: pairing.claim })
    if (answer.body?.status === 'paired') {
      view.status.textContent = `Paired as ${answer.body.name} for ${answer.body.site}; connecting…`
      return answer.body.key
    }
    if (answer.status === 404) return undefined
    if (answer.body?.status === 'waiting')
      view.status.textContent = `Waiting for an admin. The code is good until ${until(pairing.expiresAt)}.`
    else view.status.textContent = answer.status === 0 ? 'The hub cannot be reached; still trying.' : 'The hub is busy; still trying.'
  }
  return undefined
}

/**
 * Pairs this screen from the console: asks the hub for a code (the claim secret stays here),
 * shows it, and asks every few seconds whether an admin has entered it; answers the key the hub
 * issued. An expired or refused code is replaced by a new one. Stops (with undefined) when
 * `signal` aborts, e.g. once a key was typed in instead.
 */
export async function pairScreen(view: PairingView, signal: AbortSignal): Promise<string | undefined> {
  while (!signal.aborted) {
    view.status.textContent = 'Asking the hub for a pairing code…'
    const asked = await post<ScreenPairing>('/api/screen-pairings')
    if (!asked.body) {
      view.code.textContent = '····-····'
      view.status.textContent =
        asked.status === 429 ? 'Too many codes asked from here; a new one comes shortly.' : 'The hub cannot be reached; trying again.'
      await wait(RETRY_MS, signal)
      continue
    }
    view.code.textContent = spaced(asked.body.code)
    view.status.textContent = `Waiting for an admin. The code is good until ${until(asked.body.expiresAt)}.`
    const key = await collect(asked.body, view, signal)
    if (key) return key
  }
  return undefined
}
