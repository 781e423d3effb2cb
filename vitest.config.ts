import { defineConfig } from 'vitest/config'

/**
 * Files that start processes (redis-server, `npm start`), stop a Redis under the bot or measure
 * what a process does: they run one at a time, after the rest, so no other file's load
 * stretches their deadlines.
 */
const SERIAL = [
  'test/e2e/start.test.ts',
  'test/e2e/durability.test.ts',
  'test/e2e/dingtalk-stream.test.ts',
  'test/embedded-redis.test.ts',
  'test/http/store-unavailable.test.ts',
  'test/cli/reconcile.test.ts',
  'test/config.test.ts',
  'test/cli/demo.test.ts',
  'test/http/public-url-warning.test.ts',
  'test/browser/sandbox-page.test.ts',
]

const shared = {
  testTimeout: 15_000,
  hookTimeout: 10_000,
  setupFiles: ['test/support/fast-check-seed.ts'],
}

// A file here starts `npm start` or redis-server, and tsx compiling the app took 10–12 s on a
// loaded two-core machine: a deadline that is a figure of the machine, not of the code under
// test, only makes CI flake.
const processes = { ...shared, testTimeout: 60_000, hookTimeout: 30_000 }

// Tests share one real Redis on 127.0.0.1:6379. Each test has its own key prefix, BullMQ's
// included (test/support/redis.ts), so the other files run in parallel. They also share each
// worker's module graph (isolate: false): importing the app once per worker rather than once
// per file halves the suite, and no test mocks modules or leaves global state behind.
export default defineConfig({
  test: {
    // Twice the cores: a third of the suite's time is tests waiting on a paused Redis or a
    // child process, and another file's work fits in that wait (104 s → 65 s on 2 cores).
    maxWorkers: 4,
    projects: [
      {
        test: {
          ...shared,
          name: 'parallel',
          isolate: false,
          include: ['test/**/*.test.ts'],
          exclude: SERIAL,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...processes,
          name: 'serial',
          include: SERIAL,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
