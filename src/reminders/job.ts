import type { JobsOptions } from 'bullmq'

/**
 * BullMQ queue and job names (style.md §2.3). Job data carries ids and small values only.
 * Job ids must not contain ':' and must not be all digits.
 */
export const QUEUE = 'reminders'

export const JOB = {
  /** Push one reply to one target (a campaign recipient, a late reply). */
  push: 'push',
  /** Deliver one occurrence of a custom reminder (`提醒`), reloaded from the reminder store. */
  reminder: 'reminder',
  /** Run one campaign reminder occurrence: fan out one `push` job per recipient. */
  campaign: 'campaign',
} as const

/** The worker's backoff strategy for sends (jobs/worker.ts): exponential, longer after throttling. */
export const DELIVERY_BACKOFF = 'delivery'

/**
 * Options of every job that sends: retried with the `delivery` backoff, final failures kept
 * (listed by 提醒计划 and the dashboard). Completed jobs are dropped after a week: the
 * sent-ledger, not the job id, is what stops a second send.
 */
export const SEND_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: DELIVERY_BACKOFF },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: false,
}

/** Data of a `reminder` job: the reminder number and which of its occurrences to deliver. */
export interface ReminderJobData {
  reminderId: number
  occurrence: number
}

/** `reminder-<id>-<occurrence>`: the same occurrence is never queued twice while its job exists. */
export function reminderJobId(reminderId: number, occurrence: number): string {
  return `reminder-${reminderId}-${occurrence}`
}
