import { Worker, type Job } from 'bullmq'
import type { Logger } from '../src/log.js'
import type { Keys } from '../src/records/keys.js'
import type { RedisClient } from '../src/records/redis.js'
import { deliverPush, type DeliverDeps, type PushJobData } from '../src/reminders/deliver.js'
import { JOB, QUEUE } from '../src/reminders/job.js'

export interface WorkerDeps extends Omit<DeliverDeps, 'redis'> {
  /** A connection made with the `bullmq` profile (maxRetriesPerRequest: null). */
  bullRedis: RedisClient
  /** The connection the ledger and records use. */
  redis: RedisClient
  keys: Keys
  log: Logger
  /** @defaultValue 4 */
  concurrency?: number
}

export interface RunningWorkers {
  isRunning(): boolean
  /** Stops taking jobs and waits for the ones in progress. */
  close(): Promise<void>
}

/** Starts the BullMQ workers of the `worker` role. */
export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const log = deps.log.child({ logger: 'bot:worker' })
  const worker = new Worker(
    QUEUE,
    async (job: Job) => {
      switch (job.name) {
        case JOB.push:
          return deliverPush(deps, job.data as PushJobData)
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
    },
  )
  worker.on('error', (err) => log.error({ err }, 'worker error'))
  worker.on('failed', (job, err) =>
    log.warn(
      { job: job?.name, id: job?.id, attempts: job?.attemptsMade, err: err.message },
      'job failed',
    ),
  )
  return {
    isRunning: () => worker.isRunning(),
    close: () => worker.close(),
  }
}
