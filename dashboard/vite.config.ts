import { defineConfig } from 'vite'

// `npm run dev -w dashboard` serves the page with hot reload and passes the socket and API to a
// hub on its default port.
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 200 },
  server: {
    proxy: {
      '/live': { target: 'ws://127.0.0.1:3000', ws: true },
      '/api': 'http://127.0.0.1:3000',
    },
  },
})
