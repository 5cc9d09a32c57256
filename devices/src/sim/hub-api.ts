import { readProblem, type DeviceWithSecret, type Problem } from '@wh/shared'
import type { Catalog } from './workload.ts'

/** A refusal from the hub: its status and, when the hub sent one, its problem (`code` from the shared table). */
export class HubApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The hub calls a device tool needs before it scans: the site's catalog, and its devices' secrets.
 * Registering and rotating take an `admin` API key (the catalog, any key).
 */
export function createHubApi(baseUrl: string, apiKey?: string) {
  const auth: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {}
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(new URL(path, baseUrl), { ...init, headers: { ...auth, ...(init?.headers as Record<string, string>) } })
    if (!res.ok) {
      const problem = await readProblem(res)
      const said = problem ? `${problem.code} ${problem.detail ?? problem.title}` : res.statusText
      throw new HubApiError(res.status, problem, `${init?.method ?? 'GET'} ${path}: ${res.status} ${said}`)
    }
    return res.json()
  }
  const post = (path: string, body: object) =>
    call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const rotate = (id: string) => post(`/api/devices/${encodeURIComponent(id)}/rotate`, {}) as Promise<DeviceWithSecret>
  return {
    catalog: (site: string) => call(`/api/catalog?site=${encodeURIComponent(site)}`) as Promise<Catalog>,
    rotateDevice: rotate,
    /**
     * Registers the device, or, when it is already registered, rotates its secret: either way the
     * answer holds a secret to sign with (a device's old secret stops working).
     */
    async enrollDevice(id: string, site: string, kind: 'handheld' | 'fixed' = 'handheld'): Promise<DeviceWithSecret> {
      try {
        return (await post('/api/devices', { id, site, kind })) as DeviceWithSecret
      } catch (err) {
        if (err instanceof HubApiError && err.problem?.code === 'DEVICE_EXISTS') return rotate(id)
        throw err
      }
    },
  }
}

export type HubApi = ReturnType<typeof createHubApi>
