import { fileURLToPath } from 'node:url'
import { build, type Rollup } from 'vite'

/**
 * Modules bundled for the browser as Vite bundles the apps (browser builds of dependencies, such
 * as mqtt's), as one classic script that puts everything they export on `window[globalName]`.
 * For tests that run the project's browser code in Chromium without an app around it.
 */
export async function bundleForBrowser(modules: URL[], globalName: string): Promise<string> {
  const entry = modules.map((m) => `export * from ${JSON.stringify(fileURLToPath(m))}`).join('\n')
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'test-entry',
        // Vite hands the lib entry over as a path under its root.
        resolveId: (id) => (id.endsWith('test-entry') ? '\0test-entry' : undefined),
        load: (id) => (id === '\0test-entry' ? entry : undefined),
      },
    ],
    build: { write: false, minify: false, lib: { entry: 'test-entry', formats: ['iife'], name: globalName } },
  })) as Rollup.RollupOutput[]
  const chunk = output.flatMap((o) => o.output).find((o) => o.type === 'chunk')
  if (!chunk) throw new Error(`nothing bundled for ${globalName}`)
  return chunk.code
}
