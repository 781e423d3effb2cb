import { defineConfig } from 'vitest/config'

// Tests share one real Redis on 127.0.0.1:6379; each test gets its own key prefix
// (test/support/redis.ts), but files run one at a time so timings and BullMQ
// workers do not interfere.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 10_000,
  },
})
