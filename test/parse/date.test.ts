import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  findDate,
  formatDate,
  formatMonthDay,
  parseDate,
  type DateDirection,
} from '../../src/parse/date.js'
import { foldText } from '../../src/parse/normalize.js'
import { addDays, daysBetween, localDateOf, partsOf, weekdayOf } from '../../src/time/local-date.js'

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
    ['12月1日', '2025-12-01', '2026-12-01'],
    ['11月28日', '2026-11-28', '2026-11-28'],
    ['2月29日', '2024-02-29', '2028-02-29'],
    ['周五', '2026-11-27', '2026-12-04'],
    ['星期五', '2026-11-27', '2026-12-04'],
    ['礼拜五', '2026-11-27', '2026-12-04'],
    ['周六', '2026-11-28', '2026-11-28'],
    ['星期天', '2026-11-22', '2026-11-29'],
    ['八一', '2026-08-01', '2027-08-01'],
    ['建军节', '2026-08-01', '2027-08-01'],
    ['元旦', '2026-01-01', '2027-01-01'],
    ['春节', '2026-02-17', '2027-02-06'],
    ['除夕', '2026-02-16', '2027-02-05'],
  ])(
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
          if (dir === 'past') expect(ahead).toBeLessThanOrEqual(0)
          else expect(ahead).toBeGreaterThanOrEqual(0)
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

describe('formatDate and formatMonthDay', () => {
  it('when given 2027-07-25, write 2027-07-25 and 07-25', () => {
    expect(formatDate('2027-07-25')).toBe('2027-07-25')
    expect(formatMonthDay('2027-07-25')).toBe('07-25')
  })
})
