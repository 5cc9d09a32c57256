import { registerSW } from 'virtual:pwa-register'

/**
 * Registers the service worker that makes the app open with no network. Once everything is
 * cached, `<html data-offline-ready>` says so (the browser tests wait for it). A new version
 * waits until `onUpdate`'s reload is used, so an update never reloads a picker's screen by itself.
 */
export function registerServiceWorker(onUpdate: (reload: () => void) => void): void {
  if (!('serviceWorker' in navigator)) return
  const update = registerSW({
    immediate: true,
    onOfflineReady: () => void (document.documentElement.dataset.offlineReady = 'true'),
    onNeedRefresh: () => onUpdate(() => void update(true)),
    onRegisteredSW: (_url, registration) => {
      // Already cached on an earlier visit: ready now.
      if (registration?.active) document.documentElement.dataset.offlineReady = 'true'
    },
  })
}
