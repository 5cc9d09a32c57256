import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { benchOptions } from './bench-options.ts'

// `npm run bench`: the options are checked before anything is installed or started, so `--help`
// and a usage error answer at once; the bench itself is loaded after the install, which may
// replace the dependencies it imports.
benchOptions()
const ROOT = fileURLToPath(new URL('..', import.meta.url))
for (const script of ['scripts/install.sh', 'scripts/services.sh']) {
  const { status } = spawnSync('bash', [script], { cwd: ROOT, stdio: 'inherit' })
  if (status !== 0) process.exit(status ?? 1)
}
await import('./run.ts')
