import lunar from 'lunar-javascript'
import { describe, expect, it } from 'vitest'
import { addDays } from '../../src/time/local-date.js'
import {
  lunarMonthLength,
  lunarNewYear,
  lunarNewYearsEve,
  lunarToSolar,
  lunarYearOf,
} from '../../src/time/lunar.js'

// The lunar answers are kept once computed and lunarYearOf is derived from 正月初一: both are
// checked here against the library itself, for every year of its tables.
const { Lunar, LunarYear, Solar } = lunar
const YEARS = Array.from({ length: 2099 - 1901 + 1 }, (_, i) => 1901 + i)

describe('lunar calendar facts', () => {
  it('正月初一 and 除夕 agree with the library for 1901–2099, asked twice', () => {
    for (const year of YEARS) {
      const expected = Lunar.fromYmd(year, 1, 1).getSolar().toYmd()
      expect(lunarNewYear(year)).toBe(expected)
      expect(lunarNewYear(year)).toBe(expected)
      expect(lunarNewYearsEve(year - 1)).toBe(addDays(expected, -1))
    }
  })

  it('the lunar year of the days around each 春节 agrees with the library', () => {
    for (const year of YEARS) {
      const newYear = lunarNewYear(year)
      for (const date of [addDays(newYear, -1), newYear, `${year}-01-01`, `${year}-12-31`]) {
        const [y, m, d] = date.split('-').map(Number) as [number, number, number]
        expect(lunarYearOf(date), date).toBe(Solar.fromYmd(y, m, d).getLunar().getYear())
      }
    }
  })

  it('every month of every year, leap months included, has the library length and first day', () => {
    const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].flatMap((m) => [m, -m])
    for (const year of YEARS) {
      for (const m of MONTHS) {
        const month = LunarYear.fromYear(year).getMonth(m)
        if (!month) {
          expect(lunarMonthLength(year, m)).toBeUndefined()
          continue
        }
        const last = month.getDayCount()
        expect(lunarMonthLength(year, m)).toBe(last)
        expect(lunarToSolar(year, m, 1)).toBe(Lunar.fromYmd(year, m, 1).getSolar().toYmd())
        expect(lunarToSolar(year, m, last)).toBe(Lunar.fromYmd(year, m, last).getSolar().toYmd())
        expect(lunarToSolar(year, m, last + 1)).toBeUndefined()
      }
    }
    // Every month of 199 years against the library: seconds alone, past 15 s on a loaded machine.
  }, 60_000)

  it('a month that year does not have, or a day out of range, is undefined', () => {
    expect(lunarMonthLength(2026, -3)).toBeUndefined()
    expect(lunarToSolar(2026, 1, 0)).toBeUndefined()
    expect(lunarToSolar(2026, 1, 1.5)).toBeUndefined()
    expect(lunarMonthLength(2026, 1.5)).toBeUndefined()
  })
})
