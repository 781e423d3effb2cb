import type { Redis } from 'ioredis'
import supertest from 'supertest'
import { createBot, type Bot } from '../../src/compose.js'
import { loadConfig } from '../../src/config.js'
import { createSilentLogger } from '../../src/log.js'
import type { FetchLike } from '../../src/platforms/types.js'
import type { Keys } from '../../src/records/keys.js'
import { useTestRedis } from './redis.js'

export interface TestBot {
  bot: Bot
  http: ReturnType<typeof supertest>
  redis: Redis
  keys: Keys
  prefix: string
  cleanup: () => Promise<void>
}

/**
 * The whole bot, wired by createBot as in production, on a real Redis with a fresh
 * prefix. `env` is what an operator would put in .env.
 */
export async function createTestBot(
  env: Record<string, string> = {},
  options: { now?: () => Date; fetch?: FetchLike } = {},
): Promise<TestBot> {
  const { redis, keys, prefix, cleanup } = await useTestRedis()
  const config = loadConfig(env)
  const bot = createBot({
    config,
    redis,
    keys,
    log: createSilentLogger(),
    now: options.now,
    fetch: options.fetch,
  })
  const server = bot.app.callback()
  return { bot, http: supertest(server), redis, keys, prefix, cleanup }
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
