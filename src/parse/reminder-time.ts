import { addDays, instantAt, type LocalDate } from '../time/local-date.js'
import { decodeChineseInteger } from './amount.js'
import { scanDates, todayIn, type DateMatch } from './date.js'

/**
 * When a `提醒` command fires: `5分钟后 交表`, `明天上午9点 联系武警中队`, `每周一 9点 报数`,
 * `每天早上8点 报数`, `八一前一周 9点`, `腊月二十 9点`. Input is expected to be folded already;
 * nothing here throws. docs/dates.md states the rules.
 */

/** When, without the text: a one-off instant, or a wall-clock time repeated weekly or daily. */
export type ReminderTiming =
  | { kind: 'once'; at: Date }
  | {
      kind: 'weekly'
      /** 0 = Sunday … 6 = Saturday, as weekdayOf in src/time/local-date.ts. */
      weekday: number
      /** Wall clock in the bot's time zone. */
      hour: number
      minute: number
    }
  | { kind: 'daily'; hour: number; minute: number }

export type ReminderTime = ReminderTiming & {
  /** The reminder's text: what is left once the time words (and a leading 我) are cut out. */
  rest: string
  /**
   * Set when a bare hour 1–6 (`3点`) was read as the afternoon: nobody sets a reminder for
   * 03:00 without saying 凌晨, so the reply says which was taken.
   */
  afternoonAssumed?: true
}

export interface ReminderTimeOptions {
  now: Date
  /** IANA zone the wall-clock times are in (BOT_TIMEZONE). */
  timezone: string
}

/** "A date without a time defaults to 09:00" (the brief); a bare part of day gets its own hour. */
const DEFAULT_HOUR = 9
const PERIOD_DEFAULT_HOUR: Record<string, number | undefined> = {
  早上: 8,
  早晨: 8,
  清晨: 8,
  早: 8,
  上午: 9,
  中午: 12,
  午后: 15,
  下午: 15,
  傍晚: 18,
  晚上: 20,
  晚间: 20,
  晚: 20,
  夜里: 21,
  夜间: 21,
  夜: 21,
}
/** A year ahead is as far as a one-off reminder sensibly goes. */
const MAX_DELAY_MINUTES = 366 * 24 * 60

const CN_SMALL = '零一二两三四五六七八九十'
const PERIOD = '上午|早上|早晨|清晨|凌晨|中午|午后|下午|傍晚|晚上|晚间|夜里|夜间'
const SHORT_PERIOD = '早|晚|夜'
const CLOCK =
  `(?:(?<hh>\\d{1,2}):(?<mm>\\d{2})(?!\\d)` +
  `|(?<hour>\\d{1,2}|[${CN_SMALL}]{1,3})[点时](?:钟)?(?<fraction>半|一刻|三刻|(?<minute>\\d{1,2}|[${CN_SMALL}]{1,3})分?)?)`
const CLOCK_AT = new RegExp(`\\s*(?<period>${PERIOD})?\\s*(?:${CLOCK})?`, 'y')
const CLOCK_AT_SHORT = new RegExp(`\\s*(?<period>${PERIOD}|${SHORT_PERIOD})?\\s*(?:${CLOCK})?`, 'y')

const WEEKLY_AT = /每个?(?:周|星期|礼拜)([一二三四五六日天])/y
const DAILY_AT = /每(?:天|日)/y
/**
 * Said before the time, `我` is who to remind, not what: `提醒我 明天9点 开会`, `提醒我们3点…`;
 * `我们村…` is no such word, so a time word (or a blank) must follow.
 */
const WHO_FIRST =
  /^(?:我们?|咱们?)(?:\s+|(?=[今明后大下上这本每凌早晚中午傍夜周星礼腊正冬农除八元春半\d一二两三四五六七八九十]))/
const DURATION_AT = new RegExp(
  `(?:(\\d+|[${CN_SMALL}百]+|半)个?(半)?(分钟|小时|个?钟头)|(一刻钟))(?:以后|之后|后)`,
  'y',
)
const SUNDAY_FIRST: Record<string, number> = {
  日: 0,
  天: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
}

interface Clock {
  hour: number
  minute: number
  end: number
  afternoonAssumed?: true
}

interface Found {
  time: ReminderTiming
  end: number
  afternoonAssumed?: true
}

/**
 * When a reminder fires (`once.at` an exact instant; `weekly` a wall-clock time in `timezone`)
 * and its text. `undefined` when no time is found; `at` may be past (`今天上午9点` at 10:00).
 */
export function parseReminderTime(
  text: string,
  options: ReminderTimeOptions,
): ReminderTime | undefined {
  if (typeof text !== 'string' || text.length > 2000) return undefined
  const s = text.trim()
  const today = todayIn(options.now, options.timezone)
  if (today === undefined || s === '') return undefined
  const who = WHO_FIRST.exec(s)
  if (who) {
    const found = findTime(s.slice(who[0].length), today, options)
    if (found) return found
  }
  return findTime(s, today, options)
}

function findTime(
  s: string,
  today: LocalDate,
  options: ReminderTimeOptions,
): ReminderTime | undefined {
  // Year-less dates and bare weekdays look ahead, a time alone means its next occurrence, a date
  // alone means 09:00. A past `at` is returned as is so the caller can say the time has gone
  // rather than silently moving it. The time is looked for at the start, then (dates,
  // durations and 每周…) anywhere, with the text around it kept as `rest`.
  const dates = scanDates(s, Object.assign({}, options, { direction: 'future' as const }))

  const starts = [0, ...dates.map((d) => d.start), ...indexesOf(s, /每|分钟|小时|钟头|刻钟/g)]
  const tried = new Set<number>()
  for (const start of starts.sort((a, b) => a - b)) {
    for (const at of start === 0 ? [0] : backtrack(s, start)) {
      if (tried.has(at)) continue
      tried.add(at)
      const found = parseAt(s, at, dates, today, options)
      if (found === undefined) continue
      const rest = cleanRest(`${s.slice(0, at)} ${s.slice(found.end)}`)
      return Object.assign({}, found.time, {
        rest,
        ...(found.afternoonAssumed && { afternoonAssumed: true as const }),
      })
    }
  }
  return undefined
}

/** Durations are found by their unit; their number starts up to a few characters earlier. */
function backtrack(s: string, index: number): number[] {
  const out: number[] = [index]
  for (let i = index - 1; i >= Math.max(0, index - 6); i--) out.push(i)
  return out
}

function indexesOf(s: string, pattern: RegExp): number[] {
  return [...s.matchAll(pattern)].map((m) => m.index)
}

function cleanRest(rest: string): string {
  return rest.replace(/\s+/g, ' ').replace(/^[\s,:、。]+|[\s,:、。]+$/g, '')
}

function parseAt(
  s: string,
  at: number,
  dates: DateMatch[],
  today: LocalDate,
  options: ReminderTimeOptions,
): Found | undefined {
  return (
    dailyAt(s, at) ??
    weeklyAt(s, at) ??
    durationAt(s, at, options.now) ??
    dateAt(s, at, dates, options) ??
    (at === 0 ? timeOnlyAt(s, today, options) : undefined)
  )
}

function weeklyAt(s: string, at: number): Found | undefined {
  WEEKLY_AT.lastIndex = at
  const m = WEEKLY_AT.exec(s)
  if (!m) return undefined
  const end = at + m[0].length
  const clock = clockAt(s, end, false) ?? { hour: DEFAULT_HOUR, minute: 0, end }
  // 晚上12点 is midnight, the start of the next weekday: ask for 0点 of that day instead.
  if (clock.hour > 23) return undefined
  const weekday = SUNDAY_FIRST[m[1]!]!
  return {
    time: { kind: 'weekly', weekday, hour: clock.hour, minute: clock.minute },
    end: clock.end,
    afternoonAssumed: clock.afternoonAssumed,
  }
}

function dailyAt(s: string, at: number): Found | undefined {
  DAILY_AT.lastIndex = at
  const m = DAILY_AT.exec(s)
  if (!m) return undefined
  const end = at + m[0].length
  const clock = clockAt(s, end, false) ?? { hour: DEFAULT_HOUR, minute: 0, end }
  // 晚上12点 would be 00:00 of the next day, every day: ask for 0点 instead.
  if (clock.hour > 23) return undefined
  return {
    time: { kind: 'daily', hour: clock.hour, minute: clock.minute },
    end: clock.end,
    afternoonAssumed: clock.afternoonAssumed,
  }
}

function durationAt(s: string, at: number, now: Date): Found | undefined {
  if (at > 0 && /[\d零一二两三四五六七八九十百]/.test(s[at - 1]!)) return undefined
  DURATION_AT.lastIndex = at
  const m = DURATION_AT.exec(s)
  if (!m) return undefined
  let minutes: number
  if (m[4] !== undefined) {
    minutes = 15
  } else {
    const count = m[1] === '半' ? 0.5 : countOf(m[1]!)
    if (count === undefined) return undefined
    const total = count + (m[2] === undefined ? 0 : 0.5)
    minutes = m[3] === '分钟' ? total : total * 60
  }
  if (!(minutes > 0 && minutes <= MAX_DELAY_MINUTES)) return undefined
  // Exact instant arithmetic: "2小时后" is two hours of real time even across a DST change,
  // which chrono's wall-clock arithmetic would get wrong.
  return {
    time: { kind: 'once', at: new Date(now.getTime() + Math.round(minutes * 60_000)) },
    end: at + m[0].length,
  }
}

function countOf(written: string): number | undefined {
  if (/^\d+$/.test(written)) return Number(written)
  const value = decodeChineseInteger(written)
  return value === undefined ? undefined : Number(value)
}

function dateAt(
  s: string,
  at: number,
  dates: DateMatch[],
  options: ReminderTimeOptions,
): Found | undefined {
  const match = dates.find((d) => d.start === at)
  if (!match) return undefined
  const shortPeriodOk = /^[今明昨]$/.test(s.slice(match.start, match.end))
  const clock = clockAt(s, match.end, shortPeriodOk) ?? {
    hour: DEFAULT_HOUR,
    minute: 0,
    end: match.end,
  }
  let instant = instantOf(match.date, clock, options.timezone)
  // A bare 周五 means the coming one; once its hour has passed today, that is next week's.
  if (match.kind === 'weekday' && instant.getTime() <= options.now.getTime()) {
    instant = instantOf(addDays(match.date, 7), clock, options.timezone)
  }
  return {
    time: { kind: 'once', at: instant },
    end: clock.end,
    afternoonAssumed: clock.afternoonAssumed,
  }
}

function timeOnlyAt(s: string, today: LocalDate, options: ReminderTimeOptions): Found | undefined {
  const clock = clockAt(s, 0, false)
  if (!clock) return undefined
  let instant = instantOf(today, clock, options.timezone)
  if (instant.getTime() <= options.now.getTime()) {
    instant = instantOf(addDays(today, 1), clock, options.timezone)
  }
  return {
    time: { kind: 'once', at: instant },
    end: clock.end,
    afternoonAssumed: clock.afternoonAssumed,
  }
}

function instantOf(date: LocalDate, clock: Clock, timezone: string): Date {
  // 24:00 (晚上12点) is 00:00 of the next day.
  return clock.hour === 24
    ? instantAt(addDays(date, 1), 0, clock.minute, timezone)
    : instantAt(date, clock.hour, clock.minute, timezone)
}

/**
 * A time of day at `index`: `上午9点`, `下午3点半`, `9:30`, `九点一刻`, or a part of day alone
 * (`下午` = 15:00). Own grammar: chrono 2.10 reads 中午1点 as 01:00, 一刻 as one minute, and
 * misses 下午15点. Hour 24 stands for midnight at the end of the day.
 */
function clockAt(s: string, index: number, shortPeriodOk: boolean): Clock | undefined {
  const pattern = shortPeriodOk ? CLOCK_AT_SHORT : CLOCK_AT
  pattern.lastIndex = index
  const m = pattern.exec(s)
  const g = m?.groups
  if (!m || !g || m[0].trim() === '') return undefined
  const period = g.period
  if (g.hh === undefined && g.hour === undefined) {
    const hour = period === undefined ? undefined : PERIOD_DEFAULT_HOUR[period]
    // The span ends with the period word, not the blanks the regex tried after it.
    const end = index + m[0].trimEnd().length
    return hour === undefined ? undefined : { hour, minute: 0, end }
  }
  const rawHour = g.hh !== undefined ? Number(g.hh) : countOf(g.hour!)
  const minute = g.hh !== undefined ? Number(g.mm) : minuteOf(g.fraction, g.minute)
  if (rawHour === undefined || minute === undefined || minute > 59) return undefined
  // A bare 1–6 o'clock (`3点`, `3:30`; not `03:00`) is the afternoon: see afternoonAssumed.
  const bareSmallHour =
    period === undefined &&
    rawHour >= 1 &&
    rawHour <= 6 &&
    (g.hh === undefined || g.hh.length === 1)
  const hour = bareSmallHour ? rawHour + 12 : withPeriod(rawHour, period)
  if (hour === undefined || (hour === 24 && minute !== 0)) return undefined
  const end = index + m[0].length
  return bareSmallHour ? { hour, minute, end, afternoonAssumed: true } : { hour, minute, end }
}

function minuteOf(fraction: string | undefined, written: string | undefined): number | undefined {
  if (fraction === undefined) return 0
  if (fraction === '半') return 30
  if (fraction === '一刻') return 15
  if (fraction === '三刻') return 45
  if (written === undefined) return undefined
  // 九点零五: the 零 only marks a one-digit minute.
  return countOf(written.length > 1 ? written.replace(/^零/, '') : written)
}

/** 24-hour clock from an hour said with a part of day; undefined when they contradict. */
function withPeriod(hour: number, period: string | undefined): number | undefined {
  if (!Number.isInteger(hour) || hour < 0 || hour > 24) return undefined
  switch (period) {
    case undefined:
      return hour
    case '凌晨':
      return hour === 12 ? 0 : hour <= 6 ? hour : undefined
    case '上午':
    case '早上':
    case '早晨':
    case '清晨':
    case '早':
      return hour <= 12 ? hour : undefined
    case '中午':
      return hour === 11 || hour === 12 ? hour : hour >= 1 && hour <= 2 ? hour + 12 : undefined
    case '午后':
    case '下午':
      return hour >= 1 && hour <= 11 ? hour + 12 : hour >= 12 && hour <= 18 ? hour : undefined
    default:
      // 傍晚, 晚上, 夜里…: 晚上8点 = 20:00, 晚上12点 = midnight.
      if (hour === 0 || hour === 12 || hour === 24) return 24
      return hour <= 11 ? hour + 12 : hour
  }
}
