import { describe, expect, it } from 'vitest'
import {
  campaignOfDate,
  defaultCampaign,
  findOccasion,
  occasionOfAnswer,
  seasonYear,
} from '../src/occasions.js'

describe('the season rule: an occasion without a year is its nearest instance', () => {
  it.each([
    // 八一 2026 is 123 days back on 12-02, 八一 2027 242 days ahead.
    ['八一', '2026-12-02', 2026],
    ['八一', '2027-01-31', 2027],
    ['八一', '2027-07-17', 2027],
    ['八一', '2027-08-20', 2027],
    // 春节 2026-02-17, 2027-02-06: on 12-02 the coming one is nearer.
    ['春节', '2026-12-02', 2027],
    ['春节', '2026-08-10', 2026],
    ['春节', '2027-02-07', 2027],
    ['元旦', '2026-12-02', 2027],
    ['元旦', '2026-12-28', 2027],
    ['元旦', '2026-06-30', 2026],
    ['元旦', '2026-07-03', 2027],
    ['日常', '2026-12-31', 2026],
    ['困难帮扶', '2027-01-01', 2027],
  ] as const)('%s on %s is %i', (occasion, date, year) => {
    expect(seasonYear(occasion, date)).toBe(year)
  })

  it.each([
    // No campaign runs: the nearest day (元旦 2027, 30 days) wins over 春节 and 八一.
    ['2026-12-02', { occasion: '元旦', year: 2027 }],
    ['2026-12-20', { occasion: '元旦', year: 2027 }],
    // 元旦 ended yesterday; 春节 2027's window opens on 01-23, so its visits are what is asked.
    ['2027-01-02', { occasion: '春节', year: 2027 }],
    // 八一 ended yesterday and nothing opens for months: its final figures are the answer.
    ['2026-08-02', { occasion: '八一', year: 2026 }],
    ['2026-10-10', { occasion: '八一', year: 2026 }],
    // 元旦 is 24 days back, but 春节 2027's window opened on 01-23.
    ['2027-01-25', { occasion: '春节', year: 2027 }],
    ['2027-03-01', { occasion: '春节', year: 2027 }],
    ['2027-07-20', { occasion: '八一', year: 2027 }],
    ['2027-09-15', { occasion: '八一', year: 2027 }],
  ])('a question naming no campaign on %s means %o', (today, expected) => {
    expect(defaultCampaign(today)).toEqual(expected)
  })
})

describe('the campaign a visit date implies', () => {
  it.each([
    ['2027-07-17', undefined],
    ['2027-07-18', { occasion: '八一', year: 2027 }],
    ['2027-08-01', { occasion: '八一', year: 2027 }],
    ['2027-08-02', undefined],
    ['2027-01-22', undefined],
    ['2027-01-23', { occasion: '春节', year: 2027 }],
    ['2027-02-06', { occasion: '春节', year: 2027 }],
    ['2027-02-07', undefined],
    ['2026-12-17', undefined],
    ['2026-12-18', { occasion: '元旦', year: 2027 }],
    ['2027-01-01', { occasion: '元旦', year: 2027 }],
    ['2027-01-02', undefined],
  ])('%s implies %o', (date, expected) => {
    expect(campaignOfDate(date)).toEqual(expected)
  })
})

describe('one vocabulary of occasion words', () => {
  it.each([
    ['八一建军节', '八一'],
    ['建军节', '八一'],
    ['过年', '春节'],
    ['除夕', '春节'],
    ['大年初一', '春节'],
    ['元旦节', '元旦'],
    ['平时', '日常'],
    ['帮扶', '困难帮扶'],
  ] as const)('%s is %s, as an answer and inside a line', (word, occasion) => {
    expect(occasionOfAnswer(word)).toBe(occasion)
    expect(findOccasion(`张三 今天 ${word} 慰问金500元`)?.occasion).toBe(occasion)
  })

  it('takes the longest word, so 八一建军节 is cut out whole', () => {
    expect(findOccasion('走访 八一建军节 张三')).toEqual({ occasion: '八一', start: 3, end: 8 })
  })

  it('an answer that is not exactly an occasion word is not one', () => {
    expect(occasionOfAnswer('八一吧')).toBeUndefined()
  })
})
