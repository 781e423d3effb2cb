import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import supertest from 'supertest'
import { createBot, type Bot } from '../../src/compose.js'
import { loadConfig } from '../../src/config.js'
import { createLogger, type Logger } from '../../src/log.js'
import type { FetchLike } from '../../src/platforms/types.js'
import type { Keys } from '../../src/records/keys.js'
import { QUEUE } from '../../src/reminders/job.js'
import { systemClock, type Clock } from '../../src/time/clock.js'
import { TEST_REDIS_URL, useTestRedis } from './redis.js'

/** The SECRET_KEY of test bots: fixed, so a test can open what it sealed. */
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789'

export interface TestBot {
  bot: Bot
  http: ReturnType<typeof supertest>
  redis: Redis
  keys: Keys
  prefix: string
  /** The `reminders` queue the bot was given, on `bullRedis` under the test prefix. */
  queue: Queue
  /** A `bullmq`-profile connection (maxRetriesPerRequest: null) for workers and QueueEvents. */
  bullRedis: Redis
  /** The bot's clock; startTestWorkers gives the workers the same one. */
  clock: Clock
  cleanup: () => Promise<void>
}

/**
 * The whole bot, wired by createBot as in production, on a real Redis with a fresh
 * prefix. `env` is what an operator would put in .env.
 */
export async function createTestBot(
  env: Record<string, string> = {},
  options: {
    /**
     * The bot's clock. A test whose outcome depends on the date passes a fixed or settable one
     * (support/clock.ts); the default reads the process clock, which `npm run test:dates` moves.
     */
    now?: Clock
    fetch?: FetchLike
    dingtalkStreamTiming?: { reconnectDelayMs?: number; keepAliveMs?: number }
    /** Where the bot logs; by default TEST_LOG_LEVEL decides (silent). */
    log?: Logger
  } = {},
): Promise<TestBot> {
  const { redis, keys, prefix, cleanup: cleanupRedis } = await useTestRedis()
  const bullRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
  const queue = new Queue(QUEUE, { connection: bullRedis, prefix: keys.bullPrefix() })
  const config = loadConfig(env)
  const clock = options.now ?? systemClock
  const bot = createBot({
    config,
    redis,
    keys,
    secretKey: TEST_SECRET_KEY,
    // TEST_LOG_LEVEL=debug shows what the bot logs while a test runs.
    log: options.log ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    now: clock,
    fetch: options.fetch,
    queue,
    dingtalkStreamTiming: options.dingtalkStreamTiming,
  })
  const server = bot.app.callback()
  const cleanup = async () => {
    await bot.dingtalkStream?.stop()
    await queue.obliterate({ force: true })
    await queue.close()
    bullRedis.disconnect()
    await cleanupRedis()
  }
  return { bot, http: supertest(server), redis, keys, prefix, queue, bullRedis, clock, cleanup }
}

/** Sends one sandbox message and returns the reply texts. */
export async function say(
  t: TestBot,
  user: string,
  text: string,
  extra: { chat?: string; id?: string } = {},
): Promise<string[]> {
  const res = await t.http
    .post('/sandbox/messages')
    .send({ user, text, ...extra })
    .expect(200)
  return (res.body as { replies: { text: string }[] }).replies.map((r) => r.text)
}
