import { DelayedError, Worker, type Job, type Queue } from 'bullmq'
import { PlatformApiError } from '../src/errors.js'
import type { Logger } from '../src/log.js'
import { CampaignLedger } from '../src/records/campaign-ledger.js'
import type { Keys } from '../src/records/keys.js'
import type { RedisClient } from '../src/records/redis.js'
import type { ReminderStore } from '../src/records/reminder-store.js'
import type { WorkCalendar } from '../src/reminders/calendar.js'
import {
  runCampaign,
  type AllowanceDeadlineSource,
  type CampaignContent,
  type CampaignJobData,
} from '../src/reminders/campaigns.js'
import {
  deliverPush,
  deliverReminder,
  type DeliverDeps,
  type DeliveryOutcome,
  type PushJobData,
} from '../src/reminders/deliver.js'
import { JOB, QUEUE, type ReminderJobData } from '../src/reminders/job.js'
import { CampaignPlanner, ReminderScheduler } from '../src/reminders/scheduler.js'
import { bullmqInstantAfter } from '../src/time/clock.js'

export interface WorkerDeps extends Omit<DeliverDeps, 'redis' | 'keys' | 'log'> {
  /** A connection made with the `bullmq` profile (maxRetriesPerRequest: null). */
  bullRedis: RedisClient
  /** The connection the ledgers and records use. */
  redis: RedisClient
  keys: Keys
  log: Logger
  /** The `reminders` queue: weekly reminders queue their next occurrence, campaigns fan out. */
  queue: Queue
  reminders: ReminderStore
  calendar: WorkCalendar
  deadlines: AllowanceDeadlineSource
  content: CampaignContent
  /** @defaultValue 4 */
  concurrency?: number
  /** First retry delay, ms; doubled per attempt. @defaultValue 5000 */
  backoffMs?: number
  /** BullMQ lock duration, ms; a killed worker's job returns after it. @defaultValue 30000 */
  lockDurationMs?: number
  /** BullMQ stalled-job check interval, ms. @defaultValue 30000 */
  stalledIntervalMs?: number
  /** Plan campaign jobs and requeue pending reminders at start. @defaultValue true */
  planOnStart?: boolean
  /** Campaign planning lease, ms. @defaultValue 60000 */
  leaseMs?: number
}

export interface RunningWorkers {
  isRunning(): boolean
  /** Settles once start-up planning and reminder reconciliation ran (failures are logged). */
  started: Promise<void>
  planner: CampaignPlanner
  /** Stops taking jobs and waits for the ones in progress; `force` abandons them (tests). */
  close(options?: { force?: boolean }): Promise<void>
}

/** Longest wait between two attempts of a send. */
const MAX_BACKOFF_MS = 60 * 60_000

/**
 * Retry delay after attempt `attemptsMade` failed with `err`: exponential from `baseMs` with
 * up to 20% jitter (a vendor outage fails many jobs at once), at least the vendor's block time
 * after a throttling error.
 */
export function deliveryBackoff(attemptsMade: number, baseMs: number, err?: Error): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1))
  const delay = Math.round(exponential * (1 + Math.random() * 0.2))
  if (err instanceof PlatformApiError) {
    // developer.work.weixin.qq.com/document/path/90312: a per-minute limit blocks for 60 s.
    if (err.platform === 'wecom' && (err.code === 45009 || err.code === 45033)) {
      return Math.max(delay, 60_000)
    }
    // open.dingtalk.com/document/orgapp/custom-robot-access: over 20 a minute → 10 minutes' throttle.
    if (err.platform === 'dingtalk' && String(err.code) === '130101') {
      return Math.max(delay, 10 * 60_000)
    }
  }
  return delay
}

/**
 * Starts the BullMQ worker of the `worker` role (pushes, custom reminders, campaign runs) and,
 * unless `planOnStart` is false, plans campaign jobs and requeues pending reminders.
 */
export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const log = deps.log.child({ logger: 'bot:worker' })
  const deliverDeps: DeliverDeps = Object.assign({}, deps, { log })
  const scheduler = new ReminderScheduler({ queue: deps.queue, now: deps.now })
  const ledger = new CampaignLedger(deps.redis, deps.keys)
  const planner = new CampaignPlanner({
    queue: deps.queue,
    ledger,
    calendar: deps.calendar,
    deadlines: deps.deadlines,
    timezone: deps.timezone,
    log,
    now: deps.now,
    leaseMs: deps.leaseMs,
  })

  const replan = async () => {
    try {
      await planner.plan()
    } catch (err) {
      log.error({ err }, 'campaign planning failed')
    }
  }

  const worker = new Worker(
    QUEUE,
    async (job: Job, token?: string) => {
      switch (job.name) {
        case JOB.push:
          return finish(job, token, await deliverPush(deliverDeps, job.data as PushJobData))
        case JOB.reminder:
          return finish(
            job,
            token,
            await deliverReminder(
              Object.assign({}, deliverDeps, {
                reminders: deps.reminders,
                scheduleOccurrence: (...args: Parameters<typeof scheduler.scheduleOccurrence>) =>
                  scheduler.scheduleOccurrence(...args),
              }),
              job.data as ReminderJobData,
            ),
          )
        case JOB.campaign: {
          const outcome = await runCampaign(
            {
              ledger,
              content: deps.content,
              calendar: deps.calendar,
              deadlines: deps.deadlines,
              timezone: deps.timezone,
              enqueuePushes: (pushes) => scheduler.enqueuePushes(pushes),
              log,
              now: deps.now,
            },
            job.data as CampaignJobData,
          )
          if (outcome.status === 'postponed') return finish(job, token, outcome)
          // The next year's campaign is planned as this one's reminders are used up.
          await replan()
          return outcome.status
        }
        default:
          log.warn({ job: job.name, id: job.id }, 'unknown job name; skipped')
          return undefined
      }
    },
    {
      connection: deps.bullRedis,
      prefix: deps.keys.bullPrefix(),
      concurrency: deps.concurrency ?? 4,
      // A delivery killed mid-send comes back after the lock expires; the default of one
      // stall would fail it for good even with retries left (style.md §2.10).
      maxStalledCount: 5,
      lockDuration: deps.lockDurationMs ?? 30_000,
      stalledInterval: deps.stalledIntervalMs ?? 30_000,
      settings: {
        // Every job that retries names DELIVERY_BACKOFF (SEND_JOB_OPTIONS).
        backoffStrategy: (attemptsMade, _type, err) =>
          deliveryBackoff(attemptsMade, deps.backoffMs ?? 5000, err),
      },
    },
  )
  worker.on('error', (err) => log.error({ err }, 'worker error'))
  worker.on('failed', (job, err) =>
    log.warn(
      { job: job?.name, id: job?.id, attempts: job?.attemptsMade, err: err.message },
      'job failed',
    ),
  )

  const started =
    deps.planOnStart === false
      ? Promise.resolve()
      : (async () => {
          await replan()
          try {
            const count = await scheduler.reconcile(deps.reminders)
            if (count > 0) log.info({ count }, 'pending reminders requeued')
          } catch (err) {
            log.error({ err }, 'requeueing pending reminders failed')
          }
        })()

  return {
    isRunning: () => worker.isRunning(),
    started,
    planner,
    close: async (options) => {
      await started
      await worker.close(options?.force ?? false)
    },
  }
}

/**
 * The job's return value, or, for a postponed delivery, moves the job back to delayed: not a
 * failed attempt (BullMQ's manual delay, docs/gitbook/patterns/process-step-jobs.md).
 */
async function finish(
  job: Job,
  token: string | undefined,
  outcome: DeliveryOutcome | { status: 'postponed'; delayMs: number },
): Promise<string> {
  if (outcome.status !== 'postponed') return outcome.status
  await job.moveToDelayed(bullmqInstantAfter(outcome.delayMs), token)
  throw new DelayedError()
}
