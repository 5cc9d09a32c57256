import { runProcess } from './process-runner.ts'

// The queue workers alone: scale them apart from the HTTP/ingest processes.
await runProcess({ HUB_ROLES: 'worker' })
