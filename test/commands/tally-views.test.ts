import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { displayWidth, REPLY_WIDTH } from '../../src/replies/display-width.js'
import { isRowsBlock } from '../../src/replies/layout.js'
import type { VisitInput } from '../../src/records/schemas.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'
import { widthProblems, type SandboxReply } from '../support/reply-width.js'
import { adminMeta, seedTown, visit, type Town } from '../support/town.js'

// The year, the ranking and today's visits asked in a leader's and a cadre's own words, each
// checked against what 统计 (and 年报) say of the same counters (docs/figures.md).

async function ask(t: TestBot, user: string, text: string): Promise<SandboxReply> {
  const res = await t.http.post('/sandbox/messages').send({ user, text }).expect(200)
  const replies = (res.body as { replies: SandboxReply[] }).replies
  expect(replies).toHaveLength(1)
  return replies[0]!
}

/** `1,100` → 1100. */
const yuan = (text: string) => Number(text.replace(/,/g, ''))

/** A reply's lines, broken to a phone's width, joined again: its sentences run together. */
const unwrapped = (reply: string) => reply.replace(/\n/g, '')

/** The cash of a 统计 reply's summary line (`全镇：… 慰问金 800 元`, however it is broken). */
function tallyCash(reply: string): number {
  return yuan(/^[^：]+：.*?慰问金 ([\d,]+) 元/.exec(unwrapped(reply))![1]!)
}

/** The visits of a 统计 reply's summary line (`走访 2 次`). */
function tallyVisits(reply: string): number {
  return Number(/^[^：]+：.*?走访 (\d+) 次/.exec(unwrapped(reply))![1]!)
}

/** The households visited of a 统计 reply's summary line (`已访 2 户`). */
function tallyHouseholds(reply: string): number {
  return Number(/^[^：]+：.*?已访 (\d+) 户/.exec(unwrapped(reply))![1]!)
}

/** A reply read at a phone's width: no table, no aligned row and no line of ours past 40 columns. */
function expectPhoneWidth(reply: SandboxReply): void {
  expect(widthProblems(reply)).toEqual([])
  for (const block of reply.layout?.blocks ?? []) {
    if (!isRowsBlock(block)) continue
    for (const row of block.rows) {
      expect(displayWidth([row.name, ...row.cells].join('　'))).toBeLessThanOrEqual(REPLY_WIDTH)
    }
  }
}

describe('the year’s visits across occasions (统计 全年)', () => {
  let t: TestBot
  let town: Town
  // 2026-12-02 10:00 in Shanghai: 八一 is past, 2027 元旦 and 春节 are the coming campaigns.
  const clock: TestClock = testClock('2026-12-02T02:00:00Z')

  const at = (input: Partial<VisitInput>, name: string) => visit(t, town, name, input)

  beforeEach(async () => {
    clock.set('2026-12-02T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    town = await seedTown(t)
    // 2026's 元旦 (visited on 2025-12-28), 春节, 八一 and 日常; 李一 twice (八一 and 日常).
    await at({ date: '2025-12-28', occasion: '元旦', campaignYear: 2026, cashFen: 20_000 }, '赵六')
    await at({ date: '2026-02-10', occasion: '春节', campaignYear: 2026, cashFen: 30_000 }, '张三')
    await at({}, '李一')
    await at({ cashFen: 40_000 }, '王一')
    await at({ date: '2026-11-20', occasion: '日常', campaignYear: 2026, cashFen: 10_000 }, '李一')
    // Toward 2027's 元旦, filed this December: not this year's.
    await at({ date: '2026-12-01', occasion: '元旦', campaignYear: 2027, cashFen: 60_000 }, '孙一')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('adds up to what 统计 says of each occasion and what 年报 says of the year', async () => {
    const occasions = ['元旦', '春节', '八一', '日常', '困难帮扶']
    const tallies = await Promise.all(occasions.map((o) => say(t, 'boss', `统计 2026 ${o}`)))
    const [report] = await say(t, 'boss', '年报 2026')

    const reply = await ask(t, 'boss', '今年慰问金花了多少')

    const cash = tallies.reduce((n, [r]) => n + tallyCash(r!), 0)
    const visits = tallies.reduce((n, [r]) => n + tallyVisits(r!), 0)
    const households = tallies.reduce((n, [r]) => n + tallyHouseholds(r!), 0)
    expect({ cash, visits, households }).toEqual({ cash: 150_000 / 100, visits: 5, households: 5 })
    const lines = reply.text.split('\n')
    expect(lines[0]).toBe('2026 年走访慰问合计（截至 12-02）')
    expect(lines[1]).toBe(`全镇：走访 ${visits} 次，${households} 户次，慰问金 1,500 元`)
    // December's visit toward 2027's 元旦 right under the sum it is not in (docs/replies.md).
    expect(lines.slice(2, 6)).toEqual([
      '另有 2027 元旦走访 1 次、600 元，',
      '计入 2027 年。',
      '含 2026 年元旦、春节、八一、日常走访。',
      '户次：一户在每次活动中各计一次。',
    ])
    // 年报's lines are broken to a phone's width; joined, its item reads as one sentence.
    expect(report!.replace(/\n/g, '')).toContain(
      `走访慰问 ${households} 户次，共 ${visits} 次，慰问金 1,500 元`,
    )
    expectPhoneWidth(reply)
  })

  it('has a row per occasion equal to its 统计, and per village rows that sum to the total', async () => {
    const [bayi] = await say(t, 'boss', '统计 2026 八一')

    const reply = await ask(t, 'boss', '今年一共发了多少慰问金')

    const [byOccasion, byVillage] = reply.layout!.blocks.filter(isRowsBlock)
    expect(byOccasion!.rows.find((r) => r.name === '八一')!.cells).toEqual([
      `${tallyHouseholds(bayi!)}/${/应访 (\d+) 户/.exec(bayi!)![1]} 户`,
      `${tallyVisits(bayi!)} 次`,
      `${tallyCash(bayi!).toLocaleString('en-US')} 元`,
    ])
    expect(byVillage!.rows).toEqual([
      { name: '铁炉嘴村', cells: ['3 户次', '900 元'] },
      { name: '童家坝村', cells: ['2 户次', '600 元'] },
      { name: '新街社区', cells: ['0 户次', '0 元'] },
    ])
    const sum = byVillage!.rows.reduce((n, r) => n + yuan(r.cells[1]!.replace(' 元', '')), 0)
    expect(sum).toBe(1_500)
  })

  it.each([
    '今年慰问金花了多少',
    '今年一共发了多少慰问金',
    '慰问金总共多少钱',
    '今年走访了多少户',
    '今年一共走访了多少户？',
    '今年一共走访了多少次',
    '今年慰問金花了多少？',
    '慰問金總共多少錢',
    '今年走訪了多少戶？',
    '请问，今年慰问金一共花了多少钱？',
    '统计 全年',
    '統計 全年',
  ])('「%s」 is answered with the year’s figures', async (text) => {
    const [plain] = await say(t, 'boss', '统计 全年')

    const reply = await ask(t, 'boss', text)

    expect(reply.text).toBe(plain)
  })

  it('gives a cadre their village’s year, as their 统计 of each occasion', async () => {
    const [bayi] = await say(t, 'li', '统计 2026 八一')
    const [daily] = await say(t, 'li', '统计 2026 日常')
    const [spring] = await say(t, 'li', '统计 2026 春节')

    const reply = await ask(t, 'li', '今年慰问金花了多少')

    const cash = tallyCash(bayi!) + tallyCash(daily!) + tallyCash(spring!)
    expect(reply.text.split('\n').slice(1, 3)).toEqual([
      '铁炉嘴村：走访 3 次，3 户次，',
      `慰问金 ${cash} 元`,
    ])
    expect(reply.text).not.toMatch(/童家坝村|新街社区|各村/)
    expectPhoneWidth(reply)
  })

  it('names last year when asked, with its December visit toward this year’s 元旦', async () => {
    const reply = await ask(t, 'boss', '去年走访了多少户')

    expect(reply.text).toBe(
      [
        '2025 年走访慰问合计（全年）',
        '全镇没有计入 2025 年的走访记录。',
        '另有 2025 年内的 2026 元旦走访 1 次、',
        '200 元，计入 2026 年。',
      ].join('\n'),
    )
  })
})

describe('villages ranked by the campaign’s rate (统计 排名)', () => {
  let t: TestBot
  let town: Town

  beforeEach(async () => {
    // 2026-07-31: inside the 八一 campaign.
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-07-31T02:00:00Z') },
    )
    town = await seedTown(t)
    for (const name of ['李一', '李二', '李三', '王一']) await visit(t, town, name)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('lists the villages worst first, with 统计’s figures for each', async () => {
    const tally = await ask(t, 'boss', '统计 八一')

    const reply = await ask(t, 'boss', '哪个村走访最差')

    const counts = Object.fromEntries(
      tally.layout!.blocks.filter(isRowsBlock)[0]!.rows.map((r) => [r.name, r.cells[0]]),
    )
    const rows = reply.layout!.blocks.filter(isRowsBlock)[0]!.rows
    expect(rows.map((r) => r.name)).toEqual(['1. 新街社区', '2. 童家坝村', '3. 铁炉嘴村'])
    for (const row of rows) expect(row.cells[0]).toBe(counts[row.name.slice(3)])
    // A heading wider than a phone's line: the words, then their （…） on a line of its own;
    // the layout keeps it whole, for the surfaces that show it in bold and wrap it themselves.
    expect(reply.layout!.title).toBe('2026 八一走访各村完成率（截至 07-31，距八一 1 天）')
    expect(reply.text.split('\n').slice(0, 2)).toEqual([
      '2026 八一走访各村完成率',
      '（截至 07-31，距八一 1 天）',
    ])
    expect(reply.text).toContain(
      '\n最低：新街社区 0/4 户（0%）；\n最高：铁炉嘴村 3/4 户（75%）。\n',
    )
    expect(reply.text).toMatch(/\n回复「未走访 八一 新街社区」\n查看新街社区的名单。$/)
    expectPhoneWidth(reply)
  })

  it.each([
    '哪个村走访最差',
    '哪个村最落后',
    '哪个村走访最少？',
    '走访排名',
    '各村走访排名',
    '哪個村走訪最差？',
    '哪个村最落后？',
    '统计 排名',
    '统计 八一 排名',
    '咱们村排第几',
  ])('「%s」 is answered with the ranking', async (text) => {
    const [plain] = await say(t, 'boss', '统计 排名')

    const [reply] = await say(t, 'boss', text)

    expect(reply).toBe(plain)
  })

  it('points to the last campaign’s ranking while the current one has no visits yet', async () => {
    const december = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-02T02:00:00Z') },
    )
    try {
      await seedTown(december)

      const [reply] = await say(december, 'boss', '哪个村走访最差')

      expect(reply).toMatch(/^2027 元旦走访各村完成率\n（截至 12-02，距元旦 30 天）\n/)
      expect(reply).toContain('\n还没有登记元旦走访。\n上一次的排名请回复「统计 八一 排名」。')
    } finally {
      await december.cleanup()
    }
  })

  it('names villages tied at the top or the bottom together, not one of them', async () => {
    const december = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-15T03:00:00Z') },
    )
    try {
      await seedTown(december)
      await say(december, 'li', '走访 张三 今天 元旦')
      await say(december, 'admin', '走访 王一 今天 元旦')

      const [reply] = await say(december, 'boss', '排名')

      expect(reply).toContain(
        '\n最低：新街社区 0/4 户（0%）；\n最高：铁炉嘴村、童家坝村并列（25%）。\n',
      )
    } finally {
      await december.cleanup()
    }
  })

  it('counts more than three villages tied rather than naming them all', async () => {
    const december = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-15T03:00:00Z') },
    )
    try {
      await seedTown(december)
      const s = december.bot.services
      for (const [village, name] of [
        ['河口村', '周一'],
        ['石桥村', '周二'],
      ] as const) {
        await s.villages.addVillage(village, adminMeta())
        await s.people.addPerson({ name, village, category: '烈士遗属' }, adminMeta())
      }
      await say(december, 'li', '走访 张三 今天 元旦')

      const [reply] = await say(december, 'boss', '排名')

      expect(reply).toContain(
        '\n最低：4 个村（社区）并列（0%）；\n最高：铁炉嘴村 1/4 户（25%）。\n',
      )
    } finally {
      await december.cleanup()
    }
  })

  it.each([
    // 八一 ended nine days ago and is still what a plain question means.
    [
      '2026-08-10T02:00:00Z',
      /^2026 八一走访各村完成率\n（已于 08-01 结束，截至 08-10）\n/,
      '统计 春节 排名',
    ],
    // 春节's window opens in 18 days: it is asked about, and 元旦 is the one before.
    [
      '2027-01-05T02:00:00Z',
      /^2027 春节走访各村完成率\n（截至 01-05，距春节 32 天）\n/,
      '统计 元旦 排名',
    ],
  ])('on %s, with nobody visited, points to the campaign before', async (at, heading, before) => {
    const later = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => new Date(at) })
    try {
      await seedTown(later)

      const [reply] = await say(later, 'boss', '统计 排名')

      expect(reply).toMatch(heading)
      expect(reply).toContain(`上一次的排名请回复「${before}」。`)
    } finally {
      await later.cleanup()
    }
  })

  it('gives a cadre with one village that village’s figure', async () => {
    const [tally] = await say(t, 'li', '统计 八一')

    const [reply] = await say(t, 'li', '哪个村走访最差')

    expect(tally).toContain('铁炉嘴村：应访 4 户，已访 3 户（75%）')
    expect(reply).toBe(
      [
        '2026 八一走访（截至 07-31，距八一 1 天）',
        '铁炉嘴村 3/4 户（75%）。',
        '未走访 1 户，',
        '回复「未走访 八一 铁炉嘴村」查看名单。',
      ].join('\n'),
    )
  })
})

describe('visits logged today (统计 今天)', () => {
  let t: TestBot
  const clock: TestClock = testClock('2026-12-01T02:00:00Z')

  beforeEach(async () => {
    clock.set('2026-12-01T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await seedTown(t)
    // Yesterday's: not today's.
    await say(t, 'li', '走访 李二 今天 日常 慰问金100元')
    clock.set('2026-12-02T02:00:00Z')
    await say(t, 'li', '走访 张三 今天 日常 慰问金300元')
    await say(t, 'li', '走访 李一 昨天 日常')
    await say(t, 'boss', '走访 赵六 今天 日常 慰问金500元')
    const [withdrawn] = await say(t, 'boss', '走访 王一 今天 日常')
    await say(t, 'boss', `撤销 #${/#(\d+)/.exec(withdrawn!)![1]}`)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('lists who was visited, where, for what and who logged it, newest first', async () => {
    const reply = await ask(t, 'boss', '今天走访了谁')

    expect(reply.text.split('\n')).toEqual([
      '今天（12-02）全镇登记走访 3 次（3 户），',
      '慰问金 800 元：',
      expect.stringMatching(/^#\d+ 童家坝村 赵六 日常 500 元，boss登记$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 李一 日常 12-01，li登记$/),
      expect.stringMatching(/^#\d+ 铁炉嘴村 张三 日常 300 元，li登记$/),
      '回复「查看 #编号」看详情。',
    ])
    expectPhoneWidth(reply)
  })

  it('agrees with 统计 of the occasion when everything of it was logged today', async () => {
    await say(t, 'boss', '走访 孙一 今天 困难帮扶 慰问金200元')
    await say(t, 'li', '走访 李三 今天 困难帮扶 慰问金100元')
    const [tally] = await say(t, 'boss', '统计 困难帮扶')

    const [reply] = await say(t, 'boss', '今天走访了谁')

    const hardship = reply!.split('\n').filter((l) => / 困难帮扶 /.test(l))
    expect(hardship).toHaveLength(tallyVisits(tally!))
    const cash = hardship.reduce((n, l) => n + Number(/ (\d+) 元/.exec(l)![1]), 0)
    expect(cash).toBe(tallyCash(tally!))
  })

  it('统计 困难帮扶 and 统计 日常 say no share of the roster and no 未走访: nobody is owed them', async () => {
    await say(t, 'boss', '走访 孙一 今天 困难帮扶 慰问金200元')
    await say(t, 'li', '走访 李三 今天 困难帮扶 慰问金100元')
    const full = await ask(t, 'boss', '统计 困难帮扶')
    const hardship = full.text

    expect(hardship).toContain('全镇：已访 2 户，走访 2 次，')
    expect(hardship).toContain('按类别（已访户数）：义务兵家庭 2')
    expect(hardship).toContain('各村（已访户数，慰问金）：')
    expect(hardship).not.toMatch(/应访|在册|未走访|%/)
    expectPhoneWidth(full)
  })

  it('shows a cadre their villages only', async () => {
    const [reply] = await say(t, 'li', '今天登记了哪些')

    expect(reply).toMatch(/^今天（12-02）铁炉嘴村登记走访\n2 次（2 户），慰问金 300 元：\n/)
    expect(reply).not.toContain('赵六')
  })

  it.each([
    '今天走访了谁',
    '今天登记了哪些',
    '今天谁走访了',
    '今天走访了几户？',
    '今天走訪了誰？',
    '今日登記了哪些',
    '统计 今天',
  ])('「%s」 is answered with today’s list', async (text) => {
    const [plain] = await say(t, 'boss', '统计 今天')

    const [reply] = await say(t, 'boss', text)

    expect(reply).toBe(plain)
  })

  it('counts past 20 and shows the newest 20', async () => {
    const { visits } = t.bot.services
    const people = await t.bot.services.people.listPeople({ villages: ['新街社区'] })
    for (let i = 0; i < 22; i++) {
      await visits.addVisit(
        {
          date: '2026-12-02',
          occasion: '日常',
          campaignYear: 2026,
          personId: people[i % people.length]!.id,
          visitors: ['王主任'],
          cashFen: 0,
          goods: [],
        },
        adminMeta(new Date(`2026-12-02T03:${String(i).padStart(2, '0')}:00Z`)),
        { allowDuplicate: true },
      )
    }

    const reply = await ask(t, 'boss', '今天走访了谁')

    const lines = reply.text.split('\n')
    expect(lines.slice(0, 2)).toEqual([
      '今天（12-02）全镇登记走访',
      '25 次（7 户），慰问金 800 元：',
    ])
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(20)
    expect(lines.at(-2)).toBe('共 25 条，显示前 20 条。')
    expectPhoneWidth(reply)
  })

  it('lists a visit moved to another occasion today once, under the occasion it has now', async () => {
    const [logged] = await say(t, 'li', '走访 李三 今天 日常')
    const id = /#(\d+)/.exec(logged!)![1]
    await say(t, 'li', `修改 #${id} 场合 困难帮扶`)

    const [reply] = await say(t, 'li', '今天走访了谁')

    const lines = reply!.split('\n').filter((l) => l.startsWith(`#${id} `))
    expect(lines).toEqual([`#${id} 铁炉嘴村 李三 困难帮扶，li登记`])
  })

  it('says so when nothing was logged today', async () => {
    clock.set('2026-12-03T02:00:00Z')

    const [reply] = await say(t, 'li', '今天走访了谁')

    expect(reply).toBe('今天（12-03）铁炉嘴村还没有登记走访。\n登记如「走访 张三 今天 日常」。')
  })
})

describe('who is still to visit, asked with 今天', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-07-31T02:00:00Z') },
    )
    const town = await seedTown(t)
    await visit(t, town, '李一')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['boss', '今天谁还没走访'],
    ['boss', '还有谁没走访'],
    ['boss', '今天還有誰沒走訪？'],
    ['li', '今天谁还没走访？'],
    ['li', '还有谁没走访'],
  ])('%s’s 「%s」 is 未走访 of the current campaign', async (user, text) => {
    const [list] = await say(t, user, '未走访')

    const reply = await ask(t, user, text)

    expect(reply.text).toBe(list)
    expect(reply.text).toMatch(/^2026 八一走访/)
    expectPhoneWidth(reply)
  })
})
