import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { startWorkers } from '../../jobs/worker.js'
import { createSilentLogger } from '../../src/log.js'
import { SandboxAdapter } from '../../src/platforms/sandbox/adapter.js'
import type { Platform, PlatformAdapter } from '../../src/platforms/types.js'
import { CampaignLedger } from '../../src/records/campaign-ledger.js'
import { ReminderStore } from '../../src/records/reminder-store.js'
import { RedisOutbox } from '../../src/records/sandbox-outbox.js'
import { createWorkCalendar } from '../../src/reminders/calendar.js'
import {
  NO_CONFIGURED_DEADLINES,
  runCampaign,
  type CampaignContent,
  type CampaignMessage,
} from '../../src/reminders/campaigns.js'
import type { PushJobData } from '../../src/reminders/deliver.js'
import { JOB, QUEUE, SEND_JOB_OPTIONS } from '../../src/reminders/job.js'
import { ReminderScheduler } from '../../src/reminders/scheduler.js'
import { TEST_REDIS_URL, useTestRedis } from '../support/redis.js'
import { benchLine } from './support.js'
import { systemClock } from '../../src/time/clock.js'

const RECIPIENTS = 100_000
const DISPATCHED = 20_000
const ROUNDS = 3
const CONCURRENCY = 50
const BULK_CHUNK = 1000

// 八一 2027's first reminder, run at its 09:00 (Asia/Shanghai).
const OCCURRENCE = { occasion: '八一' as const, year: 2027, offset: 14, sendOn: '2027-07-16' }
const AT_NINE = new Date('2027-07-16T01:00:00Z')

/** A fresh prefix, its Redis connections and queue; `done()` removes every key it made. */
async function useQueue() {
  const env = await useTestRedis()
  const bullRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
  const queue = new Queue(QUEUE, { connection: bullRedis, prefix: env.keys.bullPrefix() })
  const done = async () => {
    await queue.obliterate({ force: true, count: 10_000 })
    await queue.close()
    bullRedis.disconnect()
    await env.cleanup()
  }
  return { ...env, bullRedis, queue, done }
}

/** Resolves once nothing waits, runs or is delayed in `queue` (polled: the bench's clock only). */
async function drained(queue: Queue): Promise<void> {
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
    if (Object.values(counts).every((n) => n === 0)) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * Planning and enqueueing one campaign reminder for 100,000 recipients (runCampaign: ledger,
 * calendar check, contents, delivery ids, addBulk with deterministic ids and retry options)
 * against a raw addBulk of 100,000 trivial jobs, both in this run. Target ≤ 10 s.
 */
export async function benchCampaignEnqueue(): Promise<string[]> {
  const raw = await useQueue()
  let baselineMs: number
  try {
    const started = performance.now()
    for (let i = 0; i < RECIPIENTS; i += BULK_CHUNK) {
      await raw.queue.addBulk(
        Array.from({ length: Math.min(BULK_CHUNK, RECIPIENTS - i) }, (_, j) => ({
          name: 'noop',
          data: { i: i + j },
        })),
      )
    }
    baselineMs = performance.now() - started
  } finally {
    await raw.done()
  }

  const ours = await useQueue()
  let oursMs: number
  try {
    const content: CampaignContent = {
      messagesFor: async () =>
        Array.from({ length: RECIPIENTS }, (_, i): CampaignMessage => ({
          target: { kind: 'chat', chat: { platform: 'sandbox', chatId: `u${i}`, isGroup: false } },
          reply: {
            text: `【八一走访提醒】距八一还有 16 天（08-01 周日）。铁炉嘴村尚有 ${i % 7} 户未走访。`,
          },
        })),
    }
    const scheduler = new ReminderScheduler({ queue: ours.queue, now: () => AT_NINE })
    const started = performance.now()
    const outcome = await runCampaign(
      {
        ledger: new CampaignLedger(ours.redis, ours.keys),
        content,
        calendar: createWorkCalendar(),
        deadlines: NO_CONFIGURED_DEADLINES,
        timezone: 'Asia/Shanghai',
        enqueuePushes: (pushes) => scheduler.enqueuePushes(pushes),
        log: createSilentLogger(),
        now: () => AT_NINE,
      },
      OCCURRENCE,
    )
    oursMs = performance.now() - started
    if (outcome.status !== 'sent' || (await ours.queue.getWaitingCount()) !== RECIPIENTS) {
      throw new Error(`campaign bench enqueued the wrong jobs: ${JSON.stringify(outcome)}`)
    }
  } finally {
    await ours.done()
  }

  const verdict = oursMs <= 10_000 ? 'within' : 'OVER'
  return [
    benchLine(
      'campaign-enqueue-100k',
      `${(oursMs / 1000).toFixed(2)} s for ${RECIPIENTS} pushes [${verdict} the 10 s target]`,
      `raw addBulk of ${RECIPIENTS} trivial jobs ${(baselineMs / 1000).toFixed(2)} s`,
      baselineMs / oursMs,
    ),
  ]
}

/**
 * Dispatch throughput to the sandbox with limits lifted (ledger claim, outbox push, sent mark
 * per job) against a no-op BullMQ worker on jobs with the same options, both at the same
 * concurrency over 20,000 jobs queued beforehand. The machine is shared, so the two alternate
 * for three rounds and the best of each is compared. Target ratio ≥ 0.5.
 */
export async function benchDispatchSandbox(): Promise<string[]> {
  const baseline: number[] = []
  const ours: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(await dispatchNoop())
    ours.push(await dispatchSandbox())
  }
  const best = (xs: number[]) => Math.max(...xs)
  return [
    benchLine(
      'dispatch-sandbox',
      `${Math.round(best(ours))} deliveries/s over ${DISPATCHED} at concurrency ${CONCURRENCY} (best of ${ROUNDS})`,
      `no-op BullMQ worker ${Math.round(best(baseline))} jobs/s`,
      best(ours) / best(baseline),
    ),
  ]
}

/** Jobs per second of a worker that does nothing. */
async function dispatchNoop(): Promise<number> {
  const noop = await useQueue()
  try {
    // The same job options and ids as the pushes: the ratio is what our processing adds.
    await addInChunks(noop.queue, (i) => ({
      name: 'noop',
      data: { i },
      opts: { ...SEND_JOB_OPTIONS, jobId: `noop-${i}` },
    }))
    const started = performance.now()
    const worker = new Worker(QUEUE, async () => 'ok', {
      connection: noop.bullRedis,
      prefix: noop.keys.bullPrefix(),
      concurrency: CONCURRENCY,
    })
    await drained(noop.queue)
    const perSecond = DISPATCHED / ((performance.now() - started) / 1000)
    await worker.close()
    return perSecond
  } finally {
    await noop.done()
  }
}

/** Deliveries per second of the real worker to the sandbox outbox, limits lifted. */
async function dispatchSandbox(): Promise<number> {
  const ours = await useQueue()
  try {
    const outbox = new RedisOutbox(ours.redis, ours.keys)
    const adapters = new Map<Platform, PlatformAdapter>([
      ['sandbox', new SandboxAdapter({ outbox, now: systemClock })],
    ])
    await addInChunks(ours.queue, (i) => {
      const data: PushJobData = {
        deliveryId: `bench-${i}`,
        target: { kind: 'chat', chat: { platform: 'sandbox', chatId: `u${i}`, isGroup: false } },
        reply: { text: `【提醒 #${i}】交表` },
      }
      return { name: JOB.push, data, opts: { ...SEND_JOB_OPTIONS, jobId: data.deliveryId } }
    })
    const started = performance.now()
    const workers = startWorkers({
      bullRedis: ours.bullRedis,
      redis: ours.redis,
      keys: ours.keys,
      log: createSilentLogger(),
      queue: ours.queue,
      adapters,
      reminders: new ReminderStore(ours.redis, ours.keys),
      calendar: createWorkCalendar(),
      deadlines: NO_CONFIGURED_DEADLINES,
      content: { messagesFor: async () => [] },
      timezone: 'Asia/Shanghai',
      limits: false,
      now: systemClock,
      concurrency: CONCURRENCY,
      planOnStart: false,
    })
    await drained(ours.queue)
    const perSecond = DISPATCHED / ((performance.now() - started) / 1000)
    await workers.close()
    const failed = await ours.queue.getFailedCount()
    if (failed > 0) throw new Error(`${failed} sandbox deliveries failed in the bench`)
    return perSecond
  } finally {
    await ours.done()
  }
}

type BulkJob = { name: string; data: unknown; opts: Record<string, unknown> }

async function addInChunks(queue: Queue, job: (i: number) => BulkJob): Promise<void> {
  for (let i = 0; i < DISPATCHED; i += BULK_CHUNK) {
    await queue.addBulk(
      Array.from({ length: Math.min(BULK_CHUNK, DISPATCHED - i) }, (_, j) => job(i + j)),
    )
  }
}
