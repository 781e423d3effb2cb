import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { allowanceVariance } from '../../src/commands/report.js'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { linkedSheetRows } from '../support/export-sheets.js'
import { unwrapped } from '../support/reply-width.js'
import { CONSCRIPTS, adminMeta, payAll, seedTown, visit, type Town } from '../support/town.js'

/** The 合计 sheet of the export a 导出 reply links to. */
const summaryOf = (t: TestBot, reply: string) => linkedSheetRows(t, reply, '合计')

/**
 * 年报's items as sentences again: its lines are broken to a phone's width, and a line with no
 * numeral (一、…) continues the one before (the heading's second line continues the heading).
 */
function itemsOf(reply: string): string[] {
  const items: string[] = []
  for (const [i, line] of reply.split('\n').entries()) {
    if (i === 0 || /^[一二三四五六七八九十]+、/.test(line)) items.push(line)
    else items[items.length - 1] += line
  }
  return items
}

// 2026-12-20: the year's campaigns are over, the report is due.
const NOW = new Date('2026-12-20T02:00:00Z')

describe('年报 (issue 4)', () => {
  let t: TestBot
  let town: Town

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
    await payAll(t, town, 2025, CONSCRIPTS)
    await payAll(t, town, 2026, CONSCRIPTS)
    await visit(t, town, '张三', { needs: '危房需修缮' })
    await visit(t, town, '李一')
    await visit(t, town, '赵六', {
      date: '2026-02-10',
      occasion: '春节',
      cashFen: 80_000,
      goods: [],
      needs: '医疗费用',
    })
    await visit(t, town, '孙一', {
      date: '2025-12-28',
      occasion: '元旦',
      cashFen: 10_000,
      goods: [],
    })
    await visit(t, town, '王一', {
      date: '2026-03-15',
      occasion: '日常',
      cashFen: 20_000,
      goods: [],
    })
    // A village registered before anyone on its roster: no part of 组织与底册's spread.
    await t.bot.services.villages.addVillage('白石村', adminMeta())
    const { activities } = t.bot.services
    for (const [activityKind, count, extra] of [
      ['座谈会', 40, {}],
      ['晚会', 600, {}],
      ['表彰会', 120, {}],
      ['慰问团', 15, {}],
      ['军训', 5259, {}],
      ['共建点', undefined, { siteKind: '学校' as const }],
    ] as const) {
      await activities.addActivity(
        { activityKind, date: '2026-07-30', year: 2026, count, ...extra },
        adminMeta(),
      )
    }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('gives the year in 述职报告 order, every figure from the counters, in 元', async () => {
    const [reply] = await say(t, 'boss', '年报 2026')
    const lines = itemsOf(reply!)

    expect(lines[0]).toBe('2026 年双拥工作数据（截至 12-20）由系统记录计算，金额单位：元。')
    expect(lines[1]).toBe(
      '一、组织与底册：当前在册优抚对象 12 人，分布在 3 个村（社区），其中残疾军人 1、烈士遗属 1、义务兵家庭 10；义务兵家庭 10 户（农村 4、城镇 6）。核对：「导出 花名册」',
    )
    expect(lines[2]).toBe(
      '二、宣传活动：开展座谈会、晚会、表彰会、慰问团、军训等双拥活动 5 次，参与 6,034 人次。核对：「统计 活动 2026」',
    )
    expect(lines[3]).toBe(
      '三、八一走访：走访慰问 2 户（应访 12 户，17%），共 2 次，慰问金 1,000 元，物品 米2袋。核对：「导出 台账 2026」',
    )
    expect(lines[4]).toBe(
      '四、春节走访：走访慰问 1 户（应访 12 户，8%），共 1 次，慰问金 800 元。核对：「导出 台账 2026」',
    )
    expect(lines.slice(5, 8)).toEqual([
      '五、元旦走访：走访慰问 1 户（应访 12 户，8%），共 1 次，慰问金 100 元。核对：「导出 台账 2026」',
      '六、日常走访：走访慰问 1 户，共 1 次，慰问金 200 元。核对：「导出 台账 2026」',
      '七、全年走访合计（八一、春节、元旦、日常、困难帮扶）：走访慰问 5 户次，共 5 次，慰问金 2,100 元。核对：「导出 台账 2026」（“合计”表）',
    ])
    expect(lines[8]).toBe(
      '八、优待金：应发 10 户，已发 10 户（100%），未发 0 户；发放 74,800 元（农村 4 户 23,200 元，标准 5,800 元；城镇 6 户 51,600 元，标准 8,600 元）；比 2025 年：户数持平，+3,000 元（+4.2%）。核对：「导出 优待金 2026」',
    )
    expect(lines.slice(9)).toEqual([
      '九、座谈会：1 次，40 人次。',
      '十、双拥晚会：1 场，观众 600 人次。',
      '十一、表彰会：1 次，120 人次。',
      '十二、慰问团：1 批次，15 人次。',
      '十三、学生军训：5,259 人（1 次）。',
      '十四、慰问驻地部队：0 次。',
      '十五、军民共建点：1 个（学校 1）。',
      '十六、帮扶：走访中发现困难需求 2 件，已办结 0 件、未办结 2 件（「待办」查看）；困难帮扶走访 0 次，慰问金 0 元。核对：「导出 台账 2026」（“发现需求”列）',
    ])
    expect(reply).not.toMatch(/万/)
  })

  it('agrees with the summary sheets of 导出 台账, 导出 优待金 and 导出 花名册 for the same year', async () => {
    const [report] = await say(t, 'boss', '年报 2026')
    const ledger = await summaryOf(t, (await say(t, 'boss', '导出 台账 2026'))[0]!)
    const payments = await summaryOf(t, (await say(t, 'boss', '导出 优待金 2026'))[0]!)

    const yearRow = ledger.find((r) => r[0] === '2026年各活动合计')!
    const line = (name: string) => itemsOf(report!).find((l) => l.includes(name))!
    expect(line('全年走访合计')).toContain(
      `共 ${yearRow[5] as number} 次，慰问金 ${(yearRow[6] as number).toLocaleString('en-US')} 元`,
    )
    const subtotals = ledger
      .filter((r) => String(r[0]).endsWith(' 小计'))
      .map((r) => [String(r[0]).slice(5, -3), r] as const)
    expect(subtotals.map(([occasion]) => occasion)).toEqual(['八一', '春节', '元旦', '日常'])
    for (const [occasion, row] of subtotals) {
      expect(line(`${occasion}走访：`)).toContain(
        occasion === '日常'
          ? `走访慰问 ${row[3] as number} 户，`
          : `走访慰问 ${row[3] as number} 户（应访 ${row[2] as number} 户`,
      )
      expect(line(`${occasion}走访：`)).toContain(`共 ${row[5] as number} 次`)
    }
    const roster = await summaryOf(t, (await say(t, 'boss', '导出 花名册'))[0]!)
    const people = roster.find((r) => String(r[0]).startsWith('合计（'))!
    expect(line('组织与底册：')).toContain(
      `当前在册优抚对象 ${people.at(-3) as number} 人，分布在 3 个村（社区）`,
    )
    expect(people[0]).toBe('合计（3 个村（社区））')
    expect(line('组织与底册：')).toContain(
      `（农村 ${people.at(-2) as number}、城镇 ${people.at(-1) as number}）`,
    )
    const paid = payments.find((r) => r[0] === '合计')!
    expect(line('优待金：')).toContain(
      `应发 ${paid[2] as number} 户，已发 ${paid[3] as number} 户（100%），未发 0 户；发放 ${(paid[5] as number).toLocaleString('en-US')} 元`,
    )
  })

  it('when TOWNSHIP_NAME is set, the heading names the township', async () => {
    const named = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin', TOWNSHIP_NAME: '铁炉镇' },
      { now: () => NOW },
    )
    try {
      await seedTown(named)
      const [reply] = await say(named, 'boss', '年报 2026')

      expect(itemsOf(reply!)[0]).toBe(
        '铁炉镇 2026 年双拥工作数据（截至 12-20）由系统记录计算，金额单位：元。',
      )
    } finally {
      await named.cleanup()
    }
  })

  it('counts visits to the local troops (活动 慰问部队) on a line of their own', async () => {
    const [stored] = await say(t, 'admin', '活动 慰问部队 武警中队 12月18日 人数12')
    const [reply] = await say(t, 'boss', '年报 2026')

    expect(stored).toMatch(/^已登记 #\d+/)
    expect(reply).toContain('、慰问驻地部队：1 次，12 人次。')
  })

  it('names visits to units (走访 武警中队) beside 慰问驻地部队, counted under their season', async () => {
    await say(t, 'li', '走访 武警中队 12月18日 日常 慰问金2000元')
    const items = itemsOf((await say(t, 'boss', '年报 2026'))[0]!)

    expect(items.find((i) => i.includes('慰问驻地部队'))).toMatch(
      /、慰问驻地部队：0 次；另有走访驻地部队等单位 1 次，计入各项走访。$/,
    )
  })

  it('says why the 优待金 sum is not 户数 × 标准: 补发 and amounts off the standard, from the records', async () => {
    const line = async () =>
      itemsOf((await say(t, 'boss', '年报 2026'))[0]!).find((l) => l.startsWith('八、'))!
    // 李一 is paid again (补发 of half the standard), 王二 a second time, ten times over, confirmed:
    // a 重复发放, as 统计 优待金 names it.
    await say(t, 'li', '发放优待金 李一 今天 2900元 备注 补发差额')
    const [topUp] = await say(t, 'li', '确认')
    const [slip] = await say(t, 'admin', '发放优待金 王二 今天 86000元')
    await say(t, 'admin', '确认')
    const [again] = await say(t, 'admin', '确认')
    const both = await line()
    const [traditional] = await say(t, 'boss', '年報 ２０２６')
    await say(t, 'li', `撤销 #${/#(\d+)/.exec(topUp!)![1]}`)
    const one = await line()

    expect(slip).toMatch(/^金额 86,000 元 是 2026 年城镇标准 8,600 元 的 10 倍，未登记。/)
    expect(again).toMatch(
      /^已登记 #\d+：2026-12-20 发放 2026 年优待金 童家坝村 王二（城镇）86,000 元/,
    )
    expect(both).toBe(
      '八、优待金：应发 10 户，已发 10 户（100%），未发 0 户；发放 163,700 元（农村 4 户 26,100 元，标准 5,800 元；城镇 6 户 137,600 元，标准 8,600 元），其中补发 1 笔，重复发放 1 笔，多发 2 户 88,900 元；比 2025 年：户数持平，+91,900 元（+128.0%）。核对：「导出 优待金 2026」',
    )
    expect(itemsOf(traditional!)).toContain(both)
    expect(one).toBe(
      '八、优待金：应发 10 户，已发 10 户（100%），未发 0 户；发放 160,800 元（农村 4 户 23,200 元，标准 5,800 元；城镇 6 户 137,600 元，标准 8,600 元），其中重复发放 1 笔，多发 1 户 86,000 元；比 2025 年：户数持平，+89,000 元（+124.0%）。核对：「导出 优待金 2026」',
    )
  })

  it('is for leaders and admins only', async () => {
    const [reply] = await say(t, 'li', '年报 2026')

    expect(reply).not.toContain('双拥工作数据')
  })

  it('when the year is not a year, says how to ask', async () => {
    const [reply] = await say(t, 'boss', '年报 上个月')

    expect(reply).toBe('请写上年份，如「年报 2026」。')
  })
})

describe('年报 in January (a tester: the report then written is last year’s)', () => {
  let t: TestBot
  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2027-01-02T02:00:00Z') },
    )
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('gives last year’s by default, and says how to ask for this year’s', async () => {
    const [reply] = await say(t, 'boss', '年报')

    expect(reply).toMatch(/^2026 年双拥工作数据（全年）\n/)
    expect(reply).toMatch(/\n今年的请回复「年报 2027」。$/)
  })

  it.each([
    '年报 去年',
    '去年年报',
    '2026年年报',
    '2026年度年报',
    '去年的年度报告',
    '年报 2026年度',
  ])('reads 「%s」 as 2026’s, with no line about this year’s', async (text) => {
    const [reply] = await say(t, 'boss', text)

    expect(reply).toMatch(/^2026 年双拥工作数据（全年）\n/)
    expect(reply).not.toContain('今年的请回复')
  })

  it('reads 「今年的年报」 as 2027’s, so far', async () => {
    const [reply] = await say(t, 'boss', '今年的年报')

    expect(reply).toMatch(/^2027 年双拥工作数据（截至 01-02）\n/)
  })
})

describe('allowanceVariance', () => {
  const tally = (
    repeats: number,
    over: [number, number],
    under: [number, number],
    complete = true,
  ) => ({
    variance: {
      repeats,
      over: { families: over[0], fen: over[1] },
      under: { families: under[0], fen: under[1] },
      underpaid: [],
      complete,
    },
  })

  it.each([
    ['every family paid once at the standard', tally(0, [0, 0], [0, 0]), undefined],
    ['a second full payment', tally(1, [1, 580_000], [0, 0]), '补发 1 笔，多发 1 户 5,800 元'],
    ['a partial payment', tally(0, [0, 0], [1, 290_000]), '少发 1 户 2,900 元'],
    ['a partial payment and the 补发 of the rest', tally(1, [0, 0], [0, 0]), '补发 1 笔'],
    [
      'one family above and one below: never netted',
      tally(1, [1, 30_000], [1, 60_000]),
      '补发 1 笔，多发 1 户 300 元，少发 1 户 600 元',
    ],
    [
      'payments from before the per-family counter',
      tally(0, [0, 0], [0, 0], false),
      '早先登记的发放待对账后按户核对',
    ],
  ])('%s', (_case, figures, said) => {
    expect(allowanceVariance(figures)).toBe(said)
  })
})

describe('统计 优待金 and 年报 after a 补发 and an underpayment (session 5 tester)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-07-20T02:00:00Z') },
    )
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const payTheFive = async () => {
    await say(t, 'li', '发放优待金 李一 今天')
    await say(t, 'li', '发放优待金 李二 今天')
    const [held] = await say(t, 'li', '补发优待金 李二 300元 今天')
    const replies = [held!]
    // A 补发 to a family paid its standard is held, as it pays more than is owed.
    for (let i = 0; i < 3 && !/^已登记/.test(replies.at(-1)!); i++) {
      replies.push((await say(t, 'li', '确认'))[0]!)
    }
    await say(t, 'boss', '发放优待金 王二 今天')
    const [wang] = await say(t, 'boss', '发放优待金 王三 8000元 今天')
    if (!/^已登记/.test(wang!)) await say(t, 'boss', '确认')
    return replies
  }

  it('compares each family’s payments with one standard, the same figures in both', async () => {
    const replies = await payTheFive()
    const [tally] = await say(t, 'boss', '统计 优待金')
    const [report] = await say(t, 'boss', '年报')
    const line = itemsOf(report!).find((l) => l.startsWith('八、'))

    expect(replies).toHaveLength(2)
    expect(replies.at(-1)).toMatch(/^已登记 #\d+：2026-07-20 补发 2026 年优待金 铁炉嘴村 李二/)
    expect(unwrapped(tally!)).toContain(
      '注意：补发 1 笔，多发 1 户 300 元，少发 1 户 600 元；请用「导出 优待金 2026」核对。',
    )
    expect(tally).not.toContain('按各笔标准')
    expect(line).toBe(
      '八、优待金：应发 10 户，已发 4 户（40%），未发 6 户；发放 28,500 元（农村 2 户 11,900 元，标准 5,800 元；城镇 2 户 16,600 元，标准 8,600 元），其中补发 1 笔，多发 1 户 300 元，少发 1 户 600 元；2025 年无发放记录，无同比。核对：「导出 优待金 2026」、「未发放 2026」',
    )
  })

  it('a family confirmed far above the standard is not netted against one paid less', async () => {
    await payTheFive()
    await say(t, 'boss', '发放优待金 孙一 86000元 今天')
    await say(t, 'boss', '确认')
    const [tally] = await say(t, 'boss', '统计 优待金')

    expect(unwrapped(tally!)).toContain('注意：补发 1 笔，多发 2 户 77,700 元，少发 1 户 600 元；')
  })
})

describe('a family paid only part of its standard is still owed (session 5 tester)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-07-20T02:00:00Z') },
    )
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const payPart = async () => {
    const [held] = await say(t, 'li', '发放优待金 李二 300元 今天')
    const [stored] = held!.startsWith('已登记') ? [held] : await say(t, 'li', '确认')
    expect(stored).toMatch(/^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李二/)
  }

  it('未发放 names it with what is owed, and 统计 优待金 says so beside the unpaid', async () => {
    await payPart()
    const [list] = await say(t, 'li', '未发放')
    const [tally] = await say(t, 'boss', '统计 优待金')

    expect(list).toContain('铁炉嘴村尚有 2 户未发放：')
    expect(list).toContain('另有未发足 1 户：\n铁炉嘴村 李二 已发 300 元，尚欠 5,500 元\n')
    expect(unwrapped(tally!)).toContain('注意：少发 1 户 5,500 元；')
    expect(unwrapped(tally!)).toContain(
      '未发 9 户，另有未发足 1 户（尚欠 5,500 元），回复「未发放 2026」查看名单。',
    )
  })

  it('when every family has a payment, the one short is still named until its 补发', async () => {
    await payPart()
    await say(t, 'li', '发放优待金 李一 今天')
    await say(t, 'li', '发放优待金 李三 今天')
    const [short] = await say(t, 'li', '未发放')
    const [mine] = await say(t, 'li', '统计 优待金')
    const [topUp] = await say(t, 'li', '补发优待金 李二 今天')
    const [done] = await say(t, 'li', '未发放')

    expect(short).toBe(
      [
        '2026 年优待金（截止 07-31，还有 11 天）',
        '铁炉嘴村义务兵家庭全部已发放（3 户），',
        '其中未发足 1 户：',
        '铁炉嘴村 李二 已发 300 元，尚欠 5,500 元',
        '补发后回复「补发优待金 姓名」登记，',
        '金额默认为尚欠的差额。',
      ].join('\n'),
    )
    expect(unwrapped(mine!)).toContain(
      '全部已发放，其中未发足 1 户（尚欠 5,500 元），回复「未发放 2026 铁炉嘴村」查看。',
    )
    expect(topUp).toMatch(
      /^已登记 #\d+：2026-07-20 补发 2026 年优待金 铁炉嘴村 李二（农村）5,500 元（按尚欠差额）\n李二 2026 年已发 5,800 元，已发足农村标准 5,800 元。\n/,
    )
    expect(done).toMatch(/铁炉嘴村义务兵家庭全部已发放（3 户）。$/)
  })
})

describe('年报 at a phone’s width (a tester: lines past 40 columns)', () => {
  let t: TestBot

  // A township with long names everywhere a name can reach 年报: its own, its villages', every
  // category's, goods', and seven-digit sums.
  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin', TOWNSHIP_NAME: '某某省某某市某某县经济技术开发区铁炉嘴镇' },
      { now: () => NOW },
    )
    const s = t.bot.services
    const villages = ['铁炉嘴村民委员会第一村', '经济技术开发区新城大道东段社区', '石门村']
    for (const v of villages) await s.villages.addVillage(v, adminMeta())
    const categories = [
      '残疾军人',
      '烈士遗属',
      '因公牺牲军人遗属',
      '病故军人遗属',
      '带病回乡退伍军人',
      '在乡复员军人',
      '参战参试退役人员',
    ] as const
    for (const [i, category] of categories.entries()) {
      await s.people.addPerson(
        { name: `欧阳${'一二三四五六七'[i]}`, village: villages[i % 3]!, category },
        adminMeta(),
      )
    }
    for (let i = 0; i < 12; i++) {
      await s.people.addPerson(
        {
          name: `司马${i}`,
          village: villages[i % 2]!,
          category: '义务兵家庭',
          householdType: i % 3 === 0 ? '城镇' : '农村',
        },
        adminMeta(),
      )
    }
    for (const year of [2025, 2026]) {
      await s.allowances.setAllowanceStandard(
        year,
        { mode: 'split', ruralFen: 1_258_000, urbanFen: 1_886_000 },
        adminMeta(),
      )
    }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when the year is full of work, every line of 年报 is at most 40 columns', async () => {
    await say(t, 'admin', '发放优待金 司马0 今天')
    await say(t, 'admin', '发放优待金 司马1 12580元 今天')
    await say(t, 'admin', '发放优待金 司马2 3000元 今天')
    await say(t, 'admin', '确认')
    await say(
      t,
      'admin',
      '走访 欧阳一 12月18日 日常 慰问金123456元 慰问品礼盒二十盒 精制大米一百袋 食用调和油三十桶 加厚棉被十床 春联福字五十套 备注 住房漏雨需修缮',
    )
    await say(t, 'admin', '确认')
    await say(t, 'admin', '走访 欧阳二 12月18日 困难帮扶 慰问金2000元 备注 子女就学困难')
    await say(t, 'admin', '活动 慰问部队 武警某某市支队某某县中队 12月18日 人数120')
    await say(t, 'admin', '活动 军训 12月18日 人数52590')
    await say(t, 'admin', '活动 共建点 学校 12月18日')

    const [reply] = await say(t, 'admin', '年报 2026')

    const wide = reply!.split('\n').filter((l) => displayWidth(l) > REPLY_WIDTH)
    expect(reply).toContain('礼盒20盒')
    expect(reply!.split('\n').length).toBeGreaterThan(17)
    expect(wide).toEqual([])
  })

  it('when its lines are joined again, each item reads as one sentence', async () => {
    const [reply] = await say(t, 'admin', '年报 2026')

    const items = itemsOf(reply!)
    expect(items[0]).toBe(
      '某某省某某市某某县经济技术开发区铁炉嘴镇 2026 年双拥工作数据（截至 12-20）由系统记录计算，金额单位：元。',
    )
    expect(items).toHaveLength(17)
    expect(items[1]).toBe(
      '一、组织与底册：当前在册优抚对象 19 人，分布在 3 个村（社区），其中残疾军人 1、烈士遗属 1、因公牺牲军人遗属 1、病故军人遗属 1、带病回乡退伍军人 1、在乡复员军人 1、参战参试退役人员 1、义务兵家庭 12；义务兵家庭 12 户（农村 8、城镇 4）。核对：「导出 花名册」',
    )
  })
})
