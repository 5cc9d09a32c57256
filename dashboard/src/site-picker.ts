import type { ApiKeySelf } from '@wh/shared'

/** A site the screen can show. */
export interface SiteChoice {
  code: string
  name: string
}

/** The `?site=` of the page's address: the site this screen shows. */
export const siteInUrl = () => new URLSearchParams(location.search).get('site') ?? undefined

const getJson = async (path: string, key: string): Promise<unknown> => {
  const response = await fetch(path, { headers: { authorization: `Bearer ${key}` } })
  return response.ok ? response.json() : undefined
}

/** `GET /api/sites` (`{sites: [...]}`) as a list, active sites only. */
function fromCatalog(body: unknown): SiteChoice[] | undefined {
  const list = (body as { sites?: unknown } | undefined)?.sites
  if (!Array.isArray(list)) return undefined
  return (list as { code: string; name?: string; active?: boolean }[])
    .filter((s) => s.active !== false)
    .map((s) => ({ code: s.code, name: s.name ?? s.code }))
}

/**
 * The sites this key may watch: the catalog's (`GET /api/sites`); where the hub has no such
 * route or the key may not read it, the sites the key is limited to, else those the live cache
 * holds stock of (`GET /api/sync-status`).
 */
export async function loadSites(key: string): Promise<SiteChoice[]> {
  const byCode = (sites: SiteChoice[]) => sites.sort((a, b) => a.code.localeCompare(b.code))
  const catalog = fromCatalog(await getJson('/api/sites', key).catch(() => undefined))
  const self = (await getJson('/api/keys/self', key).catch(() => undefined)) as ApiKeySelf | undefined
  const allowed = self?.sites ?? undefined
  if (catalog && catalog.length > 0) return byCode(catalog.filter((s) => !allowed || allowed.includes(s.code)))
  if (allowed) return byCode(allowed.map((code) => ({ code, name: code })))
  const status = (await getJson('/api/sync-status', key).catch(() => undefined)) as { sites?: { site: string }[] } | undefined
  return byCode((status?.sites ?? []).map((s) => ({ code: s.site, name: s.site })))
}

/**
 * The header's site picker: a labelled `<select>` (keyboard and screen reader as any select), its
 * choice kept in the address (`?site=`, a history entry per switch, so Back returns to the last
 * site and a bookmark opens the same one).
 */
export class SitePicker {
  constructor(
    private readonly select: HTMLSelectElement,
    private readonly onSite: (site: string) => void,
  ) {
    select.addEventListener('change', () => this.choose(select.value, 'push'))
    addEventListener('popstate', () => {
      const site = siteInUrl()
      if (site && site !== select.value) this.choose(site, 'none')
    })
  }

  /** Lists the sites and shows the one in the address (or the first); returns it, undefined when there is none. */
  show(sites: SiteChoice[]): string | undefined {
    const wanted = siteInUrl()
    // A site named in the address stays, listed or not: the hub says if it may not be shown.
    const all = wanted && !sites.some((s) => s.code === wanted) ? [{ code: wanted, name: wanted }, ...sites] : sites
    this.select.replaceChildren(
      ...all.map((s) => {
        const option = document.createElement('option')
        option.value = s.code
        option.textContent = s.name === s.code ? s.code : `${s.name} (${s.code})`
        return option
      }),
    )
    this.select.disabled = all.length < 2
    const site = wanted ?? all[0]?.code
    if (site !== undefined) this.choose(site, wanted ? 'none' : 'replace')
    return site
  }

  private choose(site: string, history: 'push' | 'replace' | 'none') {
    this.select.value = site
    if (history !== 'none') {
      const url = new URL(location.href)
      url.searchParams.set('site', site)
      if (history === 'push') window.history.pushState(null, '', url)
      else window.history.replaceState(null, '', url)
    }
    this.onSite(site)
  }
}
