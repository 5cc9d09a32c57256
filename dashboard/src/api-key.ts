import type { ApiKeySelf } from '@wh/shared'
import { roleAllows } from '@wh/shared/auth/roles'
import { readProblem, type ErrorCode } from '@wh/shared/errors'

/** Kept for this browser tab's session only: closing the tab forgets the key. */
const STORAGE = 'wh.apiKey'

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

export const storedKey = () => sessionStorage.getItem(STORAGE)
export const forgetKey = () => sessionStorage.removeItem(STORAGE)

/**
 * Shows the key form (the page's `#key-dialog`) until a key the hub accepts is entered, with
 * `message` saying why it asks; keeps that key for the session and returns it.
 */
export async function askForKey(message?: string): Promise<string> {
  const dialog = document.getElementById('key-dialog') as HTMLDialogElement
  const form = document.getElementById('key-form') as HTMLFormElement
  const input = document.getElementById('key-input') as HTMLInputElement
  const note = document.getElementById('key-message')!
  const defaultNote = (note.dataset.default ??= note.textContent ?? '')
  note.textContent = message ?? defaultNote
  note.classList.toggle('bad', message !== undefined)
  if (!dialog.open) dialog.showModal()
  input.value = ''
  input.focus()
  for (;;) {
    const key = await new Promise<string>((resolve) =>
      form.addEventListener(
        'submit',
        (event) => {
          event.preventDefault()
          resolve(input.value.trim())
        },
        { once: true },
      ),
    )
    const check = await checkKey(key)
    if (check.ok === true) {
      sessionStorage.setItem(STORAGE, key)
      dialog.close()
      return key
    }
    note.textContent = check.ok === false ? check.message : 'The hub cannot be reached; try again in a moment.'
    note.classList.add('bad')
    input.select()
  }
}

/** The session's key if the hub still accepts it, else one asked for. */
export async function sessionKey(): Promise<string> {
  const key = storedKey()
  if (key) {
    const check = await checkKey(key)
    // Unreachable hub: keep the key and let the socket's retries find the hub.
    if (check.ok !== false) return key
    forgetKey()
    return askForKey(check.message)
  }
  return askForKey()
}
