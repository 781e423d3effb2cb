import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Reconciler } from '../../src/records/reconciler.js'
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

/** A payment of `year`'s rural or urban standard to `name`, logged at `loggedAt`, dated `date`. */
async function logPayment(
  t: TestBot,
  town: Town,
  name: string,
  loggedAt: string,
  date = loggedAt.slice(0, 10),
) {
  const person = town.people[name]!
  const amountFen = person.householdType === '农村' ? 580_000 : 860_000
  const { record } = await t.bot.services.allowances.addPayment(
    { personId: person.id, year: 2026, amountFen, date },
    adminMeta(new Date(loggedAt)),
  )
  return record
}

/** `npm run reconcile -- --fix` on the bot's store: builds the day sets and marks them ready. */
async function reconcile(t: TestBot) {
  return new Reconciler({ redis: t.redis, keys: t.keys }).recountFromRecords({ fix: true })
}

describe('visits and payments done in a run of days (本周走访了谁, 今天发了几户优待金)', () => {
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
    // An upgraded store after its first `npm run reconcile -- --fix` (the day sets ready).
    await reconcile(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('「本周走访了谁」 lists this week’s visits, newest date first, each with its date', async () => {
    const [reply] = await say(t, 'boss', '本周走访了谁')

    const lines = reply!.split('\n')
    expect(lines[0]).toBe('本周（11-30 至 12-02）全镇走访 3 户：')
    expect(lines[1]).toBe('共 3 次，慰问金 1,100 元（按走访日期）')
    expect(lines.slice(2, 5)).toEqual([
      expect.stringMatching(/^#\d+ 童家坝村 赵六 春节 12-02 500 元$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 李二 日常 12-01 300 元$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 张三 日常 12-01 300 元$/),
    ])
    expect(reply).not.toMatch(/李一|李三/)
  })

  it('「昨天走访了谁」 is yesterday in Shanghai, whatever the UTC date', async () => {
    const [reply] = await say(t, 'boss', '昨天走访了谁')

    expect(reply).toMatch(/^昨天（12-01）全镇走访 2 户：\n共 2 次，慰问金 600 元（按走访日期）\n/)
    expect(reply).toContain('张三')
    expect(reply).toContain('李二')
  })

  it('「上周走访了几户」 counts last Monday to Sunday', async () => {
    const [reply] = await say(t, 'boss', '上周走访了几户')

    expect(reply).toBe(
      '上周（11-23 至 11-29）全镇走访 1 户：\n共 1 次，慰问金 300 元（按走访日期）\n回复「统计」看各村进度。',
    )
  })

  it('「本月走访了多少户」 counts this month with a line per village', async () => {
    const [reply] = await say(t, 'boss', '本月走访了多少户')

    expect(reply).toBe(
      [
        '本月（12-01 至 12-02）全镇走访 3 户：',
        '共 3 次，慰问金 1,100 元（按走访日期）',
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
        '本周（11-30 至 12-02）全镇走访 3 户：',
        '共 3 次，慰问金 1,100 元（按走访日期）',
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

    expect(reply).toMatch(/^本月（12-01 至 12-02）铁炉嘴村走访 2 户：\n共 2 次/)
    expect(reply).not.toContain('赵六')
  })

  it('「上个月走访了几户」 is the whole month before', async () => {
    const [reply] = await say(t, 'boss', '上个月走访了几户')

    // 李一 on 11-27; 李二, dated 12-01 (and logged 12-01 00:30 local, 11-30 in UTC), is December's.
    expect(reply).toMatch(/^上个月（11-01 至 11-30）全镇走访 1 户：\n共 1 次/)
  })

  it('a day with nothing done says so and what it counted by', async () => {
    const [reply] = await say(t, 'boss', '前天走访了几户')

    expect(reply).toBe('前天（11-30）全镇没有走访（按走访日期）。')
  })

  it('a category or an occasion narrows the run: 「本周春节走访了谁」', async () => {
    const [spring] = await say(t, 'boss', '本周春节走访了谁')
    const [disabled] = await say(t, 'boss', '这周残疾军人走访了几户')

    expect(spring).toMatch(/^本周（11-30 至 12-02）全镇春节走访 1 户：\n共 1 次/)
    expect(disabled).toMatch(/^本周（11-30 至 12-02）全镇残疾军人走访 1 户：\n共 1 次/)
  })

  it('「今天走访了谁」 is still 统计 今天', async () => {
    const [reply] = await say(t, 'boss', '今天走访了谁')

    expect(reply).toMatch(/^今天（12-02）全镇登记走访 1 次（1 户）/)
  })

  it('「今天发了几户优待金」 counts the families paid today and the sum in 元', async () => {
    const [reply] = await say(t, 'boss', '今天发了几户优待金')

    expect(reply).toMatch(
      /^今天（12-02）全镇发放优待金 1 户：\n共 5,800 元（按发放日期）\n#\d+ 铁炉嘴村 李三 5,800 元\n回复「统计 优待金」看全年发放。$/,
    )
  })

  it('「这个月发了多少优待金」 sums the month, rural and urban apart', async () => {
    const [reply] = await say(t, 'boss', '这个月发了多少优待金')

    const lines = reply!.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '本月（12-01 至 12-02）全镇发放优待金 2 户：',
      '共 14,400 元（按发放日期）',
      '农村 1 户 5,800 元，城镇 1 户 8,600 元',
    ])
    expect(reply).not.toContain('王一')
  })

  it('a payment withdrawn is not counted', async () => {
    const paid = await logPayment(t, town, '孙一', '2026-12-02T01:40:00Z')
    await t.bot.services.records.withdraw(paid.id, adminMeta(new Date('2026-12-02T01:50:00Z')))

    const [reply] = await say(t, 'boss', '今天发了几户优待金')

    expect(reply).toMatch(/^今天（12-02）全镇发放优待金 1 户：\n共 5,800 元（按发放日期）\n/)
    expect(reply).not.toContain('孙一')
  })

  it('「昨天走访了谁」 counts the visits dated yesterday though logged today (tester, 12-02)', async () => {
    await logVisit(t, town, '李一', '2026-12-02T01:10:00Z', { date: '2026-12-01' })
    await logVisit(t, town, '孙一', '2026-12-02T01:20:00Z', { date: '2026-12-01' })
    await logVisit(t, town, '孙二', '2026-12-02T01:30:00Z', { date: '2026-12-01' })

    const [reply] = await say(t, 'boss', '昨天走访了谁')

    const lines = reply!.split('\n')
    expect(lines[0]).toBe('昨天（12-01）全镇走访 5 户：')
    expect(lines[1]).toBe('共 5 次，慰问金 1,500 元（按走访日期）')
    // One day asked: the lines need no date.
    expect(lines.slice(2, 7)).toEqual([
      expect.stringMatching(/^#\d+ 新街社区 孙二 日常 300 元$/),
      expect.stringMatching(/^#\d+ 新街社区 孙一 日常 300 元$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 李一 日常 300 元$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 李二 日常 300 元$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 张三 日常 300 元$/),
    ])
  })

  it('「上个月走访了多少户」 counts the visits dated 11-27 and 11-28 whenever they were logged', async () => {
    await logVisit(t, town, '孙三', '2026-12-01T02:00:00Z', { date: '2026-11-28' })

    const [reply] = await say(t, 'boss', '上个月走访了多少户')

    expect(reply).toMatch(/^上个月（11-01 至 11-30）全镇走访 2 户：\n共 2 次，慰问金 600 元/)
    expect(reply).toContain('铁炉嘴村 1 次 300 元')
    expect(reply).toContain('新街社区 1 次 300 元')
  })

  it('「今天发了几户优待金」 leaves out a payment dated 11-20 logged today, which 上个月 lists with its date', async () => {
    await logPayment(t, town, '孙二', '2026-12-02T01:45:00Z', '2026-11-20')

    const [today] = await say(t, 'boss', '今天发了几户优待金')
    const [lastMonth] = await say(t, 'boss', '上个月发了多少优待金')

    expect(today).toMatch(/^今天（12-02）全镇发放优待金 1 户：\n共 5,800 元（按发放日期）\n/)
    expect(today).not.toContain('孙二')
    expect(lastMonth!.split('\n')).toEqual([
      '上个月（11-01 至 11-30）全镇发放优待金 2 户：',
      '共 14,400 元（按发放日期）',
      '农村 1 户 5,800 元，城镇 1 户 8,600 元',
      expect.stringMatching(/^#\d+ 新街社区 孙二 11-20 8,600 元$/),
      expect.stringMatching(/^#\d+ 童家坝村 王一 11-10 5,800 元$/),
      '回复「统计 优待金」看全年发放。',
    ])
  })

  it.each(['12月1日走访了谁', '12月1号走访了谁', '2026年12月1日走访了谁'])(
    '「%s」 is that day, by the visits’ date',
    async (text) => {
      const [reply] = await say(t, 'boss', text)

      expect(reply).toMatch(
        /^12月1日（周二）全镇走访 2 户：\n共 2 次，慰问金 600 元（按走访日期）\n/,
      )
      expect(reply).toMatch(/#\d+ 铁炉嘴村 张三 日常 300 元/)
    },
  )

  it('a written date asked by a cadre covers their village, payments too', async () => {
    const [visits] = await say(t, 'li', '12月2日走访了谁')
    const [paid] = await say(t, 'li', '12月1日发了几户优待金')

    expect(visits).toBe('12月2日（周三）铁炉嘴村没有走访（按走访日期）。')
    expect(paid).toBe(
      '12月1日（周二）铁炉嘴村没有发放优待金（按发放日期）。\n回复「统计 优待金」看全年发放。',
    )
  })

  it('a written date without a year still ahead is last year’s; one with a year ahead has not come', async () => {
    const [lastYear] = await say(t, 'boss', '12月25日走访了谁')
    const [ahead] = await say(t, 'boss', '2027年1月1日走访了谁')
    const [none] = await say(t, 'boss', '2月30日走访了谁')

    expect(lastYear).toBe('2025年12月25日（周四）全镇没有走访（按走访日期）。')
    expect(ahead).toBe('2027年1月1日（周五）还没到。')
    expect(none).toBe('没有2月30日这一天。\n日期请写成如「12月1日走访了谁」。')
  })

  it('修改 of a visit’s date moves it to its new day; 撤销 takes it out', async () => {
    const moved = await logVisit(t, town, '孙四', '2026-12-02T01:50:00Z', { date: '2026-12-01' })
    const gone = await logVisit(t, town, '王三', '2026-12-02T01:55:00Z', { date: '2026-12-01' })

    const [corrected] = await say(t, 'boss', `修改 #${moved.id} 日期 11月28日`)
    const [withdrawn] = await say(t, 'boss', `撤销 #${gone.id}`)
    const [yesterday] = await say(t, 'boss', '昨天走访了谁')
    const [lastWeek] = await say(t, 'boss', '上周走访了谁')

    expect(corrected).toContain('11-28')
    expect(withdrawn).toContain(`#${gone.id}`)
    expect(yesterday).toMatch(/^昨天（12-01）全镇走访 2 户：/)
    expect(yesterday).not.toMatch(/孙四|王三/)
    expect(lastWeek).toMatch(new RegExp(`#${moved.id} 新街社区 孙四 日常 11-28 300 元`))
    expect((await reconcile(t)).drift).toEqual([])
  })

  it('「本周还有谁没走访」 is still 未走访', async () => {
    const [reply] = await say(t, 'li', '本周还有谁没走访')

    expect(reply).toMatch(/^2027 元旦走访\n（截至 12-02，距元旦 30 天）\n铁炉嘴村尚有 \d+ 户未走访/)
  })

  it('a cadre’s payments in a run are their village’s', async () => {
    const [reply] = await say(t, 'li', '这个月发了多少优待金')

    expect(reply).toMatch(/^本月（12-01 至 12-02）铁炉嘴村发放优待金 1 户：\n共 5,800 元/)
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

    expect(reply).toMatch(/^本周（11-30 至 12-02）全镇走访 4 户：\n共 4 次，慰问金 1,300 元/)
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

describe('a run of days before the day sets were first reconciled (records stored before them)', () => {
  let t: TestBot
  let town: Town

  /** Drops the day sets of `dates`, as a store written before they existed has none. */
  async function storedBeforeDaySets(...dates: string[]) {
    for (const date of dates) {
      await t.redis.del(t.keys.visitsOnDate(date), t.keys.paymentsOnDate(date))
    }
  }

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
    await logVisit(t, town, '张三', '2026-12-02T01:00:00Z', { date: '2026-12-01' })
    await logVisit(t, town, '李一', '2026-11-27T02:00:00Z')
    await logVisit(t, town, '李二', '2026-09-01T02:00:00Z', { campaignYear: 2026 })
    await logPayment(t, town, '王二', '2026-12-02T01:30:00Z', '2026-11-20')
    await storedBeforeDaySets('2026-12-01', '2026-11-27', '2026-09-01', '2026-11-20')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('「昨天走访了谁」 also reads what was logged since yesterday, by the visit’s date', async () => {
    const [reply] = await say(t, 'boss', '昨天走访了谁')

    expect(reply).toMatch(
      /^昨天（12-01）全镇走访 1 户：\n共 1 次，慰问金 300 元（按走访日期）\n#\d+ 铁炉嘴村 张三/,
    )
  })

  it('「上个月走访了几户」 and 「上个月发了多少优待金」 find the records the day sets lack', async () => {
    const [visits] = await say(t, 'boss', '上个月走访了几户')
    const [paid] = await say(t, 'boss', '上个月发了多少优待金')

    expect(visits).toMatch(/^上个月（11-01 至 11-30）全镇走访 1 户：\n共 1 次/)
    expect(paid).toMatch(/^上个月（11-01 至 11-30）全镇发放优待金 1 户：\n共 8,600 元/)
    expect(paid).toMatch(/童家坝村 王二 11-20 8,600 元/)
  })

  it('a day further back than the logged reading is not claimed empty', async () => {
    const [reply] = await say(t, 'boss', '9月1日走访了谁')

    expect(reply).toBe(
      '9月1日（周二）全镇的走访还查不到：按日索引还在建立，管理员对账（npm run reconcile -- --fix）后可查。',
    )
  })

  it('npm run reconcile -- --fix builds the day sets, which then answer alone', async () => {
    const report = await new Reconciler({ redis: t.redis, keys: t.keys }).recountFromRecords({
      fix: true,
    })

    const [september] = await say(t, 'boss', '9月1日走访了谁')
    const [yesterday] = await say(t, 'boss', '昨天走访了谁')

    expect(report.fixed).toBe(true)
    expect(report.drift).toHaveLength(4)
    expect(await t.redis.get(t.keys.dayIndexReady())).not.toBeNull()
    expect(september).toMatch(
      /^9月1日（周二）全镇走访 1 户：\n共 1 次，慰问金 300 元（按走访日期）\n#\d+ 铁炉嘴村 李二 日常 300 元/,
    )
    expect(yesterday).toMatch(/^昨天（12-01）全镇走访 1 户：/)
  })
})
