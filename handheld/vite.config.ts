import { defineConfig } from 'vite'
import preact from '@preact/preset-vite'
import { VitePWA } from 'vite-plugin-pwa'

const THEME = '#11191f'

// Served by the hub under /handheld; `npm run dev -w handheld` serves it with hot reload and
// passes the API and the MQTT bridge to a hub on its default port.
export default defineConfig({
  base: '/handheld/',
  plugins: [
    preact(),
    // Installable and offline after one visit: every file of the build, the zxing wasm too, is
    // precached by a generated service worker, and any page under /handheld/ opens index.html.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      scope: '/handheld/',
      manifest: {
        name: 'Warehouse handheld',
        short_name: 'Handheld',
        description: 'Scan to receive, move, pick, count and adjust stock; keeps working without a network.',
        start_url: '/handheld/',
        scope: '/handheld/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: THEME,
        background_color: THEME,
        // The PNGs are the SVG drawn once at the sizes Android's installer asks for (committed,
        // not built: no rasteriser is among our dependencies).
        icons: [
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        ],
      },
      workbox: {
        // The plugin adds the manifest itself.
        globPatterns: ['**/*.{js,css,html,wasm,svg,png}'],
        // The decoder's wasm is about 1 MB; a bigger build must still be precached, not skipped with a warning.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  // One bundle of about 600 kB (mqtt.js, the event schema's validator, Preact), precached once;
  // the camera's decoder is split off and loaded when first used.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000' }, '/mqtt': { target: 'ws://127.0.0.1:3000', ws: true } } },
})
