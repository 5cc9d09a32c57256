import { defineConfig } from 'vitest/config'

/** The page tests: each drives a page in Chromium. `npm run test:pages` runs them; CI runs both. */
const PAGE_TESTS = [
  'tests/integration/console-*.test.ts',
  'tests/integration/floor-screen.test.ts',
  'tests/integration/handheld-*.test.ts',
  'tests/integration/link-browser.test.ts',
  'tests/integration/screen-pairing.test.ts',
  'tests/integration/signing-browser.test.ts',
]

// Files share the machine's MariaDB, Redis and Mosquitto but each isolates its names (own database,
// Redis prefix and topic root; a test that kills a service starts its own), so two run at once:
// most of a file's time is waiting on those services, not the CPU.
const withServices = { fileParallelism: true, testTimeout: 60_000, hookTimeout: 60_000 }

export default defineConfig({
  test: {
    // Two at a time: the machines this runs on have two cores, and page tests bring a Chromium each.
    maxWorkers: 2,
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], exclude: PAGE_TESTS, ...withServices },
      },
      {
        // One at a time: a handheld page is its device on the broker (client id = device id), and
        // every file's fixture has the same device ids.
        test: { name: 'pages', include: PAGE_TESTS, ...withServices, fileParallelism: false },
      },
      {
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          // Each file runs its own mariadbd, redis-server and mosquitto and kills them: one at a time.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
          globalSetup: ['tests/faults/harness/global-setup.ts'],
        },
      },
    ],
  },
})
