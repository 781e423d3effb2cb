import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  describeImpossibleDate,
  findDate,
  formatDate,
  formatMonthDay,
  parseDate,
  readDate,
  scanDateWords,
  NEAR_AHEAD_DAYS,
  type DateDirection,
} from '../../src/parse/date.js'
import { foldText } from '../../src/parse/normalize.js'
import { addDays, daysBetween, localDateOf, partsOf, weekdayOf } from '../../src/time/local-date.js'
import { lunarMonthLength, lunarNewYear, lunarYearOf } from '../../src/time/lunar.js'

const TZ = 'Asia/Shanghai'
/** 2026-11-28 10:00 in Shanghai, a Saturday. */
const NOW = new Date('2026-11-28T02:00:00Z')
const past = { now: NOW, timezone: TZ, direction: 'past' as const }
const future = { now: NOW, timezone: TZ, direction: 'future' as const }

/** Any instant whose Shanghai date lies inside the supported years. */
const anyNow = fc.date({
  min: new Date('1901-01-01T00:00:00Z'),
  max: new Date('2099-12-31T00:00:00Z'),
  noInvalidDate: true,
})
const anyDate = fc
  .date({
    min: new Date('1900-01-01T00:00:00Z'),
    max: new Date('2100-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10))

describe('parseDate', () => {
  it.each([
    ['2027-07-25', '2027-07-25'],
    ['2027/7/25', '2027-07-25'],
    ['2027.7.25', '2027-07-25'],
    ['2027年7月25日', '2027-07-25'],
    ['2027年7月25号', '2027-07-25'],
    ['二〇二七年七月二十五日', '2027-07-25'],
    ['今天', '2026-11-28'],
    ['今日', '2026-11-28'],
    ['昨天', '2026-11-27'],
    ['前天', '2026-11-26'],
    ['大前天', '2026-11-25'],
    ['明天', '2026-11-29'],
    ['后天', '2026-11-30'],
    ['大后天', '2026-12-01'],
    ['3天前', '2026-11-25'],
    ['两天后', '2026-11-30'],
    ['昨天下午', '2026-11-27'],
    ['今晚', '2026-11-28'],
    ['上周五', '2026-11-20'],
    ['上个星期五', '2026-11-20'],
    ['本周三', '2026-11-25'],
    ['这周三', '2026-11-25'],
    ['这周日', '2026-11-29'],
    ['下周一', '2026-11-30'],
    ['上周日', '2026-11-22'],
    ['下周日', '2026-12-06'],
  ])('when given %s on Saturday 2026-11-28, returns %s in either direction', (text, date) => {
    expect(parseDate(text, past)).toBe(date)
    expect(parseDate(text, future)).toBe(date)
  })

  it.each([
    ['7月25日', '2026-07-25', '2027-07-25'],
    ['7月25号', '2026-07-25', '2027-07-25'],
    ['7月25', '2026-07-25', '2027-07-25'],
    ['七月二十五日', '2026-07-25', '2027-07-25'],
    ['七月廿五', '2026-07-25', '2027-07-25'],
    ['7.25', '2026-07-25', '2027-07-25'],
    ['7-25', '2026-07-25', '2027-07-25'],
    ['7/25', '2026-07-25', '2027-07-25'],
    ['12月1日', '2026-12-01', '2026-12-01'],
    ['1月28日', '2027-01-28', '2027-01-28'],
    ['1月30日', '2026-01-30', '2027-01-30'],
    ['11月28日', '2026-11-28', '2026-11-28'],
    ['11月29日', '2026-11-29', '2026-11-29'],
    ['11月27日', '2026-11-27', '2027-11-27'],
    ['2月29日', '2024-02-29', '2028-02-29'],
    ['周五', '2026-11-27', '2026-12-04'],
    ['星期五', '2026-11-27', '2026-12-04'],
    ['礼拜五', '2026-11-27', '2026-12-04'],
    ['周六', '2026-11-28', '2026-11-28'],
    ['星期天', '2026-11-22', '2026-11-29'],
    ['八一', '2026-08-01', '2027-08-01'],
    ['建军节', '2026-08-01', '2027-08-01'],
    ['元旦', '2027-01-01', '2027-01-01'],
    ['春节', '2026-02-17', '2027-02-06'],
    ['除夕', '2026-02-16', '2027-02-05'],
  ])(
    // Looking back is the most recent one, unless the next is at most two months ahead
    // (NEAR_AHEAD_DAYS): on 11-28, 1月28日 (61 days) is the coming one, 1月30日 (63) last year's.
    'when given %s without a year, resolves to %s looking back and %s looking ahead',
    (text, before, after) => {
      expect(parseDate(text, past)).toBe(before)
      expect(parseDate(text, future)).toBe(after)
    },
  )

  it.each([
    ['７月２５日', '2026-07-25'],
    ['２０２７－０７－２５', '2027-07-25'],
    ['７．２５', '2026-07-25'],
    ['後天', '2026-11-30'],
    ['上週五', '2026-11-20'],
    ['禮拜五', '2026-11-27'],
    ['春節', '2026-02-17'],
    ['昨天 ', '2026-11-27'],
  ])('when %s is folded first, reads it like the simplified half-width form', (text, date) => {
    expect(parseDate(foldText(text), past)).toBe(date)
  })

  it.each([
    ['2月30日'],
    ['13月1日'],
    ['2027-02-29'],
    ['2027-13-01'],
    ['7月32日'],
    ['7月'],
    ['0.5'],
    ['1.5万'],
    ['9:30'],
    ['2207-07-25'],
    ['张三'],
    ['明天 张三'],
    ['每周一'],
    [''],
  ])('when given %j, returns undefined', (text) => {
    expect(parseDate(text, past)).toBeUndefined()
  })

  it('when the Shanghai day has turned but UTC has not, 今天 is the Shanghai day', () => {
    const lateUtc = {
      now: new Date('2026-11-28T17:30:00Z'),
      timezone: TZ,
      direction: 'past' as const,
    }

    expect(parseDate('今天', lateUtc)).toBe('2026-11-29')
    expect(parseDate('昨天', lateUtc)).toBe('2026-11-28')
    expect(parseDate('明天', lateUtc)).toBe('2026-11-30')
  })

  it('when given another zone, counts days in that zone', () => {
    const newYork = { now: new Date('2026-11-28T02:00:00Z'), timezone: 'America/New_York' }

    expect(parseDate('今天', { ...newYork, direction: 'past' })).toBe('2026-11-27')
  })

  describe('when the machine runs in another zone', () => {
    const saved = process.env.TZ
    afterEach(() => {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    })

    it('still counts relative days in the bot zone', () => {
      process.env.TZ = 'America/Los_Angeles'
      const lateUtc = {
        now: new Date('2026-11-28T17:30:00Z'),
        timezone: TZ,
        direction: 'past' as const,
      }

      expect(parseDate('今天', lateUtc)).toBe('2026-11-29')
      expect(parseDate('3天前', lateUtc)).toBe('2026-11-26')
      expect(parseDate('上周五', lateUtc)).toBe('2026-11-20')
    })
  })

  it('when given an invalid zone or instant, returns undefined instead of throwing', () => {
    expect(parseDate('今天', { ...past, timezone: 'Mars/Olympus' })).toBeUndefined()
    expect(parseDate('今天', { ...past, now: new Date(NaN) })).toBeUndefined()
  })

  it('when given formatDate output for any valid date, round-trips', () => {
    fc.assert(
      fc.property(anyDate, anyNow, (date, now) => {
        expect(parseDate(formatDate(date), { now, timezone: TZ, direction: 'past' })).toBe(date)
        const { year, month, day } = partsOf(date)
        expect(
          parseDate(`${year}年${month}月${day}日`, { now, timezone: TZ, direction: 'future' }),
        ).toBe(date)
      }),
    )
  })

  it('when a month and day come without a year, obeys the direction rule for any now', () => {
    const direction = fc.constantFrom<DateDirection>('past', 'future')
    fc.assert(
      fc.property(
        anyNow,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        direction,
        (now, month, day, dir) => {
          const today = localDateOf(now, TZ)
          const date = parseDate(`${month}月${day}日`, { now, timezone: TZ, direction: dir })!

          expect(partsOf(date)).toMatchObject({ month, day })
          const ahead = daysBetween(today, date)
          // Looking back: the most recent, or the next when it is at most two months ahead.
          if (dir === 'past') expect(ahead).toBeLessThanOrEqual(NEAR_AHEAD_DAYS)
          else expect(ahead).toBeGreaterThanOrEqual(0)
          if (dir === 'past' && ahead < 0) {
            const next = parseDate(`${month}月${day}日`, {
              now,
              timezone: TZ,
              direction: 'future',
            })!
            expect(daysBetween(today, next)).toBeGreaterThan(NEAR_AHEAD_DAYS)
          }
          // The most recent / the next: never a whole year further than needed.
          expect(Math.abs(ahead)).toBeLessThan(366)
          expect(parseDate(`${month}.${day}`, { now, timezone: TZ, direction: dir })).toBe(date)
        },
      ),
    )
  })

  it('when a bare weekday is given, returns that weekday within the week in the direction', () => {
    const names = ['日', '一', '二', '三', '四', '五', '六']
    fc.assert(
      fc.property(anyNow, fc.integer({ min: 0, max: 6 }), fc.boolean(), (now, weekday, back) => {
        const today = localDateOf(now, TZ)
        const dir: DateDirection = back ? 'past' : 'future'
        const date = parseDate(`周${names[weekday]}`, { now, timezone: TZ, direction: dir })!

        expect(weekdayOf(date)).toBe(weekday)
        const ahead = daysBetween(today, date)
        expect(back ? -ahead : ahead).toBeGreaterThanOrEqual(0)
        expect(back ? -ahead : ahead).toBeLessThanOrEqual(6)
      }),
    )
  })

  it('when 上周/下周 is given, lands in the Monday-first week before or after', () => {
    fc.assert(
      fc.property(anyNow, fc.constantFrom('一', '三', '五', '日'), (now, name) => {
        const today = localDateOf(now, TZ)
        const monday = addDays(today, -((weekdayOf(today) + 6) % 7))
        const last = parseDate(`上周${name}`, { now, timezone: TZ, direction: 'past' })!
        const next = parseDate(`下周${name}`, { now, timezone: TZ, direction: 'past' })!

        expect(daysBetween(addDays(monday, -7), last)).toBeGreaterThanOrEqual(0)
        expect(daysBetween(last, monday)).toBeGreaterThan(0)
        expect(daysBetween(addDays(monday, 7), next)).toBeGreaterThanOrEqual(0)
        expect(daysBetween(next, addDays(monday, 14))).toBeGreaterThan(0)
      }),
    )
  })

  it('when given arbitrary unicode, never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), anyNow, (text, now) => {
        const date = parseDate(text, { now, timezone: TZ, direction: 'past' })
        expect(date === undefined || /^\d{4}-\d{2}-\d{2}$/.test(date)).toBe(true)
      }),
    )
    const dateish = [
      ...'0123456789年月日号.-/今昨明前后大天周星期礼拜上下这本一二三四五六七八九十廿八一春节元旦除夕 ',
    ]
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...dateish), maxLength: 10 }), (text) => {
        const date = parseDate(text, past)
        expect(date === undefined || /^\d{4}-\d{2}-\d{2}$/.test(date)).toBe(true)
      }),
    )
  })
})

describe('findDate', () => {
  it('when a visit line names a date and an occasion, returns the written date and its span', () => {
    const text = '走访 张三 7月28日 八一 慰问金500元'

    expect(findDate(text, past)).toEqual({
      date: '2026-07-28',
      start: 6,
      end: 11,
      kind: 'month-day',
      text: '7月28日',
      yearFrom: 'direction',
    })
  })

  it('when the occasion comes first, still prefers the written date', () => {
    expect(findDate('走访 张三 八一 7月28日', past)?.date).toBe('2026-07-28')
  })

  it('when only an occasion is written, returns it unless occasions are turned off', () => {
    expect(findDate('走访 张三 八一', past)?.date).toBe('2026-08-01')
    expect(findDate('走访 张三 八一', { ...past, occasions: false })).toBeUndefined()
  })

  it('when a surname 周 could be a weekday, prefers any written date', () => {
    expect(findDate('走访 周三 昨天', past)).toMatchObject({ date: '2026-11-27', kind: 'relative' })
  })

  it('when a count or a phone number precedes the date, does not read it as the year', () => {
    expect(findDate('活动 座谈会 人数40 7月30日', past)?.date).toBe('2026-07-30')
    expect(findDate('电话13800000000 7月28日', past)?.date).toBe('2026-07-28')
  })

  it('when an amount looks like month.day, does not read it as a date', () => {
    expect(findDate('慰问金1.5万 米3.5元', past)).toBeUndefined()
    expect(findDate('8600.50元', past)).toBeUndefined()
  })

  it('when a part of day follows the date, includes it in the span', () => {
    const text = '走访 张三 昨天下午 八一'

    expect(findDate(text, past)).toMatchObject({ date: '2026-11-27', start: 6, end: 10 })
  })

  it('when there is no date, returns undefined', () => {
    expect(findDate('对象 张三', past)).toBeUndefined()
  })
})

describe('a date without a year still ahead, for something done (NEAR_AHEAD_DAYS)', () => {
  const on = (iso: string) => ({ now: new Date(iso), timezone: TZ, direction: 'past' as const })
  const read = (text: string, iso: string) => findDate(text, { ...on(iso), occasions: false })

  it.each([
    // date written, the clock (Shanghai 10:00), read as, the reading it had before
    ['7月26日', '2026-07-25T02:00:00Z', '2026-07-26', '2025-07-26'],
    ['9月1日', '2026-07-28T02:00:00Z', '2026-09-01', '2025-09-01'],
    ['9.25', '2026-07-25T02:00:00Z', '2026-09-25', '2025-09-25'],
    ['腊月二十八', '2027-01-20T02:00:00Z', '2027-02-04', '2026-02-15'],
    ['正月初三', '2027-01-20T02:00:00Z', '2027-02-08', '2026-02-19'],
    ['除夕', '2027-01-20T02:00:00Z', '2027-02-05', '2026-02-16'],
    ['八一前三天', '2026-07-20T02:00:00Z', '2026-07-29', '2025-07-29'],
    // The year's turn: in late December a January day is the coming one.
    ['1月3日', '2026-12-28T02:00:00Z', '2027-01-03', '2026-01-03'],
    // 2月29日 in a leap year's February is this month's, four years after the last.
    ['2月29日', '2028-02-20T02:00:00Z', '2028-02-29', '2024-02-29'],
  ])('%s on %s is %s, not %s', (text, iso, date, previous) => {
    expect(read(`走访 张三 ${text} 慰问金500元`, iso)).toMatchObject({
      date,
      text,
      yearFrom: 'direction',
      previous,
    })
  })

  it.each([
    // More than two months ahead: last year's, as before (and the command asks about it).
    ['9月26日', '2026-07-25T02:00:00Z', '2025-09-26'],
    ['10月1日', '2026-07-25T02:00:00Z', '2025-10-01'],
    ['1月10日', '2026-07-25T02:00:00Z', '2026-01-10'],
    // Early January: December is last month, never next December.
    ['12月28日', '2027-01-05T02:00:00Z', '2026-12-28'],
    ['腊月二十八', '2026-11-28T02:00:00Z', '2026-02-15'],
    ['2月29日', '2027-02-20T02:00:00Z', '2024-02-29'],
    // Today and the days behind it are what they were.
    ['7月25日', '2026-07-25T02:00:00Z', '2026-07-25'],
    ['7月24日', '2026-07-25T02:00:00Z', '2026-07-24'],
  ])('%s on %s is %s', (text, iso, date) => {
    const match = read(`走访 张三 ${text}`, iso)
    expect(match).toMatchObject({ date })
    expect(match?.previous).toBeUndefined()
  })

  it('reads the edge of the window in a day: 62 days ahead is ahead, 63 is last year', () => {
    // 2026-07-25 + 62 = 2026-09-25.
    expect(parseDate('9月25日', on('2026-07-25T02:00:00Z'))).toBe('2026-09-25')
    expect(parseDate('9月26日', on('2026-07-25T02:00:00Z'))).toBe('2025-09-26')
    expect(NEAR_AHEAD_DAYS).toBe(62)
  })

  it('a written year is taken as written, and a reminder still looks ahead', () => {
    expect(read('走访 张三 2025年7月26日', '2026-07-25T02:00:00Z')).toMatchObject({
      date: '2025-07-26',
      yearFrom: 'written',
    })
    expect(read('走访 张三 2025年7月26日', '2026-07-25T02:00:00Z')?.previous).toBeUndefined()
    const reminder = { now: new Date('2026-07-25T02:00:00Z'), timezone: TZ }
    expect(parseDate('10月1日', { ...reminder, direction: 'future' })).toBe('2026-10-01')
    expect(parseDate('7月24日', { ...reminder, direction: 'future' })).toBe('2027-07-24')
  })
})

describe('lunar dates (issue 11)', () => {
  it.each([
    ['腊月二十八', '2026-02-15', '2027-02-04'],
    ['腊月廿八', '2026-02-15', '2027-02-04'],
    ['正月初三', '2026-02-19', '2027-02-08'],
    ['正月十五', '2026-03-03', '2027-02-20'],
    ['二月初二', '2026-03-20', '2027-03-09'],
    ['农历七月十五', '2026-08-27', '2027-08-16'],
    ['冬月初一', '2026-12-09', '2026-12-09'],
    ['腊月初一', '2027-01-08', '2027-01-08'],
    ['除夕', '2026-02-16', '2027-02-05'],
    ['大年三十', '2026-02-16', '2027-02-05'],
    ['大年初一', '2026-02-17', '2027-02-06'],
  ])(
    // A done thing's lunar day is the coming one when at most two months ahead (NEAR_AHEAD_DAYS):
    // 冬月初一 is 11 days off and 腊月初一 41, while 腊月二十八 (68) is last year's.
    'when given %s on 2026-11-28, reads %s for a done thing and %s for a reminder',
    (text, before, after) => {
      expect(parseDate(text, past)).toBe(before)
      expect(parseDate(text, future)).toBe(after)
    },
  )

  it('when a Gregorian year is written before a lunar day, reads the one falling in that year', () => {
    expect(parseDate('2027年腊月二十八', past)).toBe('2027-02-04')
    expect(parseDate('2026年正月初三', future)).toBe('2026-02-19')
  })

  it('when the month is written as a number without 初, 农历 or a lunar month name, reads it as Gregorian', () => {
    expect(parseDate('七月二十五', past)).toBe('2026-07-25')
    expect(parseDate('十二月二十八', future)).toBe('2026-12-28')
  })

  it('when any lunar day without a year is read, obeys the direction rule for any now', () => {
    const direction = fc.constantFrom<DateDirection>('past', 'future')
    const names = ['正', '二', '三', '四', '五', '六', '七', '八', '九', '十', '冬', '腊']
    const days = ['初一', '初九', '十五', '二十', '廿八', '二十九']
    fc.assert(
      fc.property(
        anyNow,
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom(...days),
        direction,
        (now, month, day, dir) => {
          const today = localDateOf(now, TZ)
          const date = parseDate(`农历${names[month]}月${day}`, {
            now,
            timezone: TZ,
            direction: dir,
          })
          if (date === undefined) return
          const ahead = daysBetween(today, date)
          if (dir === 'past') expect(ahead).toBeLessThanOrEqual(NEAR_AHEAD_DAYS)
          else expect(ahead).toBeGreaterThanOrEqual(0)
          // A lunar year is at most 385 days: never one further than needed.
          expect(Math.abs(ahead)).toBeLessThan(385)
        },
      ),
    )
  })

  it('when 除夕 is read, it is the last day of the 12th lunar month, the eve of 春节', () => {
    fc.assert(
      fc.property(anyNow, (now) => {
        const eve = parseDate('除夕', { now, timezone: TZ, direction: 'past' })
        if (eve === undefined) return
        const lunarYear = lunarYearOf(eve)
        expect(addDays(eve, 1)).toBe(lunarNewYear(lunarYear + 1))
        expect([29, 30]).toContain(lunarMonthLength(lunarYear, 12))
      }),
    )
  })

  it('when 腊月三十 is asked of a 29-day 腊月, names it and points at 除夕', () => {
    expect(parseDate('腊月三十', future)).toBeUndefined()
    expect(readDate('腊月三十', future)).toEqual({
      impossible: expect.objectContaining({
        text: '腊月三十',
        reason: '农历2026年腊月只有29天，除夕是腊月二十九（2027-02-05）',
        suggestion: '除夕',
      }),
    })
  })
})

describe('dates relative to an occasion (issue 11)', () => {
  it.each([
    ['八一前一周', '2026-07-25', '2027-07-25'],
    ['八一前1周', '2026-07-25', '2027-07-25'],
    ['建军节前一个星期', '2026-07-25', '2027-07-25'],
    ['八一后两天', '2026-08-03', '2027-08-03'],
    ['春节前三天', '2026-02-14', '2027-02-03'],
    ['除夕前两天', '2026-02-14', '2027-02-03'],
    ['元旦前一周', '2026-12-25', '2026-12-25'],
    ['元旦以后十天', '2027-01-11', '2027-01-11'],
    ['春节后十天', '2026-02-27', '2027-02-16'],
  ])(
    'when given %s on 2026-11-28, reads %s looking back and %s looking ahead',
    (text, before, after) => {
      expect(parseDate(text, past)).toBe(before)
      expect(parseDate(text, future)).toBe(after)
    },
  )

  it('when the offset date has come this year but the occasion has not, each direction takes its own', () => {
    // 2026-07-28: 八一前一周 (07-25) is behind, 八一 itself ahead.
    const july28 = { now: new Date('2026-07-28T02:00:00Z'), timezone: TZ }

    expect(parseDate('八一前一周', { ...july28, direction: 'past' })).toBe('2026-07-25')
    expect(parseDate('八一前一周', { ...july28, direction: 'future' })).toBe('2027-07-25')
    expect(parseDate('八一', { ...july28, direction: 'future' })).toBe('2026-08-01')
  })

  it('when written in a line, the whole phrase is one date and nothing is left over', () => {
    const words = scanDateWords('走访 张三 八一前一周 慰问金500元', past)

    expect(words.dates).toEqual([
      {
        date: '2026-07-25',
        start: 6,
        end: 11,
        kind: 'occasion-offset',
        text: '八一前一周',
        yearFrom: 'direction',
      },
    ])
  })
})

describe('impossible dates (issue 11)', () => {
  it.each([
    ['11月31日', '11月只有30天', '11月30日'],
    // The February it would fall in: 2026's, 28 days (a 2月29日 suggested was then refused).
    ['2月30日', '2月只有28天', '2月28日'],
    ['7月32日', '7月只有31天', '7月31日'],
    ['四月三十一日', '4月只有30天', '4月30日'],
    ['2027年2月29日', '2027年2月只有28天', '2027年2月28日'],
    ['2027-02-29', '2027年2月只有28天', '2027年2月28日'],
    ['13月1日', '一年只有12个月', undefined],
  ])('when given %s, names it as impossible: %s', (text, reason, suggestion) => {
    expect(parseDate(text, past)).toBeUndefined()
    expect(readDate(text, past)).toEqual({
      impossible: { start: 0, end: text.length, text, reason, suggestion },
    })
  })

  it('2月30日 in a leap year suggests 2月29日', () => {
    const leap = {
      now: new Date('2028-01-10T02:00:00Z'),
      timezone: TZ,
      direction: 'future' as const,
    }
    expect(readDate('2月30日', leap)).toMatchObject({
      impossible: { reason: '2月只有29天', suggestion: '2月29日' },
    })
  })

  it('when glued to a name, is cut out as a date, not left to the name', () => {
    expect(scanDateWords('杨福凤11月31日', past)).toEqual({
      dates: [],
      impossible: [
        { start: 3, end: 9, text: '11月31日', reason: '11月只有30天', suggestion: '11月30日' },
      ],
    })
  })

  it('when named in a reply, says what is wrong and how to write it', () => {
    const read = readDate('11月31日', past)

    expect(read && 'impossible' in read && describeImpossibleDate(read.impossible)).toBe(
      '11月31日 不存在（11月只有30天），未登记。请核对日期后重发，如「11月30日」。',
    )
  })

  it('when a number only looks like month.day, is neither a date nor an impossible one', () => {
    expect(scanDateWords('米3.5元 11.31', past)).toEqual({ dates: [], impossible: [] })
  })
})

describe('a month written without its day', () => {
  it.each([
    ['2026年11月', '2026年11月20日'],
    ['11月份', '11月20日'],
    ['11月下旬', '11月20日'],
    ['十一月', '11月20日'],
    ['明年3月', '明年3月20日'],
  ])('when given %s, asks for the day rather than taking it for a word', (text, suggestion) => {
    expect(readDate(text, past)).toEqual({
      impossible: {
        start: 0,
        end: text.length,
        text,
        reason: '没写哪一天',
        suggestion,
        missingDay: true,
      },
    })
    const read = readDate(text, past)
    expect(read && 'impossible' in read && describeImpossibleDate(read.impossible)).toBe(
      `「${text}」没写哪一天，未登记。请写上几号后重发，如「${suggestion}」。`,
    )
  })

  it.each(['李三月', '11月28日', '十一月二十', '腊月', '农历十月初三', '每月', '上个月', '3个月'])(
    'when given %s, asks nothing',
    (text) => {
      expect(scanDateWords(text, past).impossible).toEqual([])
    },
  )
})

describe('a 日 that begins the next word (十一月二十 日常)', () => {
  it.each([
    ['十一月二十 日常', '十一月二十'],
    ['11月20 日常', '11月20'],
    ['农历十月初三 日常', '农历十月初三'],
    ['11月20 日', '11月20 日'],
    ['11月20 号', '11月20 号'],
  ])('when given %s, reads the date as %s and leaves the word', (text, read) => {
    expect(scanDateWords(text, past).dates.map((d) => d.text)).toEqual([read])
  })
})

describe('where a year came from (issue 11)', () => {
  it.each([
    ['2027-07-25', '2027-07-25', 'full', 'written'],
    ['明年3月1日', '2027-03-01', 'full', 'written'],
    ['去年12月28日', '2025-12-28', 'full', 'written'],
    ['今年7月25日', '2026-07-25', 'full', 'written'],
    ['7月25日', '2026-07-25', 'month-day', 'direction'],
    ['腊月二十八', '2026-02-15', 'lunar', 'direction'],
    ['八一前一周', '2026-07-25', 'occasion-offset', 'direction'],
    ['昨天', '2026-11-27', 'relative', 'today'],
    ['上周五', '2026-11-20', 'relative', 'today'],
  ])('when given %s, reads %s as %s with its year %s', (text, date, kind, yearFrom) => {
    expect(readDate(text, past)).toEqual({
      date: { date, start: 0, end: text.length, kind, text, yearFrom },
    })
  })
})

describe('formatDate and formatMonthDay', () => {
  it('when given 2027-07-25, write 2027-07-25 and 07-25', () => {
    expect(formatDate('2027-07-25')).toBe('2027-07-25')
    expect(formatMonthDay('2027-07-25')).toBe('07-25')
  })
})

describe('a day with no month (23号)', () => {
  // 2026-12-03 10:00 in Shanghai.
  const dec3 = new Date('2026-12-03T02:00:00Z')
  const readOn = (now: Date, text: string, direction: DateDirection = 'past') =>
    scanDateWords(text, { now, timezone: TZ, direction })

  it.each([
    ['23号', '2026-11-23'],
    ['1号', '2026-12-01'],
    ['3号', '2026-12-03'],
    ['廿三号', '2026-11-23'],
    ['二十三日', '2026-11-23'],
    ['23 号', '2026-11-23'],
    ['张三 4日 日常', '2026-11-04'],
  ])('for something done, %s on 12-03 is the most recent such day: %s', (text, date) => {
    expect(readOn(dec3, text).dates.map((d) => [d.date, d.kind, d.yearFrom])).toEqual([
      [date, 'day', 'today'],
    ])
  })

  it('for a reminder it is the next such day, into the next month and year', () => {
    expect(readOn(dec3, '23号', 'future').dates[0]!.date).toBe('2026-12-23')
    expect(readOn(dec3, '1号', 'future').dates[0]!.date).toBe('2027-01-01')
    expect(readOn(dec3, '3号', 'future').dates[0]!.date).toBe('2026-12-03')
  })

  it.each([
    ['本月22日', '2026-12-22'],
    ['这个月1号', '2026-12-01'],
    ['这月3日', '2026-12-03'],
    ['上个月28号', '2026-11-28'],
    ['上月5日', '2026-11-05'],
    ['下个月1号', '2027-01-01'],
  ])('%s on 12-03 is counted from this month: %s, its words read whole', (text, date) => {
    expect(readOn(dec3, `走访 李二 ${text} 日常`).dates.map((d) => [d.text, d.date])).toEqual([
      [text, date],
    ])
  })

  it('says a day its month lacks: 上月31日 on 12-03', () => {
    expect(readOn(dec3, '上月31日').impossible[0]).toMatchObject({ reason: '2026年11月只有30天' })
  })

  it('crosses the turn of the year back', () => {
    expect(readOn(new Date('2027-01-05T02:00:00Z'), '28号').dates[0]!.date).toBe('2026-12-28')
  })

  it('refuses a day the month it falls in does not have, naming the month', () => {
    expect(readOn(dec3, '31号')).toEqual({
      dates: [],
      impossible: [
        { start: 0, end: 3, text: '31号', reason: '11月只有30天', suggestion: '11月30日' },
      ],
    })
    expect(readOn(new Date('2027-03-05T02:00:00Z'), '29号').impossible[0]!.reason).toBe(
      '2月只有28天',
    )
    expect(readOn(dec3, '32号').impossible[0]!.reason).toBe('一个月最多31天')
    expect(readOn(dec3, '0号').impossible[0]!.reason).toBe('日子从1日数起')
  })

  it.each(['李三日常', '3号楼', '铁炉嘴村5号院', '第3号', '3日内', '张三 3 日常', '13800001111号'])(
    'leaves %s alone',
    (text) => {
      expect(readOn(dec3, text)).toEqual({ dates: [], impossible: [] })
    },
  )

  it('is never after today for something done, and never a month or more back', () => {
    fc.assert(
      fc.property(anyNow, fc.integer({ min: 1, max: 28 }), (now, day) => {
        const today = localDateOf(now, TZ)!
        const [read] = readOn(now, `${day}号`).dates
        expect(read!.date <= today).toBe(true)
        expect(daysBetween(read!.date, today)).toBeLessThan(31)
        const [ahead] = readOn(now, `${day}号`, 'future').dates
        expect(ahead!.date >= today).toBe(true)
        expect(daysBetween(today, ahead!.date)).toBeLessThan(31)
      }),
    )
  })
})

describe('festivals that are no campaign (中秋, 元宵, 端午, 重阳, 国庆; 小年 refused)', () => {
  // 2026-10-10 10:00 in Shanghai.
  const oct10 = { now: new Date('2026-10-10T02:00:00Z'), timezone: TZ, direction: 'past' as const }

  it.each([
    ['中秋', '2026-09-25'],
    ['中秋节', '2026-09-25'],
    ['元宵', '2026-03-03'],
    ['端午节', '2026-06-19'],
    ['国庆', '2026-10-01'],
  ])('for something done, %s is its most recent day: %s', (word, date) => {
    expect(scanDateWords(`走访 张三 ${word} 日常`, oct10).dates.map((d) => d.date)).toEqual([date])
  })

  it.each([
    ['中秋前两天', '2026-09-23'],
    ['国庆后三天', '2026-10-04'],
    ['端午前一天', '2026-06-18'],
  ])(
    'moves the festival by the days written after it: %s is %s (a tester lost 前一天)',
    (word, date) => {
      expect(scanDateWords(`走访 张三 ${word} 日常`, oct10).dates.map((d) => d.date)).toEqual([
        date,
      ])
    },
  )

  it('重阳 eight days ahead is the coming one, with last year’s as the other reading', () => {
    expect(scanDateWords('重阳', oct10).dates[0]).toMatchObject({
      date: '2026-10-18',
      previous: '2025-10-29',
    })
  })

  it('小年 differs from north to south: refused with both days, never guessed', () => {
    const [refused] = scanDateWords('走访 李二 小年 春节', oct10).impossible
    expect(describeImpossibleDate(refused!)).toBe(
      '「小年」各地不同（腊月二十三或二十四），未登记。请写明日期后重发，如「腊月二十三」。',
    )
  })

  it.each(['走访 王国庆 今天', '元宵3袋', '送元宵', '李中秋'])('leaves %s alone', (text) => {
    expect(scanDateWords(text, oct10).dates.filter((d) => d.kind !== 'relative')).toEqual([])
    expect(scanDateWords(text, oct10).impossible).toEqual([])
  })
})
