import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chronoRelativeDays, plainDayWords, scanDates } from '../../src/parse/date.js'

// plainDayWords reads the plain day words without chrono; wherever it answers, it must answer
// what chrono does, over text made of the words and characters that could confuse the two.
const pieces = fc.constantFrom(
  ...['今天', '昨天', '前天', '大前天', '明天', '后天', '大后天', '今日', '昨日', '明日'],
  ...['今', '昨', '明', '前', '后', '大', '天', '日', '早', '晚', '夜', '朝', '上午', '下午'],
  ...['3', '三', '两', '个', '月', '年', '星期', '礼拜', '周', '之', '过', '内', '以'],
  ...['走访', '张三', '赵明华', '八一', '春节', ' ', '，', '。', '500元', '7月28日'],
)
const text = fc.array(pieces, { maxLength: 8 }).map((p) => p.join(''))
const today = fc.constantFrom('2026-07-30', '2026-01-01', '2027-02-28', '2028-02-29')

describe('plain day words', () => {
  it('are read as chrono reads them, wherever they are read without it', () => {
    let read = 0
    fc.assert(
      fc.property(text, today, (t, day) => {
        const plain = plainDayWords(t, day)
        if (plain === undefined) return
        read++
        expect(plain).toEqual(chronoRelativeDays(t, day))
      }),
      { numRuns: 4000 },
    )
    // The property says something only if the fast reading is taken often.
    expect(read).toBeGreaterThan(400)
  })

  it('leave to chrono what only chrono reads', () => {
    for (const t of ['今晚', '3天前', '八一前三天', '昨天3天前', '天前天', '今天以后']) {
      expect(plainDayWords(t, '2026-07-30')).toBeUndefined()
    }
  })

  it('give the day of a cadre’s line', () => {
    const now = new Date('2026-07-30T02:00:00Z')
    const on = (t: string) =>
      scanDates(t, { now, timezone: 'Asia/Shanghai', direction: 'past' }).map((d) => d.date)
    expect(on('走访 张三 今天 八一 慰问金500元')).toEqual(['2026-07-30', '2026-08-01'])
    expect(on('走访 张三 昨日')).toEqual(['2026-07-29'])
    expect(on('走访 张三 大前天')).toEqual(['2026-07-27'])
  })
})
