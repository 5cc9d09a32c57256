const KEY = 'floor-theme'

/** Dark by default (floor screens), light on request; `?theme=light` in the address wins. */
export function setUpTheme(toggle: HTMLElement) {
  const root = document.documentElement
  const asked = new URLSearchParams(location.search).get('theme')
  root.dataset.theme = asked === 'light' || asked === 'dark' ? asked : (localStorage.getItem(KEY) ?? 'dark')
  toggle.addEventListener('click', () => {
    root.dataset.theme = root.dataset.theme === 'dark' ? 'light' : 'dark'
    localStorage.setItem(KEY, root.dataset.theme)
  })
}
