import { readProblem } from '@wh/shared'
import { deviceAuthorization } from '@wh/shared/signing/web'
import { openHandheldDb } from './handheld-db.ts'
import { loadSetup, type DeviceSetup } from './setup.ts'

/** A refusal from the hub's device API: the problem's `code` (shared error table) and its detail. */
export class ApiProblem extends Error {
  override name = 'ApiProblem'

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail)
  }
}

/** An answer, fresh or (network gone) the last copy kept: `at` is when the hub gave it, in unix ms. */
export interface DeviceAnswer<T> {
  data: T
  stale: boolean
  at: number
}

/** Refusals of the device itself, not of one request: the setup must change before any read works. */
const DEVICE_REFUSALS = new Set(['BAD_SIGNATURE', 'DEVICE_DISABLED', 'UNKNOWN_DEVICE'])
const refusalListeners = new Set<(problem: ApiProblem, setup: DeviceSetup) => void>()

/**
 * Hears the hub refusing this device on a read (a rotated secret, a disabled device), with the
 * setup the read was signed with: a handheld with nothing to send learns it here, not by an ack.
 */
export function onDeviceRefused(fn: (problem: ApiProblem, setup: DeviceSetup) => void): () => void {
  refusalListeners.add(fn)
  return () => void refusalListeners.delete(fn)
}

/** The hub's clock minus this handheld's, learned from answers' `Date`: the hub refuses requests signed far off its time. */
let clockOffsetMs = 0

/**
 * GETs `path` (e.g. `/api/handheld/orders?x=1`) from the hub that serves this app, signed as the
 * device (`Authorization: WH-Device …`). Each answer is kept in IndexedDB by path; when the hub
 * cannot be reached the kept copy is returned with `stale: true`, so the floor keeps its lists
 * through a dead Wi-Fi spot. A problem answer is thrown as ApiProblem, never served from the copy.
 */
export async function deviceGet<T>(path: string): Promise<DeviceAnswer<T>> {
  const setup = await loadSetup()
  if (!setup) throw new ApiProblem(0, 'NOT_SET_UP', 'this handheld is not set up yet')
  const key = `${setup.deviceId} ${path}`
  const db = await openHandheldDb()
  const kept = async (refusal: ApiProblem) => {
    const copy = await db.get('answers', key)
    if (copy) return { data: copy.data as T, stale: true, at: copy.at }
    throw refusal
  }
  const unreachable = (why: string) => new ApiProblem(0, 'OFFLINE', `the hub cannot be reached and nothing was kept from before (${why})`)
  let response: Response
  try {
    const offsetUsed = clockOffsetMs
    response = await signedGet(setup, path)
    // Refused, signed with a clock far off the hub's: once more, at the hub's time its answer told.
    if (response.status === 401 && Math.abs(clockOffsetMs - offsetUsed) > 60_000) response = await signedGet(setup, path)
  } catch (err) {
    return kept(unreachable((err as Error).message))
  }
  if (!response.ok) {
    const problem = await readProblem(response)
    // A proxy in front of a hub that is down answers 502-504 without a problem: as unreachable.
    if (!problem && response.status >= 502) return kept(unreachable(`${response.status} ${response.statusText}`))
    const refusal = new ApiProblem(response.status, problem?.code ?? 'HTTP_ERROR', problem?.detail ?? problem?.title ?? response.statusText)
    if (!DEVICE_REFUSALS.has(refusal.code)) throw refusal
    refusalListeners.forEach((fn) => fn(refusal, setup))
    // The lists kept from before still serve the floor while the device is set up again.
    return kept(refusal)
  }
  const answer = { data: (await response.json()) as T, stale: false, at: Date.now() }
  await db.put('answers', { at: answer.at, data: answer.data }, key)
  return answer
}

async function signedGet(setup: DeviceSetup, path: string): Promise<Response> {
  const authorization = await deviceAuthorization(setup.deviceId, setup.secret, 'GET', path, Date.now() + clockOffsetMs)
  const response = await fetch(path, { headers: { authorization }, cache: 'no-store' })
  const hubTime = Date.parse(response.headers.get('date') ?? '')
  if (Number.isFinite(hubTime)) clockOffsetMs = hubTime - Date.now()
  return response
}
