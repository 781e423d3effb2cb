import { describe, expect, it } from 'vitest'
import { yearOfWord } from '../../src/parse/year-word.js'

describe('yearOfWord', () => {
  it.each([
    ['2026', 2026],
    ['2026年', 2026],
    ['2026 年度', 2026],
    ['26年', 2026],
    ['二〇二六年', 2026],
    ['二零二六年度', 2026],
    ['去年', 2026],
    ['上年度', 2026],
    ['去年度', 2026],
    ['今年', 2027],
    ['明年', 2028],
  ])('reads 「%s」 on a day of 2027 as %i', (word, year) => {
    expect(yearOfWord(word, 2027)).toBe(year)
  })

  it.each(['', '26', '2026年7月', '上个月', '李一', '2026年的'])(
    'reads 「%s」 as no year',
    (word) => {
      expect(yearOfWord(word, 2027)).toBeUndefined()
    },
  )
})
