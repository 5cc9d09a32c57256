import { runProcess } from './process-runner.ts'

// HTTP, MQTT ingest and (unless HUB_ROLES says otherwise) the workers, in one process.
await runProcess()
