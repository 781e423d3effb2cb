import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { foldText } from '../../src/parse/normalize.js'
import { parseReminderTime, type ReminderTime } from '../../src/parse/reminder-time.js'
import { instantAt, localDateOf, zonedParts } from '../../src/time/local-date.js'

const TZ = 'Asia/Shanghai'
/** 2026-11-28 10:00 in Shanghai, a Saturday. */
const NOW = new Date('2026-11-28T02:00:00Z')
const options = { now: NOW, timezone: TZ }

/** `2026-11-29 09:00` in Shanghai, for readable expectations. */
function shanghai(at: Date): string {
  const p = zonedParts(at, TZ)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`
}

function once(text: string): { at: string; rest: string } | undefined {
  const r = parseReminderTime(text, options)
  if (r === undefined) return undefined
  if (r.kind !== 'once') throw new Error(`expected a one-off reminder, got ${r.kind}`)
  return { at: shanghai(r.at), rest: r.rest }
}

describe('parseReminderTime', () => {
  it.each([
    ['5分钟后 交表', '2026-11-28 10:05', '交表'],
    ['十分钟以后 交表', '2026-11-28 10:10', '交表'],
    ['半小时后 开会', '2026-11-28 10:30', '开会'],
    ['2小时后 打电话', '2026-11-28 12:00', '打电话'],
    ['一个半小时后 出发', '2026-11-28 11:30', '出发'],
    ['一刻钟后 出发', '2026-11-28 10:15', '出发'],
    ['明天上午9点 联系武警中队', '2026-11-29 09:00', '联系武警中队'],
    ['明天下午3点半 开座谈会', '2026-11-29 15:30', '开座谈会'],
    ['明天9:30 开会', '2026-11-29 09:30', '开会'],
    ['今晚8点 看晚会', '2026-11-28 20:00', '看晚会'],
    ['明早 出发', '2026-11-29 08:00', '出发'],
    ['明天下午 开会', '2026-11-29 15:00', '开会'],
    ['7月25日 9:00 交材料', '2027-07-25 09:00', '交材料'],
    ['7月25日上午9点 交材料', '2027-07-25 09:00', '交材料'],
    ['2027-07-25 09:30 交材料', '2027-07-25 09:30', '交材料'],
    ['明天 交表', '2026-11-29 09:00', '交表'],
    ['7月25日 交表', '2027-07-25 09:00', '交表'],
    ['3天后 交表', '2026-12-01 09:00', '交表'],
    ['下周一 交表', '2026-11-30 09:00', '交表'],
    ['周五 交表', '2026-12-04 09:00', '交表'],
    ['八一 慰问', '2027-08-01 09:00', '慰问'],
  ])('when given %s, fires at %s with the text %s', (text, at, rest) => {
    expect(once(text)).toEqual({ at, rest })
  })

  it.each([
    ['下午3点 开会', '2026-11-28 15:00'],
    ['中午12点 吃饭', '2026-11-28 12:00'],
    ['中午1点 吃饭', '2026-11-28 13:00'],
    ['晚上8点 开会', '2026-11-28 20:00'],
    ['下午15点 开会', '2026-11-28 15:00'],
    ['九点一刻 开会', '2026-11-29 09:15'],
    ['九点零五 开会', '2026-11-29 09:05'],
    ['9点 开会', '2026-11-29 09:00'],
    ['11点 开会', '2026-11-28 11:00'],
    ['晚上12点 开会', '2026-11-29 00:00'],
    ['凌晨2点 开会', '2026-11-29 02:00'],
  ])('when given only a time of day %s, fires at its next occurrence, %s', (text, at) => {
    expect(once(text)?.at).toBe(at)
  })

  it('when a bare weekday is today and its hour has passed, fires next week', () => {
    expect(once('周六 9点 交表')?.at).toBe('2026-12-05 09:00')
    expect(once('周六 11点 交表')?.at).toBe('2026-11-28 11:00')
  })

  it('when today is named with an hour already gone, returns that past instant for the caller', () => {
    const r = parseReminderTime('今天上午9点 交表', options)

    expect(r?.kind === 'once' && r.at.getTime() < NOW.getTime()).toBe(true)
  })

  it.each<[string, Omit<Extract<ReminderTime, { kind: 'weekly' }>, 'kind'>]>([
    ['每周一 9点 报送台账', { weekday: 1, hour: 9, minute: 0, rest: '报送台账' }],
    ['每周五下午2点 例会', { weekday: 5, hour: 14, minute: 0, rest: '例会' }],
    ['每周日 晚上8点半 总结', { weekday: 0, hour: 20, minute: 30, rest: '总结' }],
    ['每个星期三 报数', { weekday: 3, hour: 9, minute: 0, rest: '报数' }],
  ])('when given %s, repeats weekly', (text, expected) => {
    expect(parseReminderTime(text, options)).toEqual({ kind: 'weekly', ...expected })
  })

  it.each([
    ['八一前一周 9点 准备慰问品', '2027-07-25 09:00', '准备慰问品'],
    ['春节前三天 上午10点 送对联', '2027-02-03 10:00', '送对联'],
    ['腊月二十 9点 准备春节慰问品', '2027-01-27 09:00', '准备春节慰问品'],
    ['除夕 下午3点 慰问', '2027-02-05 15:00', '慰问'],
    ['明年3月1日 交表', '2027-03-01 09:00', '交表'],
    ['我 明天9点 开会', '2026-11-29 09:00', '开会'],
    ['我们 明天9点 开会', '2026-11-29 09:00', '开会'],
    ['我明天9点 开会', '2026-11-29 09:00', '开会'],
    ['我们村 明天9点 开会', '2026-11-29 09:00', '我们村 开会'],
    ['凌晨3点 值班', '2026-11-29 03:00', '值班'],
    ['早上6点 出发', '2026-11-29 06:00', '出发'],
    ['上午5点 出发', '2026-11-29 05:00', '出发'],
    ['03:00 值班', '2026-11-29 03:00', '值班'],
  ])('when given %s, fires at %s and keeps only %s as the text (issue 11)', (text, at, rest) => {
    const r = parseReminderTime(text, options)

    expect(once(text)).toEqual({ at, rest })
    expect(r?.afternoonAssumed).toBeUndefined()
  })

  it.each([
    ['3点 开会', '2026-11-28 15:00'],
    ['明天3点 开会', '2026-11-29 15:00'],
    ['6点半 开会', '2026-11-28 18:30'],
    ['3:30 开会', '2026-11-28 15:30'],
  ])(
    'when a bare hour 1–6 is given (%s), reads the afternoon and says so (issue 11)',
    (text, at) => {
      const r = parseReminderTime(text, options)

      expect(once(text)).toEqual({ at, rest: '开会' })
      expect(r?.afternoonAssumed).toBe(true)
    },
  )

  it.each<[string, { hour: number; minute: number; rest: string; afternoonAssumed?: true }]>([
    ['每天早上8点 报数', { hour: 8, minute: 0, rest: '报数' }],
    ['每天 报数', { hour: 9, minute: 0, rest: '报数' }],
    ['每日下午5点半 巡查', { hour: 17, minute: 30, rest: '巡查' }],
    ['每天3点 报数', { hour: 15, minute: 0, rest: '报数', afternoonAssumed: true }],
    ['报数 每天早上8点', { hour: 8, minute: 0, rest: '报数' }],
  ])('when given %s, repeats daily (issue 11)', (text, expected) => {
    expect(parseReminderTime(text, options)).toEqual({ kind: 'daily', ...expected })
  })

  it('when a daily reminder is asked for at 晚上12点, returns undefined (say 0点)', () => {
    expect(parseReminderTime('每天晚上12点 交表', options)).toBeUndefined()
  })

  it('when the time comes after the text, still finds it and keeps the text', () => {
    expect(once('联系武警中队 明天上午9点')).toEqual({
      at: '2026-11-29 09:00',
      rest: '联系武警中队',
    })
    expect(once('交表 5分钟后')).toEqual({ at: '2026-11-28 10:05', rest: '交表' })
  })

  it('when a duration is given, adds exact milliseconds to now', () => {
    const now = new Date('2026-11-28T02:00:37.250Z')
    const r = parseReminderTime('2小时后 交表', { now, timezone: TZ })

    expect(r).toEqual({ kind: 'once', at: new Date('2026-11-28T04:00:37.250Z'), rest: '交表' })
  })

  it.each([
    ['明天下午3點半 開會', '2026-11-29 15:30', '开会'],
    ['７月２５日 ９:００ 交材料', '2027-07-25 09:00', '交材料'],
    ['明天，聯繫武警中隊', '2026-11-29 09:00', '联系武警中队'],
  ])('when %s is folded first, reads it like the simplified form', (text, at, rest) => {
    expect(once(foldText(text))).toEqual({ at, rest })
  })

  it('when 每週一 9點 is folded first, repeats on Mondays', () => {
    expect(parseReminderTime(foldText('每週一 9點 報數'), options)).toMatchObject({
      kind: 'weekly',
      weekday: 1,
      hour: 9,
    })
  })

  it.each([
    ['交表'],
    [''],
    ['上午13点 交表'],
    ['25点 交表'],
    ['9:61 交表'],
    ['早点交表'],
    ['2月30日 交表'],
    ['0分钟后 交表'],
    ['每周一 晚上12点 交表'],
  ])('when given %j, returns undefined', (text) => {
    expect(parseReminderTime(text, options)).toBeUndefined()
  })

  it('when given a time alone at any now, fires within the next 24 hours', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 23 }),
        (now, hour) => {
          const r = parseReminderTime(`${hour}点 交表`, { now, timezone: TZ })
          if (r?.kind !== 'once') throw new Error('expected a one-off reminder')

          expect(r.at.getTime()).toBeGreaterThan(now.getTime())
          expect(r.at.getTime() - now.getTime()).toBeLessThanOrEqual(24 * 3600_000)
          // A bare 1–6 o'clock is the afternoon (issue 11).
          const meant = hour >= 1 && hour <= 6 ? hour + 12 : hour
          expect(zonedParts(r.at, TZ)).toMatchObject({ hour: meant, minute: 0 })
        },
      ),
    )
  })

  it('when given a year-less date at any now, fires on or after today at 09:00', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (now, month, day) => {
          const r = parseReminderTime(`${month}月${day}日 交表`, { now, timezone: TZ })
          if (r?.kind !== 'once') throw new Error('expected a one-off reminder')
          const date = localDateOf(r.at, TZ)

          expect(date >= localDateOf(now, TZ)).toBe(true)
          expect(r.at).toEqual(instantAt(date, 9, 0, TZ))
        },
      ),
    )
  })

  it('when given arbitrary unicode, never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        parseReminderTime(text, options)
      }),
    )
    const timeish = [
      ...'0123456789:点时分半刻钟后小个每周一二三四五六日天明今晚上下午中凌晨月号 交',
    ]
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...timeish), maxLength: 12 }), (text) => {
        const r = parseReminderTime(text, options)
        if (r?.kind === 'once') expect(Number.isNaN(r.at.getTime())).toBe(false)
        if (r?.kind === 'weekly') {
          expect(r.hour).toBeGreaterThanOrEqual(0)
          expect(r.hour).toBeLessThanOrEqual(23)
          expect(r.minute).toBeLessThanOrEqual(59)
        }
      }),
    )
  })

  it('when given an invalid zone, returns undefined instead of throwing', () => {
    expect(
      parseReminderTime('明天上午9点 交表', { now: NOW, timezone: 'Mars/Olympus' }),
    ).toBeUndefined()
  })
})
