import type { ApiKeySelf } from '@wh/shared'
import { roleAllows } from '@wh/shared/auth/roles'
import { readProblem, type ErrorCode } from '@wh/shared/errors'
import { pairScreen } from './screen-pairing.ts'

/** A key typed in is kept for this browser tab's session only: closing the tab forgets it. */
const TYPED = 'wh.apiKey'
/** A key the screen was paired with stays across restarts (a kiosk), until it is revoked. */
const PAIRED = 'wh.screenKey'

/** Why a paired screen asks again. */
export const REVOKED_SCREEN = "This screen's key was revoked: pair it again, or enter another key."

export type KeyCheck = { ok: true; self: ApiKeySelf } | { ok: false; message: string } | { ok: 'unknown' }

/** The hub's refusals that mean the key itself will not do (anything else: try again later). */
const REFUSED: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: 'The hub does not accept this key (mistyped, or revoked).',
  RATE_LIMITED: 'Too many wrong keys from this address; wait a minute and try again.',
}

/**
 * Asks the hub who a key is (`GET /api/keys/self`): accepted with a role that may watch the
 * floor, refused with the reason, or unknown when the hub cannot be reached (the caller retries).
 */
export async function checkKey(key: string): Promise<KeyCheck> {
  let response: Response
  try {
    response = await fetch('/api/keys/self', { headers: { authorization: `Bearer ${key}` } })
  } catch {
    return { ok: 'unknown' }
  }
  if (!response.ok) {
    const refused = REFUSED[(await readProblem(response))?.code ?? 'INTERNAL_ERROR']
    return refused ? { ok: false, message: refused } : { ok: 'unknown' }
  }
  const self = (await response.json()) as ApiKeySelf
  if (!roleAllows(self.role, 'viewer'))
    return { ok: false, message: `This key's role (${self.role}) cannot watch the floor; a viewer key can.` }
  return { ok: true, self }
}

export const storedKey = () => localStorage.getItem(PAIRED) ?? sessionStorage.getItem(TYPED)
export const forgetKey = () => {
  localStorage.removeItem(PAIRED)
  sessionStorage.removeItem(TYPED)
}

/** Resolves with the first key typed into the form (`#key-form`) that the hub accepts; says why it refuses others. */
async function typedKey(input: HTMLInputElement, note: HTMLElement, signal: AbortSignal): Promise<string | undefined> {
  const form = document.getElementById('key-form') as HTMLFormElement
  while (!signal.aborted) {
    const key = await new Promise<string | undefined>((resolve) => {
      const submitted = (event: Event) => {
        event.preventDefault()
        resolve(input.value.trim())
      }
      form.addEventListener('submit', submitted, { once: true, signal })
      signal.addEventListener('abort', () => resolve(undefined), { once: true })
    })
    if (key === undefined) return undefined
    const check = await checkKey(key)
    if (check.ok === true) return key
    note.textContent = check.ok === false ? check.message : 'The hub cannot be reached; try again in a moment.'
    note.classList.add('bad')
    input.select()
  }
  return undefined
}

/**
 * Shows the key dialog (the page's `#key-dialog`) until the screen has a key: paired from the
 * console (the code shown here; kept across restarts), or a key typed in (kept for the tab's
 * session), whichever comes first. `message` says why it asks.
 */
export async function askForKey(message?: string): Promise<string> {
  const dialog = document.getElementById('key-dialog') as HTMLDialogElement
  const input = document.getElementById('key-input') as HTMLInputElement
  const note = document.getElementById('key-message')!
  const defaultNote = (note.dataset.default ??= note.textContent ?? '')
  note.textContent = message ?? defaultNote
  note.classList.toggle('bad', message !== undefined)
  if (!dialog.open) dialog.showModal()
  input.value = ''
  input.focus()
  const done = new AbortController()
  const view = { code: document.getElementById('pair-code')!, status: document.getElementById('pair-status')! }
  const [how, key] = await Promise.race([
    pairScreen(view, done.signal).then((k) => ['paired', k] as const),
    typedKey(input, note, done.signal).then((k) => ['typed', k] as const),
  ])
  done.abort()
  // Neither gives up before the abort, so the winner has a key.
  if (how === 'paired') localStorage.setItem(PAIRED, key!)
  else sessionStorage.setItem(TYPED, key!)
  dialog.close()
  return key!
}

/** The key this screen kept (paired, or typed this session) if the hub still accepts it, else one asked for. */
export async function screenKey(): Promise<string> {
  const key = storedKey()
  if (key) {
    const check = await checkKey(key)
    // Unreachable hub: keep the key and let the socket's retries find the hub.
    if (check.ok !== false) return key
    const paired = localStorage.getItem(PAIRED) !== null
    forgetKey()
    return askForKey(paired ? REVOKED_SCREEN : check.message)
  }
  return askForKey()
}
