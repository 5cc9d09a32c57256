import { readFile } from 'node:fs/promises'

/**
 * A hub process's resident set size in bytes, read from /proc (Linux): it needs no API key, and
 * it bounds the heap (memory a leak keeps stays resident).
 */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024
}
