import lunar from 'lunar-javascript'
import { partsOf, type LocalDate } from './local-date.js'

// lunar-javascript (6tail, MIT, no dependencies) carries the lunar tables from 1900 to
// 2100; 春节 is never typed by hand (domain.md), nor is any other lunar date.
const { Lunar, LunarYear, Solar } = lunar

/** 正月初一 of lunar year `year`, as a Gregorian `YYYY-MM-DD` (2027 → 2027-02-06). */
export function lunarNewYear(year: number): string {
  return Lunar.fromYmd(year, 1, 1).getSolar().toYmd()
}

/**
 * Days in lunar month `month` of lunar year `year` (29 or 30); a leap month is `-month`
 * (闰六月 = -6). Undefined when that year has no such month or lies outside the tables.
 */
export function lunarMonthLength(year: number, month: number): number | undefined {
  try {
    return LunarYear.fromYear(year).getMonth(month)?.getDayCount() ?? undefined
  } catch {
    return undefined
  }
}

/**
 * The Gregorian date of lunar `year`/`month`/`day` (a leap month as `-month`); undefined when
 * that day does not exist (腊月三十 of a 29-day 腊月) or lies outside the tables.
 */
export function lunarToSolar(year: number, month: number, day: number): LocalDate | undefined {
  const length = lunarMonthLength(year, month)
  if (length === undefined || !Number.isInteger(day) || day < 1 || day > length) return undefined
  return Lunar.fromYmd(year, month, day).getSolar().toYmd()
}

/** 除夕 of lunar year `year`: the last day of its 12th month, 腊月二十九 or 三十 (2026 → 2027-02-05). */
export function lunarNewYearsEve(year: number): LocalDate | undefined {
  const length = lunarMonthLength(year, 12)
  return length === undefined ? undefined : lunarToSolar(year, 12, length)
}

/** The lunar year a Gregorian date falls in: 2027-02-05 (除夕) is in lunar 2026. */
export function lunarYearOf(date: LocalDate): number {
  const { year, month, day } = partsOf(date)
  return Solar.fromYmd(year, month, day).getLunar().getYear()
}
