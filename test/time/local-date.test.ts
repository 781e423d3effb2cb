import { describe, expect, it } from 'vitest'
import {
  addDays,
  daysBetween,
  instantAt,
  isLocalDate,
  localDateOf,
  weekdayName,
} from '../../src/time/local-date.js'
import { lunarNewYear } from '../../src/time/lunar.js'

describe('local dates', () => {
  it('rejects dates that do not exist', () => {
    expect(isLocalDate('2027-02-29')).toBe(false)
    expect(isLocalDate('2028-02-29')).toBe(true)
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
