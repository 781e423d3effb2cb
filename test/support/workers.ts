import { QueueEvents } from 'bullmq'
import { startWorkers, type RunningWorkers, type WorkerDeps } from '../../jobs/worker.js'
import { createSilentLogger } from '../../src/log.js'
import { QUEUE } from '../../src/reminders/job.js'
import type { TestBot } from './bot.js'
import { TEST_REDIS_URL } from './redis.js'

/**
 * The worker role of a test bot, wired as main.ts wires it (on the bot's clock), with a short retry backoff and no
 * start-up planning unless `overrides` say otherwise. Close it before `t.cleanup()`.
 */
export function startTestWorkers(t: TestBot, overrides: Partial<WorkerDeps> = {}): RunningWorkers {
  return startWorkers({
    bullRedis: t.bullRedis,
    redis: t.redis,
    keys: t.keys,
    log: createSilentLogger(),
    queue: t.queue,
    adapters: t.bot.adapters,
    robots: t.bot.reminders.robots,
    reminders: t.bot.reminders.store,
    calendar: t.bot.reminders.calendar,
    deadlines: t.bot.reminders.deadlines,
    content: t.bot.reminders.content,
    timezone: 'Asia/Shanghai',
    now: t.clock,
    backoffMs: 10,
    planOnStart: false,
    ...overrides,
  })
}

/** QueueEvents of the test bot's queue, ready to be listened to. Close it before cleanup. */
export async function queueEventsOf(t: TestBot): Promise<QueueEvents> {
  const url = new URL(TEST_REDIS_URL)
  // Connection options rather than a client: QueueEvents then owns the connection and closes it.
  const events = new QueueEvents(QUEUE, {
    connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
    prefix: t.keys.bullPrefix(),
  })
  await events.waitUntilReady()
  return events
}
