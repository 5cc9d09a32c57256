import { defineConfig } from 'vite'
import preact from '@preact/preset-vite'

// Served by the hub under /console; `npm run dev -w console` serves it with hot reload and passes
// the API to a hub on its default port.
export default defineConfig({
  base: '/console/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 300 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } } },
})
