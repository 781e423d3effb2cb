/**
 * Calendar dates as `YYYY-MM-DD` strings in the bot's time zone. Everything the users
 * see (visit dates, campaign days, reminder days) is a local date; instants (Date) are
 * only for "when exactly" (job delays, audit times).
 */

export type LocalDate = string

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * True for a real calendar date in `YYYY-MM-DD` form (2027-02-30 is false), years 0100–9999.
 * Counted, not probed with a Date: every date the parser and the schemas handle passes here.
 */
export function isLocalDate(value: string): value is LocalDate {
  if (!LOCAL_DATE.test(value)) return false
  return isRealDay(digitsAt(value, 0, 4), digitsAt(value, 5, 7), digitsAt(value, 8, 10))
}

function isRealDay(year: number, month: number, day: number): boolean {
  if (year < 100 || year > 9999 || month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= DAYS_IN_MONTH[month - 1]! + (month === 2 && leap ? 1 : 0)
}

/** Builds a LocalDate from numbers; undefined when the date does not exist. */
export function makeLocalDate(year: number, month: number, day: number): LocalDate | undefined {
  // Checked as numbers before any string is built: the parser makes dates on every line.
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) {
    return undefined
  }
  if (!isRealDay(year, month, day)) return undefined
  return `${year < 1000 ? String(year).padStart(4, '0') : year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`
}

export function partsOf(date: LocalDate): { year: number; month: number; day: number } {
  // Read from the character codes, not sliced: this is on every date comparison of the
  // parser's hot path, and three substrings a call were 12% of a date scan.
  return { year: digitsAt(date, 0, 4), month: digitsAt(date, 5, 7), day: digitsAt(date, 8, 10) }
}

/** The number written in `text` from `from` to `to`; NaN unless every character is a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48
    if (!(digit >= 0 && digit <= 9)) return NaN
    n = n * 10 + digit
  }
  return n
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timezone, f)
  }
  return f
}

/** Wall-clock parts of `instant` in `timezone`, read from ICU (a few microseconds a call). */
function formattedParts(
  instant: Date,
  timezone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(
    formatterFor(timezone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  )
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  }
}

// Why a cache: every message reads "today" several times, and ICU's formatToParts dominated
// the date work in the write-path profile. Every zone's offset today is a whole number of
// quarter hours and changes on a quarter-hour boundary, so within one UTC quarter hour the
// offset is constant: read it once per zone and quarter, then do the arithmetic in UTC.
// Several quarters are kept, not one per zone: a message asks about now and about the days it
// names (a visit in July, a campaign's end), and one slot made each such pair re-read ICU.
const QUARTER_HOUR_MS = 15 * 60 * 1000
const MAX_KEPT_OFFSETS = 512
const offsets = new Map<string, number>()

function offsetAt(instant: Date, timezone: string): number {
  const quarter = Math.floor(instant.getTime() / QUARTER_HOUR_MS)
  const key = `${timezone} ${quarter}`
  const cached = offsets.get(key)
  if (cached !== undefined) return cached
  const start = quarter * QUARTER_HOUR_MS
  const p = formattedParts(new Date(start), timezone)
  const offsetMs = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start
  // Bounded by starting afresh: the quarters in use are few, so a refill costs little.
  if (offsets.size >= MAX_KEPT_OFFSETS) offsets.clear()
  offsets.set(key, offsetMs)
  return offsetMs
}

/** Wall-clock parts of `instant` in `timezone`. */
export function zonedParts(
  instant: Date,
  timezone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const time = instant.getTime()
  if (!Number.isFinite(time)) throw new RangeError('Invalid time value')
  const wall = new Date(time + offsetAt(instant, timezone))
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  }
}

/** The local date of `instant` in `timezone`. */
export function localDateOf(instant: Date, timezone: string): LocalDate {
  // A message asks for the day of its own instant several times (each date scan, each rule);
  // the last answer is kept.
  const time = instant.getTime()
  if (lastDay.time === time && lastDay.timezone === timezone) return lastDay.date
  const p = zonedParts(instant, timezone)
  const date = makeLocalDate(p.year, p.month, p.day)!
  lastDay = { time, timezone, date }
  return date
}
let lastDay: { time: number; timezone: string; date: LocalDate } = {
  time: NaN,
  timezone: '',
  date: '1970-01-01',
}

/**
 * The instant at which the wall clock in `timezone` shows `date` `hour:minute`.
 * Asia/Shanghai has no DST; for zones that do, a skipped time resolves forward.
 */
export function instantAt(date: LocalDate, hour: number, minute: number, timezone: string): Date {
  const { year, month, day } = partsOf(date)
  const guess = Date.UTC(year, month - 1, day, hour, minute)
  // Two passes of "how far off is the zone's wall clock" converge for every real zone.
  let instant = guess
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(instant), timezone)
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute)
    instant += guess - shown
  }
  return new Date(instant)
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = partsOf(date)
  const d = new Date(Date.UTC(year, month - 1, day + days))
  return d.toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = partsOf(from)
  const b = partsOf(to)
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  )
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  const { year, month, day } = partsOf(date)
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay()
}

const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** `周六` for a Saturday. */
export function weekdayName(date: LocalDate): string {
  return WEEKDAY_NAMES[weekdayOf(date)]!
}
