import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addDays,
  daysBetween,
  instantAt,
  isLocalDate,
  localDateOf,
  makeLocalDate,
  partsOf,
  weekdayName,
  zonedParts,
} from '../../src/time/local-date.js'
import { lunarNewYear } from '../../src/time/lunar.js'

describe('local dates', () => {
  it('rejects dates that do not exist', () => {
    expect(isLocalDate('2027-02-29')).toBe(false)
    expect(isLocalDate('2028-02-29')).toBe(true)
  })

  it('accepts exactly the YYYY-MM-DD strings the UTC calendar has a day for, years 0100-9999', () => {
    const byCalendar = (text: string) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
      if (!m) return false
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
      const day = new Date(0)
      day.setUTCFullYear(y, mo - 1, d)
      const real =
        day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d
      return real && y >= 100
    }
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    const dateLike = fc
      .tuple(fc.nat(9999), fc.nat(99), fc.nat(99))
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)
    fc.assert(
      fc.property(
        fc.oneof(dateLike, fc.string()),
        (text) => isLocalDate(text) === byCalendar(text),
      ),
      { numRuns: 20_000 },
    )
  })

  it('makes a date from numbers exactly when its YYYY-MM-DD is one, and reads it back', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    const part = fc.oneof(
      fc.integer({ min: -5, max: 10_050 }),
      fc.constantFrom(NaN, Infinity, 2026.5, -0, 1e21),
    )
    fc.assert(
      fc.property(part, part, part, (y, m, d) => {
        const written = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`
        const made = makeLocalDate(y, m, d)
        expect(made).toBe(isLocalDate(written) ? written : undefined)
        if (made !== undefined) expect(partsOf(made)).toEqual({ year: y, month: m, day: d })
      }),
      { numRuns: 20_000 },
    )
    expect(makeLocalDate(2028, 2, 29)).toBe('2028-02-29')
    expect(makeLocalDate(812, 8, 1)).toBe('0812-08-01')
    expect(partsOf('2026-x7-01').month).toBeNaN()
  })

  it('when it is 23:30 UTC, the Shanghai date is the next day', () => {
    expect(localDateOf(new Date('2026-11-28T23:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-29')
  })

  it('09:00 in Shanghai is 01:00 UTC', () => {
    expect(instantAt('2027-07-16', 9, 0, 'Asia/Shanghai').toISOString()).toBe(
      '2027-07-16T01:00:00.000Z',
    )
  })

  it('adds days across months and counts them back', () => {
    expect(addDays('2027-08-01', -14)).toBe('2027-07-18')
    expect(daysBetween('2027-07-18', '2027-08-01')).toBe(14)
    expect(weekdayName('2027-07-18')).toBe('周日')
  })
})

describe('zonedParts', () => {
  // Zones with DST, half-hour DST (Lord Howe) and a quarter-hour offset (Kathmandu).
  const ZONES = [
    'Asia/Shanghai',
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
  ]
  const icuParts = (instant: Date, timeZone: string) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(instant)
        .map((p) => [p.type, Number(p.value)]),
    )
    const { year, month, day, hour, minute, second } = parts
    return { year, month, day, hour, minute, second }
  }

  it('agrees with ICU at any instant, across DST changes, in every zone tried', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        fc.constantFrom(...ZONES),
        (instant, zone) => {
          expect(zonedParts(instant, zone)).toEqual(icuParts(instant, zone))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('agrees with ICU a second either side of a DST change', () => {
    // New York sprang forward at 2027-03-14 07:00 UTC; Lord Howe falls back 30 min at 15:00 UTC.
    for (const [iso, zone] of [
      ['2027-03-14T07:00:00Z', 'America/New_York'],
      ['2027-04-03T15:00:00Z', 'Australia/Lord_Howe'],
    ] as const) {
      for (const delta of [-1000, 0, 1000]) {
        const instant = new Date(Date.parse(iso) + delta)
        expect(zonedParts(instant, zone)).toEqual(icuParts(instant, zone))
      }
    }
  })
})

describe('lunarNewYear', () => {
  it('gives the 春节 dates of domain.md', () => {
    expect([2027, 2028, 2029, 2030].map(lunarNewYear)).toEqual([
      '2027-02-06',
      '2028-01-26',
      '2029-02-13',
      '2030-02-03',
    ])
  })
})
