import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' }
import lunar from 'lunar-javascript'
import { z } from 'zod'
import {
  addDays,
  instantAt,
  isLocalDate,
  partsOf,
  weekdayOf,
  type LocalDate,
} from '../time/local-date.js'
import { lunarNewYear } from '../time/lunar.js'
import { HOLIDAY_OVERRIDES, type HolidayOverride } from './holiday-overrides.js'

// The only module that knows the campaign days (八一, 春节, 元旦, the allowance deadline)
// and China's working days (style.md §2.9). Pure apart from the onMissingYear callback.

export type Occasion = '八一' | '春节' | '元旦' | '优待金截止'

/** Every campaign occasion, in the order the contract lists them. */
export const OCCASIONS: readonly Occasion[] = ['八一', '春节', '元旦', '优待金截止']

/** Configured allowance deadline per year (`优待金截止 2027-07-25`); unset years use July 31. */
export type AllowanceDeadlines =
  ReadonlyMap<number, LocalDate> | Readonly<Record<number, LocalDate>>

/**
 * The Gregorian day of `occasion` in `year`: 八一 = 08-01, 元旦 = 01-01, 春节 = 正月初一 from
 * lunar-javascript, 优待金截止 = `deadlines` for that year, else 07-31. Throws on a bad deadline.
 */
export function occasionDay(
  occasion: Occasion,
  year: number,
  deadlines?: AllowanceDeadlines,
): LocalDate {
  switch (occasion) {
    case '八一':
      return `${year}-08-01`
    case '元旦':
      return `${year}-01-01`
    case '春节':
      return lunarNewYear(year)
    case '优待金截止': {
      const configured = configuredDeadline(deadlines, year)
      if (configured === undefined) return `${year}-07-31`
      if (!isLocalDate(configured)) {
        throw new Error(`优待金截止 for ${year} is "${configured}", not a date written YYYY-MM-DD`)
      }
      return configured
    }
  }
}

function configuredDeadline(
  deadlines: AllowanceDeadlines | undefined,
  year: number,
): LocalDate | undefined {
  if (deadlines instanceof Map) return deadlines.get(year)
  return (deadlines as Readonly<Record<number, LocalDate>> | undefined)?.[year]
}

/** 除夕, the last day of the lunar year: the day before 春节 of `year`. */
export function chuxi(year: number): LocalDate {
  return addDays(lunarNewYear(year), -1)
}

// ---------------------------------------------------------------------------------------
// Working days

export interface WorkCalendar {
  /** True when `date` is a working day of China's official calendar (调休 included). */
  isWorkingDay(date: LocalDate): boolean
  /** The latest working day on or before `date`. */
  previousWorkingDay(date: LocalDate): LocalDate
  /** True when an override or the library data has the State Council notice for `year`. */
  hasOfficialData(year: number): boolean
}

/**
 * Published days off and 调休 make-up working days keyed by date, in the shape of chinese-days'
 * data file. A year counts as covered when its 正月初一 is a holiday whose name has 春节.
 */
export interface HolidayData {
  holidays: Readonly<Record<string, string>>
  workdays: Readonly<Record<string, string>>
}

export interface WorkCalendarOptions {
  /** State Council notices newer than chinese-days. @defaultValue HOLIDAY_OVERRIDES */
  overrides?: readonly HolidayOverride[]
  /**
   * The published calendar under the overrides; tests pass a fixture so that their years do
   * not move with the installed release. @defaultValue chinese-days' dist/chinese-days.json
   */
  libraryData?: HolidayData
  /** Called once per year whose working days fall back to the statutory rule (log a warning). */
  onMissingYear?: (year: number) => void
}

/**
 * Working days from, in order: the override table (an entry replaces the library for its
 * year), chinese-days where it has the year's notice, else statutoryHolidays() plus weekends
 * with onMissingYear(year) called once. No clock, no I/O.
 */
export function createWorkCalendar(options: WorkCalendarOptions = {}): WorkCalendar {
  const overrides = options.overrides ?? HOLIDAY_OVERRIDES
  const library = options.libraryData ?? CHINESE_DAYS_DATA
  const overrideYears = new Set(overrides.map((o) => o.year))
  // Date-level sets: a notice may list days of the neighbouring year (元旦 from Dec 30).
  const overrideHolidays = new Set(overrides.flatMap((o) => o.holidays))
  const overrideWorkdays = new Set(overrides.flatMap((o) => o.workdays))
  const statutory = new Map<number, Set<LocalDate>>()
  const warned = new Set<number>()

  const hasOfficialData = (year: number): boolean =>
    overrideYears.has(year) || libraryCoversYear(library, year)

  const isWorkingDay = (date: LocalDate): boolean => {
    if (overrideWorkdays.has(date)) return true
    if (overrideHolidays.has(date)) return false
    const { year } = partsOf(date)
    if (overrideYears.has(year)) return !isWeekend(date)
    if (libraryCoversYear(library, year)) return libraryIsWorkingDay(library, date)
    // No notice yet: only the days the law fixes are certain (除夕 is off since 2025). The
    // year's 调休 swaps and bridge days are unknowable, hence the warning to add the notice.
    if (!warned.has(year)) {
      warned.add(year)
      options.onMissingYear?.(year)
    }
    let days = statutory.get(year)
    if (!days) {
      days = new Set(statutoryHolidays(year))
      statutory.set(year, days)
    }
    return !days.has(date) && !isWeekend(date)
  }

  const previousWorkingDay = (date: LocalDate): LocalDate => {
    // The longest official run of days off is 9 (春节 2026); 31 means the table is broken.
    for (let back = 0, day = date; back <= 31; back++, day = addDays(day, -1)) {
      if (isWorkingDay(day)) return day
    }
    throw new Error(`No working day in the 31 days up to ${date}; check the holiday overrides`)
  }

  return { isWorkingDay, previousWorkingDay, hasOfficialData }
}

function isWeekend(date: LocalDate): boolean {
  const weekday = weekdayOf(date)
  return weekday === 0 || weekday === 6
}

// chinese-days' own functions are unsafe here: it builds its tables by parsing 'YYYY-M-D' as
// UTC midnight and formatting with local getters, so in any time zone west of UTC every key
// is a day early (measured: 370 wrong days 2004–2027 under America/Los_Angeles). Its
// published data file was built once and is zone-free; in UTC and Asia/Shanghai it equals
// getDayDetail day for day. https://github.com/vsme/chinese-days (dist/chinese-days.json)
const CHINESE_DAYS_DATA: HolidayData = z
  .object({
    holidays: z.record(z.string(), z.string()),
    workdays: z.record(z.string(), z.string()),
  })
  .parse(chineseDaysData)

// The same rule as chinese-days' isWorkday: a listed make-up day works, a listed holiday is
// off, any other day follows the week.
function libraryIsWorkingDay(library: HolidayData, date: LocalDate): boolean {
  if (library.workdays[date] !== undefined) return true
  if (library.holidays[date] !== undefined) return false
  return !isWeekend(date)
}

// chinese-days treats a year it has no notice for as plain weekdays, silently. Every notice
// makes 正月初一 a holiday named 春节, so that key tells whether the year's notice is in the
// data (1.5.7: 2004–2026); a stray December day of the next 元旦 cannot fake it.
function libraryCoversYear(library: HolidayData, year: number): boolean {
  return library.holidays[lunarNewYear(year)]?.includes('春节') ?? false
}

// The shared lunar-javascript declaration covers 春节 only; 清明 needs its solar-term table
// (computed astronomically, 1900–2100; it matches every 清明 holiday in chinese-days).
const { Solar } = lunar as unknown as {
  Solar: {
    fromYmd(
      year: number,
      month: number,
      day: number,
    ): { getLunar(): { getJieQiTable(): Record<string, { toYmd(): string }> } }
  }
}
const { Lunar } = lunar

/**
 * Days off fixed by law in `year`, without the yearly 调休 (全国年节及纪念日放假办法 第二条).
 * Since the 国务院 2024-11 revision (in force 2025-01-01), 13 days: 元旦 01-01; 春节 除夕 to 初三;
 * 清明; 劳动节 05-01/02; 端午; 中秋; 国庆 10-01/02/03. Before 2025, 除夕 and 05-02 are not off.
 */
export function statutoryHolidays(year: number): LocalDate[] {
  const newYear = lunarNewYear(year)
  const since2025 = year >= 2025
  const qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()['清明']
  if (!qingming) throw new Error(`lunar-javascript has no 清明 for ${year}`)
  return [
    `${year}-01-01`,
    ...(since2025 ? [addDays(newYear, -1)] : []),
    newYear,
    addDays(newYear, 1),
    addDays(newYear, 2),
    qingming.toYmd(),
    `${year}-05-01`,
    ...(since2025 ? [`${year}-05-02`] : []),
    Lunar.fromYmd(year, 5, 5).getSolar().toYmd(),
    Lunar.fromYmd(year, 8, 15).getSolar().toYmd(),
    `${year}-10-01`,
    `${year}-10-02`,
    `${year}-10-03`,
  ]
}

// ---------------------------------------------------------------------------------------
// Campaigns

/** Days before the occasion's day a campaign reminder is due, largest first (contract.md). */
export const REMINDER_OFFSETS: readonly number[] = [14, 7, 3, 1]

/** A campaign lasts this many days before its day, plus the day itself. */
export const CAMPAIGN_DAYS = 14

export interface CampaignReminder {
  /** Days before the occasion's day this reminder stands for. */
  offset: number
  /** The occasion's day minus `offset`. */
  nominal: LocalDate
  /** The working day it is sent on: `nominal`, or the last working day before it. */
  sendOn: LocalDate
}

/**
 * The reminders of one campaign, earliest first, each moved to the previous working day
 * (never later). When two offsets land on the same day, one reminder is kept, with the larger
 * offset: the send day is at least that many days before, so its label stays the truer one.
 */
export function campaignReminderDates(
  occasion: Occasion,
  year: number,
  calendar: WorkCalendar,
  deadlines?: AllowanceDeadlines,
): CampaignReminder[] {
  const day = occasionDay(occasion, year, deadlines)
  const reminders: CampaignReminder[] = []
  for (const offset of REMINDER_OFFSETS) {
    const nominal = addDays(day, -offset)
    const sendOn = calendar.previousWorkingDay(nominal)
    // previousWorkingDay is monotonic, so a repeated send day can only be the last one.
    if (reminders.at(-1)?.sendOn === sendOn) continue
    reminders.push({ offset, nominal, sendOn })
  }
  return reminders
}

/** The instant a reminder due on `sendOn` is sent: 09:00 wall clock in `timezone`. */
export function reminderInstant(sendOn: LocalDate, timezone: string): Date {
  return instantAt(sendOn, 9, 0, timezone)
}

/** The days of a campaign, both ends included: 14 days before its day through the day. */
export function campaignWindow(
  occasion: Occasion,
  year: number,
  deadlines?: AllowanceDeadlines,
): { start: LocalDate; end: LocalDate } {
  const end = occasionDay(occasion, year, deadlines)
  return { start: addDays(end, -CAMPAIGN_DAYS), end }
}

export interface CampaignRef {
  occasion: Occasion
  year: number
}

export interface UpcomingCampaign extends CampaignRef {
  day: LocalDate
  /** All of the campaign's reminders, including those already sent before `today`. */
  reminders: CampaignReminder[]
}

/**
 * For each occasion, its next campaign whose day is on or after `today`, with its reminder
 * dates (`提醒计划`); sorted by day. May call the calendar's onMissingYear.
 */
export function nextCampaigns(
  today: LocalDate,
  calendar: WorkCalendar,
  deadlines?: AllowanceDeadlines,
): UpcomingCampaign[] {
  const { year } = partsOf(today)
  const upcoming: UpcomingCampaign[] = []
  for (const occasion of OCCASIONS) {
    for (let y = year - 1; y <= year + 1; y++) {
      const day = occasionDay(occasion, y, deadlines)
      if (day < today) continue
      upcoming.push({
        occasion,
        year: y,
        day,
        reminders: campaignReminderDates(occasion, y, calendar, deadlines),
      })
      break
    }
  }
  return upcoming.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
}
