import type { Logger } from '../log.js'
import type { Reply } from '../platforms/types.js'
import type { CampaignLedger } from '../records/campaign-ledger.js'
import { localDateOf, partsOf, type LocalDate } from '../time/local-date.js'
import {
  campaignReminderDates,
  reminderInstant,
  type Occasion,
  type WorkCalendar,
} from './calendar.js'
import { targetKey, type PushJobData, type PushTarget } from './deliver.js'
import { isQuietHour, nextSendableInstant } from './quiet-hours.js'
import type { Clock } from '../time/clock.js'

/** ASCII names of the occasions, for job ids (`campaign-bayi-2027-07-16`). */
export const OCCASION_SLUGS: Readonly<Record<Occasion, string>> = {
  八一: 'bayi',
  春节: 'chunjie',
  元旦: 'yuandan',
  优待金截止: 'youdaijin',
}

/** One campaign reminder: `occasion` of `year`, sent on `sendOn` at 09:00, `offset` days before. */
export interface CampaignOccurrence {
  occasion: Occasion
  year: number
  offset: number
  sendOn: LocalDate
}

/** Data of a `campaign` job. */
export type CampaignJobData = CampaignOccurrence

/** `campaign-<occasion slug>-<sendOn>`: the job id and the campaign-ledger field. */
export function campaignOccurrenceId(o: Pick<CampaignOccurrence, 'occasion' | 'sendOn'>): string {
  return `campaign-${OCCASION_SLUGS[o.occasion]}-${o.sendOn}`
}

/** Each year's allowance deadline (`优待金截止`); years absent use July 31. */
export interface AllowanceDeadlineSource {
  deadlines(): Promise<Map<number, LocalDate>>
}

/** No deadline configured for any year (every year's deadline is July 31). */
export const NO_CONFIGURED_DEADLINES: AllowanceDeadlineSource = {
  deadlines: async () => new Map(),
}

/** One campaign message for one recipient. */
export interface CampaignMessage {
  target: PushTarget
  reply: Reply
}

/**
 * Who receives what for one campaign reminder. The seam between scheduling and contents:
 * nobody may get an empty reminder, so a recipient with nothing to do is simply left out.
 */
export interface CampaignContent {
  messagesFor(occasion: Occasion, year: number, sendOn: LocalDate): Promise<CampaignMessage[]>
}

/** A campaign reminder found more than this long after it was due is not sent (missed-run rule). */
export const LATE_AFTER_MS = 24 * 3600 * 1000

export interface CampaignRunDeps {
  ledger: CampaignLedger
  content: CampaignContent
  calendar: WorkCalendar
  deadlines: AllowanceDeadlineSource
  timezone: string
  /** Adds one `push` job per message, ids deterministic (ReminderScheduler.enqueuePushes). */
  enqueuePushes(pushes: PushJobData[]): Promise<void>
  log: Logger
  now: Clock
}

export type CampaignRunOutcome =
  | { status: 'sent'; recipients: number }
  | { status: 'already-run' | 'late' | 'obsolete' }
  | { status: 'postponed'; delayMs: number; reason: 'quiet-hours' }

/**
 * Runs one campaign reminder occurrence once: skips it when the ledger has it, when it is no
 * longer one of the campaign's reminder dates (a deadline changed), or when it is over 24 h
 * late; waits out quiet hours; else enqueues one push per recipient and records it. Running it
 * again after a crash re-adds the same job ids and the sent-ledger stops any second send.
 */
export async function runCampaign(
  deps: CampaignRunDeps,
  data: CampaignJobData,
): Promise<CampaignRunOutcome> {
  const id = campaignOccurrenceId(data)
  const now = deps.now()
  if (await deps.ledger.get(id)) return { status: 'already-run' }

  const deadlines = await deps.deadlines.deadlines()
  const current = campaignReminderDates(data.occasion, data.year, deps.calendar, deadlines)
  if (!current.some((r) => r.sendOn === data.sendOn)) {
    deps.log.warn({ campaign: id }, 'campaign reminder date no longer planned; skipped')
    await deps.ledger.record(id, { outcome: 'obsolete', at: now.toISOString(), recipients: 0 })
    return { status: 'obsolete' }
  }
  const due = reminderInstant(data.sendOn, deps.timezone)
  if (now.getTime() - due.getTime() > LATE_AFTER_MS) {
    deps.log.warn({ campaign: id, due }, 'campaign reminder over 24 h late; not sent')
    await deps.ledger.record(id, { outcome: 'late', at: now.toISOString(), recipients: 0 })
    return { status: 'late' }
  }
  if (isQuietHour(now, deps.timezone)) {
    const until = nextSendableInstant(now, deps.timezone)
    return { status: 'postponed', delayMs: until.getTime() - now.getTime(), reason: 'quiet-hours' }
  }

  const messages = await deps.content.messagesFor(data.occasion, data.year, data.sendOn)
  await deps.enqueuePushes(
    messages.map((m) => ({
      deliveryId: `${id}-${targetKey(m.target)}`,
      target: m.target,
      reply: m.reply,
      quietHours: true,
      dropRepeats: true,
    })),
  )
  await deps.ledger.record(id, {
    outcome: 'sent',
    at: now.toISOString(),
    recipients: messages.length,
  })
  deps.log.info({ campaign: id, recipients: messages.length }, 'campaign reminder fanned out')
  return { status: 'sent', recipients: messages.length }
}

/**
 * Every campaign reminder occurrence of the campaigns from last year to next year, earliest
 * first: the planner keeps those ahead of `now` and catches up those due in the last 24 h.
 */
export function campaignOccurrences(
  now: Date,
  timezone: string,
  calendar: WorkCalendar,
  deadlines: ReadonlyMap<number, LocalDate>,
  occasions: readonly Occasion[],
): (CampaignOccurrence & { due: Date })[] {
  const { year } = partsOf(localDateOf(now, timezone))
  const all: (CampaignOccurrence & { due: Date })[] = []
  for (const occasion of occasions) {
    for (let y = year - 1; y <= year + 1; y++) {
      for (const r of campaignReminderDates(occasion, y, calendar, deadlines)) {
        all.push({
          occasion,
          year: y,
          offset: r.offset,
          sendOn: r.sendOn,
          due: reminderInstant(r.sendOn, timezone),
        })
      }
    }
  }
  return all.sort((a, b) => a.due.getTime() - b.due.getTime())
}
