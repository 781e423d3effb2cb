import * as chrono from 'chrono-node'
import {
  addDays,
  isLocalDate,
  localDateOf,
  makeLocalDate,
  partsOf,
  weekdayOf,
  type LocalDate,
} from '../time/local-date.js'
import { lunarNewYear } from '../time/lunar.js'
import { decodeChineseInteger } from './amount.js'

/**
 * Calendar dates typed by cadres (`7月25日`, `7.25`, `昨天`, `上周五`, `八一`, `春节`) as LocalDate
 * strings in the bot's time zone. Input is expected to be folded already; nothing here throws.
 */

/** 'past' for something done (a visit, a payment), 'future' for a reminder (contract.md). */
export type DateDirection = 'past' | 'future'

export interface DateOptions {
  /** The instant "today" is taken from, in `timezone`. */
  now: Date
  /** IANA zone, e.g. `Asia/Shanghai` (BOT_TIMEZONE). */
  timezone: string
  /** Which way a date without a year (or a bare weekday, or an occasion) resolves. */
  direction: DateDirection
}

/**
 * How a date was written: `full` has a year, `month-day` has none, `relative` counts from today
 * (`昨天`, `3天前`, `上周五`), `weekday` is a bare `周五`, `occasion` is `八一`/`元旦`/`春节`/`除夕`.
 */
export type DateKind = 'full' | 'month-day' | 'relative' | 'weekday' | 'occasion'

export interface DateMatch {
  date: LocalDate
  /** UTF-16 offsets into the searched text. */
  start: number
  end: number
  kind: DateKind
}

/** Outside this range a typed year is a slip (2207 for 2027), and the lunar tables end. */
const MIN_YEAR = 1900
const MAX_YEAR = 2100

/** Chinese numerals as written in dates: 二十五, 廿五, 卅一, 〇. */
const CN = '零〇一二两三四五六七八九十廿卅'
const CN_YEAR_DIGITS = '〇零一二三四五六七八九'

const FULL_NUMERIC = /(?<![\w./-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d|[./-]\d)/g
const YEAR_MONTH_DAY = new RegExp(
  `(?<![\\d${CN}])(?:(\\d{4}|\\d{2}|[${CN_YEAR_DIGITS}]{4})\\s*年\\s*)?` +
    `(\\d{1,2}|[${CN}]{1,3})\\s*月\\s*(\\d{1,2}|[${CN}]{1,3})(?:\\s*[日号]|(?![\\d${CN}]))`,
  'g',
)
// `1.5万`, `3.5元`, `8600.50` and `9:30` are not dates; `7.25`, `7-25` and `7/25` are.
const MONTH_DAY_NUMERIC =
  /(?<![\w./\-:¥,])(\d{1,2})([./-])(\d{1,2})(?![\d%]|[./\-:,]\d|\s*(?:元|块|圆|万|千|百|亿|[kKwW]))/g
// `每周一` is a weekly reminder, not a date.
const WEEKDAY = /(?<!每个?)(上|下|这|本)?个?(?:周|星期|礼拜)([一二三四五六日天])/g
const OCCASION =
  /(?<![零〇一二两三四五六七八九十百千万])(八一建军节|建军节|八一|元旦节?|春节|大年初一|除夕|大年三十)(?![零〇一二两三四五六七八九十百千万])/g

/** chrono's relative-day words: `今天` `明日` `后天` `大前天`, and `今`/`明` of `今晚` `明早`. */
const RELATIVE_DAY_TEXT = /^(?:大前|大后|今|昨|明|前|后)(?:天|日)?/
/** chrono's counted days: `3天前`, `两天后`, `一个月后`; not `3天内`, `半天后` or `几天前`. */
const COUNTED_DAYS_TEXT =
  /^(?:\d+|[零〇一二两三四五六七八九十]+)\s*个?(?:天|日|星期|礼拜|月|年)(?:之|过)?[前后]$/

/**
 * chrono-node's zh parsers, restricted to the ones that are right for us. Measured on 2.10.3:
 * its zh weekday parsers use Sunday-first weeks (上周日 on a Saturday gives the Sunday 13 days
 * back), its date parser reads `人数40 7月30日` as the year 40 and `26年` as the year 26, its
 * time parser reads 中午1点 as 01:00 and misses 下午15点, and every zh parser reads the
 * reference in the machine's zone, not the one we pass. So chrono handles relative-day words
 * only, from a reference built as the machine-local noon of the bot zone's today (noon also
 * avoids chrono's "明天 before 2am means today" rule and every DST gap).
 */
const relativeDays = createRelativeDayChrono()

function createRelativeDayChrono(): chrono.Chrono {
  const configuration = chrono.zh.hans.createCasualConfiguration()
  const trusted = new Set([
    'ZHHansCasualDateParser',
    'ZHHansDeadlineFormatParser',
    'ZHHansAgoFormatParser',
  ])
  configuration.parsers = configuration.parsers.filter((p) => trusted.has(p.constructor.name))
  return new chrono.Chrono(configuration)
}

/**
 * Today in `timezone` at `now`; undefined for an invalid instant or zone (so callers never throw).
 */
export function todayIn(now: Date, timezone: string): LocalDate | undefined {
  try {
    return localDateOf(now, timezone)
  } catch {
    return undefined
  }
}

/**
 * Every date in `text` (up to 2000 characters; a chat command is far shorter), in text order,
 * without overlaps. Spans cover date words only: in `今晚8点` the span is `今`.
 */
export function scanDates(text: string, options: DateOptions): DateMatch[] {
  if (typeof text !== 'string' || text.length > 2000) return []
  const today = todayIn(options.now, options.timezone)
  if (today === undefined) return []
  const found: DateMatch[] = []
  const add = (date: LocalDate | undefined, start: number, end: number, kind: DateKind) => {
    if (date !== undefined && inRange(date)) found.push({ date, start, end, kind })
  }

  for (const m of text.matchAll(FULL_NUMERIC)) {
    add(
      makeLocalDate(Number(m[1]), Number(m[3]), Number(m[4])),
      m.index,
      m.index + m[0].length,
      'full',
    )
  }
  for (const m of text.matchAll(YEAR_MONTH_DAY)) {
    const month = dateNumber(m[2]!)
    const day = dateNumber(m[3]!)
    if (month === undefined || day === undefined) continue
    const end = m.index + m[0].length
    if (m[1] === undefined) {
      add(resolveMonthDay(today, month, day, options.direction), m.index, end, 'month-day')
    } else {
      const year = yearNumber(m[1])
      if (year !== undefined) add(makeLocalDate(year, month, day), m.index, end, 'full')
    }
  }
  for (const m of text.matchAll(MONTH_DAY_NUMERIC)) {
    const date = resolveMonthDay(today, Number(m[1]), Number(m[3]), options.direction)
    add(date, m.index, m.index + m[0].length, 'month-day')
  }
  for (const m of text.matchAll(WEEKDAY)) {
    const date = resolveWeekday(today, m[1], m[2]!, options.direction)
    add(date, m.index, m.index + m[0].length, m[1] === undefined ? 'weekday' : 'relative')
  }
  for (const m of text.matchAll(OCCASION)) {
    add(
      resolveOccasion(today, m[1]!, options.direction),
      m.index,
      m.index + m[0].length,
      'occasion',
    )
  }
  for (const r of relativeDayResults(text, today)) found.push(r)

  found.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: DateMatch[] = []
  for (const m of found) {
    const last = kept[kept.length - 1]
    if (last === undefined || m.start >= last.end) kept.push(m)
  }
  return kept
}

// Every phrase chrono reads for us has one of these; most lines have none, and chrono is slow.
const RELATIVE_HINT = /[今昨明前后]/

function relativeDayResults(text: string, today: LocalDate): DateMatch[] {
  if (!RELATIVE_HINT.test(text)) return []
  const { year, month, day } = partsOf(today)
  const reference = new Date(year, month - 1, day, 12, 0, 0)
  let results: chrono.ParsedResult[]
  try {
    results = relativeDays.parse(text, reference)
  } catch {
    // A library surprise on odd input means "no relative date here", never a crash.
    return []
  }
  const out: DateMatch[] = []
  for (const r of results) {
    const date = makeLocalDate(
      r.start.get('year') ?? NaN,
      r.start.get('month') ?? NaN,
      r.start.get('day') ?? NaN,
    )
    if (date === undefined || !inRange(date)) continue
    if (COUNTED_DAYS_TEXT.test(r.text)) {
      out.push({ date, start: r.index, end: r.index + r.text.length, kind: 'relative' })
      continue
    }
    const word = RELATIVE_DAY_TEXT.exec(r.text)
    if (word) out.push({ date, start: r.index, end: r.index + word[0].length, kind: 'relative' })
  }
  return out
}

function inRange(date: LocalDate): boolean {
  const { year } = partsOf(date)
  return year >= MIN_YEAR && year <= MAX_YEAR
}

function dateNumber(written: string): number | undefined {
  if (/^\d+$/.test(written)) return Number(written)
  const spelled = written.replace(/^廿/, '二十').replace(/^卅/, '三十').replace(/〇/g, '零')
  const value = decodeChineseInteger(spelled)
  return value === undefined ? undefined : Number(value)
}

function yearNumber(written: string): number | undefined {
  if (/^\d{4}$/.test(written)) return Number(written)
  if (/^\d{2}$/.test(written)) return 2000 + Number(written)
  const digits = [...written].map((c) => CN_YEAR_DIGITS.indexOf(c)).map((i) => (i <= 1 ? 0 : i - 1))
  return Number(digits.join(''))
}

/**
 * The most recent `month`/`day` not after `today` ('past') or the next not before it ('future').
 * Searches 8 years each way so that 2月29日 finds its leap year; undefined when it never exists.
 */
export function resolveMonthDay(
  today: LocalDate,
  month: number,
  day: number,
  direction: DateDirection,
): LocalDate | undefined {
  const { year } = partsOf(today)
  for (let i = 0; i <= 8; i++) {
    const y = direction === 'past' ? year - i : year + i
    const date = makeLocalDate(y, month, day)
    if (date === undefined) continue
    if (direction === 'past' ? date <= today : date >= today) return date
  }
  return undefined
}

const WEEKDAY_INDEX: Record<string, number> = {
  一: 0,
  二: 1,
  三: 2,
  四: 3,
  五: 4,
  六: 5,
  日: 6,
  天: 6,
}

/** Weeks run Monday to Sunday, as on Chinese calendars: on a Saturday 下周日 is 8 days ahead. */
function resolveWeekday(
  today: LocalDate,
  relation: string | undefined,
  weekday: string,
  direction: DateDirection,
): LocalDate {
  const target = WEEKDAY_INDEX[weekday]!
  const todayIndex = (weekdayOf(today) + 6) % 7
  const monday = addDays(today, -todayIndex)
  if (relation === '上') return addDays(monday, target - 7)
  if (relation === '下') return addDays(monday, target + 7)
  if (relation === '这' || relation === '本') return addDays(monday, target)
  return direction === 'past'
    ? addDays(today, -((todayIndex - target + 7) % 7))
    : addDays(today, (target - todayIndex + 7) % 7)
}

function resolveOccasion(
  today: LocalDate,
  occasion: string,
  direction: DateDirection,
): LocalDate | undefined {
  if (/八一|建军节/.test(occasion)) return resolveMonthDay(today, 8, 1, direction)
  if (occasion.startsWith('元旦')) return resolveMonthDay(today, 1, 1, direction)
  const eve = occasion === '除夕' || occasion === '大年三十'
  const { year } = partsOf(today)
  for (let i = 0; i <= 1; i++) {
    const y = direction === 'past' ? year - i : year + i
    let date: LocalDate
    try {
      date = lunarNewYear(y)
    } catch {
      return undefined
    }
    if (eve) date = addDays(date, -1)
    if (direction === 'past' ? date <= today : date >= today) return date
  }
  return undefined
}

/** A part of day right after a date: `昨天下午`, `7月28日 上午`, and `晚` of `今晚`. */
function periodEnd(text: string, match: DateMatch): number {
  const rest = text.slice(match.end)
  const period = /^\s*(?:上午|下午|中午|晚上|早上|凌晨|傍晚)/.exec(rest)
  if (period) return match.end + period[0].length
  // A bare 今/明/昨 only came from chrono's 今晚/明早, so the next 早/晚 belongs to it.
  if (/^[今明昨]$/.test(text.slice(match.start, match.end)) && /^[早晚]/.test(rest)) {
    return match.end + 1
  }
  return match.end
}

/**
 * Parses a whole string as one date; `undefined` when it is not exactly one date (or the date
 * does not exist, like 2月30日). Year-less forms, bare weekdays and occasions resolve by
 * `direction`, today included; `上周五`/`下周一` count Monday-first weeks.
 */
export function parseDate(text: string, options: DateOptions): LocalDate | undefined {
  if (typeof text !== 'string') return undefined
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const whole = scanDates(trimmed, options).find(
    (m) => m.start === 0 && periodEnd(trimmed, m) === trimmed.length,
  )
  return whole?.date
}

export interface FindDateOptions extends DateOptions {
  /**
   * Whether 八一/元旦/春节/除夕 count as dates; pass false when the command reads the occasion
   * separately (`走访 张三 八一` names an occasion, not the visit day). @defaultValue true
   */
  occasions?: boolean
}

const KIND_RANK: Record<DateKind, number> = {
  full: 0,
  'month-day': 0,
  relative: 0,
  occasion: 1,
  // Last: 周三 is also a name (周 is a common surname).
  weekday: 2,
}

/**
 * Finds the date inside free text, with its span (a trailing `上午`/`下午` included) so callers
 * can cut it out. Written dates win over occasions, and both over a bare weekday; among equals
 * the first in the text. `undefined` when there is none.
 */
export function findDate(text: string, options: FindDateOptions): DateMatch | undefined {
  const matches = scanDates(text, options).filter(
    (m) => options.occasions !== false || m.kind !== 'occasion',
  )
  let best: DateMatch | undefined
  for (const m of matches) {
    if (best === undefined || KIND_RANK[m.kind] < KIND_RANK[best.kind]) best = m
  }
  return best && { ...best, end: periodEnd(text, best) }
}

/** `2027-07-25`: the stored and displayed form. */
export function formatDate(date: LocalDate): string {
  if (!isLocalDate(date)) return date
  const { year, month, day } = partsOf(date)
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`
}

/** `07-25`, for tallies and reminders where the year is obvious. */
export function formatMonthDay(date: LocalDate): string {
  const { month, day } = partsOf(date)
  return `${pad2(month)}-${pad2(day)}`
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}
