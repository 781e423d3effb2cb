import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VisitInput } from '../../src/records/schemas.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, seedTown, type Town } from '../support/town.js'

// 2026-12-02 10:00 in Shanghai, a Wednesday: 本周 is 11-30..12-02, 上周 11-23..11-29, 本月
// 12-01..12-02, 上个月 11-01..11-30 (docs/intents.md).
const NOW = new Date('2026-12-02T02:00:00Z')

/** A visit to `name`, logged at `loggedAt` (an instant), dated `date`. */
async function logVisit(
  t: TestBot,
  town: Town,
  name: string,
  loggedAt: string,
  input: Partial<VisitInput> = {},
) {
  const { record } = await t.bot.services.visits.addVisit(
    Object.assign(
      {
        date: loggedAt.slice(0, 10),
        occasion: '日常' as const,
        campaignYear: 2026,
        personId: town.people[name]!.id,
        visitors: ['李书记'],
        cashFen: 30_000,
        goods: [],
      },
      input,
    ),
    adminMeta(new Date(loggedAt)),
  )
  return record
}

/** A payment of `year`'s rural or urban standard to `name`, logged at `loggedAt`. */
async function logPayment(t: TestBot, town: Town, name: string, loggedAt: string) {
  const person = town.people[name]!
  const amountFen = person.householdType === '农村' ? 580_000 : 860_000
  const { record } = await t.bot.services.allowances.addPayment(
    { personId: person.id, year: 2026, amountFen, date: loggedAt.slice(0, 10) },
    adminMeta(new Date(loggedAt)),
  )
  return record
}

describe('visits and payments logged in a run of days (本周走访了谁, 今天发了几户优待金)', () => {
  let t: TestBot
  let town: Town

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
    // Yesterday, 11:00 local.
    await logVisit(t, town, '张三', '2026-12-01T03:00:00Z')
    // Yesterday 00:30 local, still 11-30 in UTC: the day is Shanghai's.
    await logVisit(t, town, '李二', '2026-11-30T16:30:00Z', { date: '2026-12-01' })
    // Today, toward the 2027 春节 (season rule), in 童家坝村.
    await logVisit(t, town, '赵六', '2026-12-02T01:00:00Z', {
      occasion: '春节',
      campaignYear: 2027,
      cashFen: 50_000,
    })
    // Last week's Friday.
    await logVisit(t, town, '李一', '2026-11-27T02:00:00Z')
    // Logged this week, then withdrawn: not counted.
    const withdrawn = await logVisit(t, town, '李三', '2026-11-30T02:00:00Z')
    await t.bot.services.records.withdraw(withdrawn.id, adminMeta(new Date('2026-11-30T03:00:00Z')))
    await logPayment(t, town, '李三', '2026-12-02T01:30:00Z')
    await logPayment(t, town, '王二', '2026-12-01T02:00:00Z')
    await logPayment(t, town, '王一', '2026-11-10T02:00:00Z')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('「本周走访了谁」 lists this week’s visits, newest first, in the asker’s words', async () => {
    const [reply] = await say(t, 'boss', '本周走访了谁')

    const lines = reply!.split('\n')
    expect(lines[0]).toBe('本周（11-30 至 12-02）全镇登记走访：')
    expect(lines[1]).toBe('3 次（3 户），慰问金 1,100 元')
    expect(lines.slice(2, 5)).toEqual([
      expect.stringMatching(/^#\d+ 童家坝村 赵六 春节 500 元$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 张三 日常 300 元$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 李二 日常 300 元$/),
    ])
    expect(reply).not.toMatch(/李一|李三/)
  })

  it('「昨天走访了谁」 is yesterday in Shanghai, whatever the UTC date', async () => {
    const [reply] = await say(t, 'boss', '昨天走访了谁')

    expect(reply).toMatch(/^昨天（12-01）全镇登记走访：\n2 次（2 户），慰问金 600 元\n/)
    expect(reply).toContain('张三')
    expect(reply).toContain('李二')
  })

  it('「上周走访了几户」 counts last Monday to Sunday', async () => {
    const [reply] = await say(t, 'boss', '上周走访了几户')

    expect(reply).toBe(
      '上周（11-23 至 11-29）全镇登记走访：\n1 次（1 户），慰问金 300 元\n回复「统计」看各村进度。',
    )
  })

  it('「本月走访了多少户」 counts this month with a line per village', async () => {
    const [reply] = await say(t, 'boss', '本月走访了多少户')

    expect(reply).toBe(
      [
        '本月（12-01 至 12-02）全镇登记走访：',
        '3 次（3 户），慰问金 1,100 元',
        '铁炉嘴村 2 次 600 元',
        '童家坝村 1 次 500 元',
        '回复「统计」看各村进度。',
      ].join('\n'),
    )
  })

  it('「本周哪个村走访最多」 compares every village, most first, none visited too', async () => {
    const [reply] = await say(t, 'boss', '本周哪个村走访最多')

    expect(reply).toBe(
      [
        '本周（11-30 至 12-02）全镇登记走访：',
        '3 次（3 户），慰问金 1,100 元',
        '各村（从多到少）：',
        '铁炉嘴村 2 次 600 元',
        '童家坝村 1 次 500 元',
        '新街社区 0 次 0 元',
        '回复「统计」看各村进度。',
      ].join('\n'),
    )
  })

  it('「这个月走访了谁」 asked by a cadre covers only their village', async () => {
    const [reply] = await say(t, 'li', '这个月走访了谁')

    expect(reply).toMatch(/^本月（12-01 至 12-02）铁炉嘴村登记走访：\n2 次（2 户）/)
    expect(reply).not.toContain('赵六')
  })

  it('「上个月走访了几户」 is the whole month before', async () => {
    const [reply] = await say(t, 'boss', '上个月走访了几户')

    // 李一 on 11-27; 李二, logged 12-01 00:30 local (11-30 in UTC), is December's.
    expect(reply).toMatch(/^上个月（11-01 至 11-30）全镇登记走访：\n1 次（1 户）/)
  })

  it('a day with nothing logged says so and what it counted by', async () => {
    const [reply] = await say(t, 'boss', '前天走访了几户')

    expect(reply).toBe('前天（11-30）全镇没有登记走访（按登记日算）。')
  })

  it('a category or an occasion narrows the run: 「本周春节走访了谁」', async () => {
    const [spring] = await say(t, 'boss', '本周春节走访了谁')
    const [disabled] = await say(t, 'boss', '这周残疾军人走访了几户')

    expect(spring).toMatch(/^本周（11-30 至 12-02）全镇登记春节走访：\n1 次（1 户）/)
    expect(disabled).toMatch(/^本周（11-30 至 12-02）全镇登记残疾军人走访：\n1 次（1 户）/)
  })

  it('「今天走访了谁」 is still 统计 今天', async () => {
    const [reply] = await say(t, 'boss', '今天走访了谁')

    expect(reply).toMatch(/^今天（12-02）全镇登记走访 1 次（1 户）/)
  })

  it('「今天发了几户优待金」 counts the families paid today and the sum in 元', async () => {
    const [reply] = await say(t, 'boss', '今天发了几户优待金')

    expect(reply).toMatch(
      /^今天（12-02）全镇登记优待金发放：\n1 户 5,800 元\n#\d+ 铁炉嘴村 李三 5,800 元\n回复「统计 优待金」看全年发放。$/,
    )
  })

  it('「这个月发了多少优待金」 sums the month, rural and urban apart', async () => {
    const [reply] = await say(t, 'boss', '这个月发了多少优待金')

    const lines = reply!.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '本月（12-01 至 12-02）全镇登记优待金发放：',
      '2 户 14,400 元',
      '农村 1 户 5,800 元，城镇 1 户 8,600 元',
    ])
    expect(reply).not.toContain('王一')
  })

  it('a payment withdrawn is not counted', async () => {
    const paid = await logPayment(t, town, '孙一', '2026-12-02T01:40:00Z')
    await t.bot.services.records.withdraw(paid.id, adminMeta(new Date('2026-12-02T01:50:00Z')))

    const [reply] = await say(t, 'boss', '今天发了几户优待金')

    expect(reply).toMatch(/^今天（12-02）全镇登记优待金发放：\n1 户 5,800 元\n/)
    expect(reply).not.toContain('孙一')
  })

  it('「本周还有谁没走访」 is still 未走访', async () => {
    const [reply] = await say(t, 'li', '本周还有谁没走访')

    expect(reply).toMatch(/^2027 元旦走访（截至 12-02，距元旦 30 天）：铁炉嘴村尚有 \d+ 户未走访/)
  })

  it('a cadre’s payments in a run are their village’s', async () => {
    const [reply] = await say(t, 'li', '这个月发了多少优待金')

    expect(reply).toMatch(/^本月（12-01 至 12-02）铁炉嘴村登记优待金发放：\n1 户 5,800 元\n/)
  })

  it.each([
    ['走访 李一 昨天 日常', /^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 李一/],
    ['走访 孙一 前天 日常', /^已登记 #\d+：2026-11-30 日常走访 新街社区 孙一/],
    ['走访 孙二 上周五 日常', /^已登记 #\d+：2026-11-27 日常走访 新街社区 孙二/],
  ])('a record line with a day word is still a record: 「%s」', async (text, stored) => {
    const [reply] = await say(t, 'boss', text)

    expect(reply).toMatch(stored)
  })

  it('a record line with a day word in the middle of the run’s question is stored, then counted', async () => {
    await say(t, 'boss', '走访 孙三 今天 日常 慰问金200元')

    const [reply] = await say(t, 'boss', '本周走访了几户')

    expect(reply).toMatch(/^本周（11-30 至 12-02）全镇登记走访：\n4 次（4 户），慰问金 1,300 元/)
  })

  it('「我上周登记了哪些」 lists the asker’s own records of last week, from their index', async () => {
    const byLi = (at: string, key: string) => ({
      actor: 'sandbox:li',
      at: new Date(at),
      idempotencyKey: key,
    })
    await t.bot.services.visits.addVisit(
      {
        date: '2026-11-24',
        occasion: '日常',
        campaignYear: 2026,
        personId: town.people['李二']!.id,
        visitors: ['李四'],
        cashFen: 0,
        goods: [],
      },
      byLi('2026-11-24T02:00:00Z', 'li-1'),
    )
    await t.bot.services.visits.addVisit(
      {
        date: '2026-12-01',
        occasion: '日常',
        campaignYear: 2026,
        personId: town.people['李三']!.id,
        visitors: ['李四'],
        cashFen: 0,
        goods: [],
      },
      byLi('2026-12-01T02:00:00Z', 'li-2'),
    )

    const [lastWeek] = await say(t, 'li', '我上周登记了哪些')
    const [thisMonth] = await say(t, 'li', '这个月我都录了几条')
    const [yesterdayBoss] = await say(t, 'boss', '我昨天登记了什么')

    expect(lastWeek).toMatch(/^您上周（11-23 至 11-29）登记了 1 条：\n#\d+ .*李二/)
    expect(lastWeek).not.toContain('李三')
    expect(thisMonth).toMatch(/^您本月（12-01 至 12-02）登记了 1 条：\n#\d+ .*李三/)
    expect(yesterdayBoss).toBe('您昨天（12-01）没有登记记录。')
  })
})
