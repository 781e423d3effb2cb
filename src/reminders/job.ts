/**
 * BullMQ queue and job names (style.md §2.3). Job data carries ids and small values only.
 * Job ids must not contain ':' and must not be all digits.
 */
export const QUEUE = 'reminders'

export const JOB = {
  /** Push one reply to one chat (late replies, reminders). */
  push: 'push',
} as const
