import type { Catalog } from './workload.ts'

/** The two hub calls a fleet needs before it scans: the site's catalog, and its devices registered. */
export function createHubApi(baseUrl: string) {
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(new URL(path, baseUrl), init)
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  return {
    catalog: (site: string) => call(`/api/catalog?site=${encodeURIComponent(site)}`) as Promise<Catalog>,
    registerDevice: (id: string, site: string) =>
      call(`/api/devices/${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site }),
      }),
  }
}

export type HubApi = ReturnType<typeof createHubApi>
