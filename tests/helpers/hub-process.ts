import { spawn, type ChildProcess } from 'node:child_process'
import type { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { Env } from '../../hub/src/config.ts'
import type { TestEnv } from './test-env.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface HubProcess {
  child: ChildProcess
  output: () => string
  /** Resolves with the exit code or signal when the process ends. */
  exited: Promise<number | NodeJS.Signals | null>
  stop: (signal?: NodeJS.Signals) => Promise<void>
}

/**
 * Runs a hub entry point (`server.ts` or `worker.ts`) as a child process, so a test can kill it
 * like a crash would, and resolves once it logs that it runs.
 */
export function startHubProcess(
  env: TestEnv,
  entry: 'server' | 'worker',
  overrides: Partial<Env> = {},
  nodeArgs: string[] = [],
): Promise<HubProcess> {
  return startNodeProcess([...nodeArgs, '--import', 'tsx', `hub/src/${entry}.ts`], {
    cwd: ROOT,
    env: { ...process.env, ...env.processEnv({ LOG_LEVEL: 'info', MIGRATE_ON_START: false, ...overrides }) },
  })
}

/** Runs `node args` as a hub process (the compiled hub, say), resolving once it logs that it runs. */
export async function startNodeProcess(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<HubProcess> {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  // At 'exit' the last lines may still wait in the pipes (a SIGKILL right after a log line): they
  // are read first, so a test that reads `output()` once it exited sees them. A grandchild that
  // inherited a pipe (tsx's esbuild) may hold it open a moment longer: not waited for past 2 s.
  const read = (stream: Readable) =>
    stream.readableEnded || stream.destroyed ? undefined : new Promise((r) => stream.once('end', r).once('close', r))
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => {
      const drained = Promise.all([read(child.stdout!), read(child.stderr!)])
      void Promise.race([drained, sleep(2000)]).then(() => resolve(signal ?? code))
    }),
  )
  // A hub must not outlive the test or bench that started it, however that one ends.
  const orphanGuard = () => child.kill('SIGKILL')
  process.once('exit', orphanGuard)
  child.once('exit', () => process.off('exit', orphanGuard))
  const deadline = Date.now() + 30_000
  while (!/hub process running|Server listening/.test(output)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`hub process ended at start:\n${output}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`hub process did not start:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    child,
    output: () => output,
    exited,
    /**
     * Asks the process to stop and waits for it; after `graceMs` it is killed. The harness never
     * relies on a graceful exit: a hub under tsx has been seen stuck in its shutdown (main thread
     * waiting on the module-loader thread), where not even its own forced-exit timer can run.
     */
    async stop(signal = 'SIGTERM', graceMs = 12_000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill(signal)
      let grace: NodeJS.Timeout | undefined
      const settled = await Promise.race([
        exited.then(() => true),
        new Promise<false>((r) => (grace = setTimeout(() => r(false), graceMs))),
      ])
      clearTimeout(grace)
      if (!settled) {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}
