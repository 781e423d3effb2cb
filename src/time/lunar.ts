import lunar from 'lunar-javascript'
import { addDays, partsOf, type LocalDate } from './local-date.js'

// lunar-javascript (6tail, MIT, no dependencies) carries the lunar tables from 1900 to
// 2100; 春节 is never typed by hand (domain.md), nor is any other lunar date.
const { Lunar, LunarYear } = lunar

// Why the answers are kept: they are calendar facts (the same for every caller, forever), the
// season rule and the date parser ask for the same few years many times per message, and the
// library computes each one from its tables in about 45 µs — a fifth of a visit's CPU in the
// write-path profile before this. The tables span 1900–2100, so each map stays small.
const newYears = new Map<number, LocalDate>()
const monthStarts = new Map<string, { start: LocalDate; days: number } | null>()

/** 正月初一 of lunar year `year`, as a Gregorian `YYYY-MM-DD` (2027 → 2027-02-06). */
export function lunarNewYear(year: number): string {
  let day = newYears.get(year)
  if (day === undefined) {
    day = Lunar.fromYmd(year, 1, 1).getSolar().toYmd()
    if (Number.isInteger(year)) newYears.set(year, day)
  }
  return day
}

/** The first day and the length of lunar `year`/`month` (leap month `-month`); null when none. */
function lunarMonth(year: number, month: number): { start: LocalDate; days: number } | null {
  if (!Number.isInteger(year) || !Number.isInteger(month)) return null
  const key = `${year}:${month}`
  let known = monthStarts.get(key)
  if (known === undefined) {
    known = readLunarMonth(year, month)
    monthStarts.set(key, known)
  }
  return known
}

function readLunarMonth(year: number, month: number): { start: LocalDate; days: number } | null {
  try {
    const found = LunarYear.fromYear(year).getMonth(month)
    if (!found) return null
    return { start: Lunar.fromYmd(year, month, 1).getSolar().toYmd(), days: found.getDayCount() }
  } catch {
    return null
  }
}

/**
 * Days in lunar month `month` of lunar year `year` (29 or 30); a leap month is `-month`
 * (闰六月 = -6). Undefined when that year has no such month or lies outside the tables.
 */
export function lunarMonthLength(year: number, month: number): number | undefined {
  return lunarMonth(year, month)?.days
}

/**
 * The Gregorian date of lunar `year`/`month`/`day` (a leap month as `-month`); undefined when
 * that day does not exist (腊月三十 of a 29-day 腊月) or lies outside the tables.
 */
export function lunarToSolar(year: number, month: number, day: number): LocalDate | undefined {
  const found = lunarMonth(year, month)
  if (!found || !Number.isInteger(day) || day < 1 || day > found.days) return undefined
  return addDays(found.start, day - 1)
}

/** 除夕 of lunar year `year`: the last day of its 12th month, 腊月二十九 or 三十 (2026 → 2027-02-05). */
export function lunarNewYearsEve(year: number): LocalDate | undefined {
  const length = lunarMonthLength(year, 12)
  return length === undefined ? undefined : lunarToSolar(year, 12, length)
}

/** The lunar year a Gregorian date falls in: 2027-02-05 (除夕) is in lunar 2026. */
export function lunarYearOf(date: LocalDate): number {
  // A lunar year begins on its 正月初一, which always falls in Gregorian January or February.
  const { year } = partsOf(date)
  return date >= lunarNewYear(year) ? year : year - 1
}
