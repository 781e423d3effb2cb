import { randomUUID } from 'node:crypto'
import type { Job, Queue } from 'bullmq'
import type { Logger } from '../log.js'
import { delayUntil, type Clock } from '../time/clock.js'
import type { CampaignLedger } from '../records/campaign-ledger.js'
import type { Reminder, ReminderStore } from '../records/reminder-store.js'
import { OCCASIONS, type Occasion, type WorkCalendar } from './calendar.js'
import {
  campaignOccurrenceId,
  campaignOccurrences,
  LATE_AFTER_MS,
  type AllowanceDeadlineSource,
  type CampaignJobData,
} from './campaigns.js'
import { describeTarget, type PushJobData } from './deliver.js'
import { JOB, reminderJobId, SEND_JOB_OPTIONS, type ReminderJobData } from './job.js'

/** addBulk in chunks this size: one round trip per chunk, without one huge pipeline. */
const BULK_CHUNK = 1000
const CHUNKS_IN_FLIGHT = 4

/** A delivery that finally failed (attempts used up, or a permanent error). */
export interface FailedDelivery {
  jobId: string
  /** What it was: `提醒 #12`, `campaign-bayi-2027-07-16`, or the push's target. */
  subject: string
  reason: string
  failedAt: Date | undefined
  attempts: number
}

export interface ReminderSchedulerOptions {
  queue: Queue
  /** The bot's clock: a job's delay is its due time less `now()`. */
  now: Clock
}

/**
 * The bot's side of the `reminders` queue: queues reminder occurrences and pushes with
 * deterministic ids, takes cancelled ones off, and lists final failures (`提醒计划`).
 */
export class ReminderScheduler {
  private readonly queue: Queue
  private readonly now: Clock

  constructor(options: ReminderSchedulerOptions) {
    this.queue = options.queue
    this.now = options.now
  }

  /** Queues `reminder`'s pending occurrence at its `at`. Adding it again is a no-op. */
  async scheduleReminder(reminder: Reminder): Promise<void> {
    await this.scheduleOccurrence(reminder, reminder.occurrence, new Date(reminder.at))
  }

  /** Queues occurrence `occurrence` of `reminder` to run at `at` (now if `at` has passed). */
  async scheduleOccurrence(reminder: Reminder, occurrence: number, at: Date): Promise<void> {
    const data: ReminderJobData = { reminderId: reminder.id, occurrence }
    await this.queue.add(
      JOB.reminder,
      data,
      Object.assign({}, SEND_JOB_OPTIONS, {
        jobId: reminderJobId(reminder.id, occurrence),
        delay: delayUntil(at, this.now()),
      }),
    )
  }

  /**
   * Takes a cancelled reminder's waiting job off the queue. Best effort: a job already running
   * reloads the record and finds it cancelled.
   */
  async unscheduleReminder(reminder: Reminder): Promise<void> {
    await this.queue.remove(reminderJobId(reminder.id, reminder.occurrence))
  }

  /**
   * Queues the jobs of every pending reminder that lacks one (a crash between storing the
   * record and adding its job). Returns how many reminders were looked at.
   */
  async reconcile(store: ReminderStore): Promise<number> {
    const pending = await store.allPending()
    for (const reminder of pending) await this.scheduleReminder(reminder)
    return pending.length
  }

  /**
   * Adds one `push` job per item with job id = delivery id, in chunks, a few in flight so
   * building the next chunk overlaps Redis running the last (order does not matter).
   */
  async enqueuePushes(pushes: readonly PushJobData[]): Promise<void> {
    let next = 0
    const addChunks = async () => {
      while (next < pushes.length) {
        const chunk = pushes.slice(next, next + BULK_CHUNK)
        next += BULK_CHUNK
        await this.queue.addBulk(
          chunk.map((data) => ({
            name: JOB.push,
            data,
            opts: Object.assign({}, SEND_JOB_OPTIONS, { jobId: data.deliveryId }),
          })),
        )
      }
    }
    await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, addChunks))
  }

  /** How many deliveries finally failed, and the newest `limit` of them. */
  async failedDeliveries(limit: number): Promise<{ total: number; recent: FailedDelivery[] }> {
    const [total, jobs] = await Promise.all([
      this.queue.getFailedCount(),
      limit > 0 ? this.queue.getFailed(0, limit - 1) : Promise.resolve([]),
    ])
    return { total, recent: jobs.filter((j) => j !== undefined).map(toFailedDelivery) }
  }
}

function toFailedDelivery(job: Job): FailedDelivery {
  return {
    jobId: job.id ?? '',
    subject: subjectOf(job),
    reason: job.failedReason ?? '',
    failedAt: job.finishedOn === undefined ? undefined : new Date(job.finishedOn),
    attempts: job.attemptsMade,
  }
}

function subjectOf(job: Job): string {
  switch (job.name) {
    case JOB.reminder: {
      const data = job.data as ReminderJobData
      return `提醒 #${data.reminderId}`
    }
    case JOB.campaign: {
      const data = job.data as CampaignJobData
      return `${data.occasion}${data.year} 提醒（${data.sendOn}）`
    }
    case JOB.push: {
      const data = job.data as PushJobData
      return data.target ? describeTarget(data.target) : (job.id ?? '')
    }
    default:
      return job.id ?? job.name
  }
}

// ---------------------------------------------------------------------------------------
// Campaign planning

export interface CampaignPlannerDeps {
  queue: Queue
  ledger: CampaignLedger
  calendar: WorkCalendar
  deadlines: AllowanceDeadlineSource
  timezone: string
  log: Logger
  now: Clock
  /** This process's lease token. @defaultValue a random UUID */
  owner?: string
  /** How long a planning lease lasts, ms. @defaultValue 60000 */
  leaseMs?: number
  /** @defaultValue OCCASIONS */
  occasions?: readonly Occasion[]
}

export interface PlanResult {
  /** False when another process holds the lease: it plans, this one does nothing. */
  planned: boolean
  /** Ids of the campaign jobs queued ahead (already queued ones included; adding is idempotent). */
  upcoming: string[]
  /** Ids of occurrences due in the last 24 h, not in the ledger, queued to run now. */
  caughtUp: string[]
}

/**
 * Plans campaign reminders as one-shot delayed jobs with fixed ids (`campaign-bayi-2027-07-16`)
 * rather than job schedulers: a scheduler upserted by several replicas at boot has produced
 * duplicates (style.md §2.10), while a fixed id cannot be queued twice and the campaign ledger
 * stops a second run. One process plans at a time, the holder of a Redis lease.
 */
export class CampaignPlanner {
  private readonly owner: string

  constructor(private readonly deps: CampaignPlannerDeps) {
    this.owner = deps.owner ?? randomUUID()
  }

  /**
   * At start-up and after each campaign run: queue every campaign reminder still ahead (last
   * year's to next year's campaigns) and run once any due in the last 24 hours that the ledger
   * does not have (it was never queued, e.g. no process was planning). Lease-guarded.
   */
  async plan(): Promise<PlanResult> {
    const { deps } = this
    const held = await deps.ledger.takePlanningLease(this.owner, deps.leaseMs ?? 60_000)
    if (!held) return { planned: false, upcoming: [], caughtUp: [] }

    const now = deps.now()
    const occurrences = campaignOccurrences(
      now,
      deps.timezone,
      deps.calendar,
      await deps.deadlines.deadlines(),
      deps.occasions ?? OCCASIONS,
    ).filter((o) => o.due.getTime() > now.getTime() - LATE_AFTER_MS)
    const ran = await deps.ledger.ran(occurrences.map(campaignOccurrenceId))

    const upcoming: string[] = []
    const caughtUp: string[] = []
    for (const { due, ...occurrence } of occurrences) {
      const id = campaignOccurrenceId(occurrence)
      if (ran.has(id)) continue
      const ahead = due.getTime() > now.getTime()
      const data: CampaignJobData = occurrence
      await deps.queue.add(
        JOB.campaign,
        data,
        Object.assign({}, SEND_JOB_OPTIONS, {
          jobId: id,
          delay: delayUntil(due, now),
        }),
      )
      ;(ahead ? upcoming : caughtUp).push(id)
    }
    if (caughtUp.length > 0) {
      deps.log.warn({ caughtUp }, 'campaign reminders due in the last 24 h were never run; running')
    }
    return { planned: true, upcoming, caughtUp }
  }
}
