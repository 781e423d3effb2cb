import { Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWorkers, type RunningWorkers } from '../../jobs/worker.js'
import { createSilentLogger } from '../../src/log.js'
import { SandboxAdapter } from '../../src/platforms/sandbox/adapter.js'
import type { Platform, PlatformAdapter } from '../../src/platforms/types.js'
import { Keys } from '../../src/records/keys.js'
import { RedisOutbox } from '../../src/records/sandbox-outbox.js'
import type { PushJobData } from '../../src/reminders/deliver.js'
import { JOB, QUEUE } from '../../src/reminders/job.js'
import { TEST_REDIS_URL, useTestRedis } from '../support/redis.js'

describe('push worker', () => {
  let env: Awaited<ReturnType<typeof useTestRedis>>
  let bullRedis: Redis
  let queue: Queue
  let events: QueueEvents
  let workers: RunningWorkers
  let outbox: RedisOutbox

  beforeEach(async () => {
    env = await useTestRedis()
    bullRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
    const keys: Keys = env.keys
    outbox = new RedisOutbox(env.redis, keys)
    const adapters = new Map<Platform, PlatformAdapter>([
      ['sandbox', new SandboxAdapter({ outbox })],
    ])
    queue = new Queue(QUEUE, { connection: bullRedis, prefix: keys.bullPrefix() })
    events = new QueueEvents(QUEUE, {
      connection: bullRedis.duplicate(),
      prefix: keys.bullPrefix(),
    })
    await events.waitUntilReady()
    workers = startWorkers({
      bullRedis,
      redis: env.redis,
      keys,
      adapters,
      log: createSilentLogger(),
    })
  })

  afterEach(async () => {
    await workers.close()
    await events.close()
    await queue.obliterate({ force: true })
    await queue.close()
    bullRedis.disconnect()
    await env.cleanup()
  })

  const push = (deliveryId: string, jobId: string): PushJobData & { jobId: string } => ({
    deliveryId,
    jobId,
    chat: { platform: 'sandbox', chatId: 'lisi', isGroup: false },
    reply: { text: '【提醒】交表' },
  })

  it('when a push job runs, the message reaches the sandbox outbox', async () => {
    const { jobId, ...data } = push('d1', 'push-1')

    const job = await queue.add(JOB.push, data, { jobId })
    const result = await job.waitUntilFinished(events, 5000)

    expect(result).toBe('sent')
    expect((await outbox.list(10)).map((m) => [m.chatId, m.text])).toEqual([
      ['lisi', '【提醒】交表'],
    ])
  })

  it('when the same delivery runs twice (a retried or stalled job), sends it once', async () => {
    const first = push('d2', 'push-2a')
    const second = push('d2', 'push-2b')

    await (await queue.add(JOB.push, first, { jobId: first.jobId })).waitUntilFinished(events, 5000)
    const again = await (
      await queue.add(JOB.push, second, { jobId: second.jobId })
    ).waitUntilFinished(events, 5000)

    expect(again).toBe('already-sent')
    expect(await outbox.list(10)).toHaveLength(1)
  })
})
