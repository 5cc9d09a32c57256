import { defineConfig } from 'vite'
import preact from '@preact/preset-vite'

// Served by the hub under /handheld; `npm run dev -w handheld` serves it with hot reload and
// passes the API and the MQTT bridge to a hub on its default port.
export default defineConfig({
  base: '/handheld/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000' }, '/mqtt': { target: 'ws://127.0.0.1:3000', ws: true } } },
})
