import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ReplyLayout } from '../../src/replies/layout.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { CONSCRIPTS, payAll, seedTown, visit, type Town } from '../support/town.js'

// 2026-07-31 10:00 in Shanghai: the day before 八一, as in conversations.md.
const NOW = new Date('2026-07-31T02:00:00Z')

/** A reply's text with its lines broken to a phone's width joined again: its sentences. */
const unwrapped = (text: string) => text.replace(/\n/g, '')

async function ask(t: TestBot, user: string, text: string) {
  const res = await t.http.post('/sandbox/messages').send({ user, text }).expect(200)
  return (res.body as { replies: { text: string; layout?: ReplyLayout }[] }).replies[0]!
}

describe('统计 优待金 (issue 4)', () => {
  let t: TestBot
  let town: Town

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
    await payAll(t, town, 2025, CONSCRIPTS)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when four rural families got 5500 元 and six urban 8300 元, tallies 71,800 元 and ten families, with no 万', async () => {
    const [reply] = await say(t, 'boss', '统计 优待金 2025')
    const tally = await t.bot.services.tallies.readAllowanceTally(2025)

    expect(reply).toContain('\n全镇：应发 10 户，已发 10 户（100%），\n共 71,800 元\n')
    expect(reply).toContain('\n农村：已发 4/4 户，22,000 元\n（标准 5,500 元/户）\n')
    expect(reply).toContain('\n城镇：已发 6/6 户，49,800 元\n（标准 8,300 元/户）\n')
    expect(reply).toContain('全部已发放。')
    expect(reply).not.toMatch(/万/)
    expect(tally.total).toMatchObject({ families: 10, payments: 10, sumFen: 7_180_000 })
    expect(tally.byStandard).toEqual([
      { standardFen: 830_000, payments: 6, sumFen: 4_980_000 },
      { standardFen: 550_000, payments: 4, sumFen: 2_200_000 },
    ])
  })

  it('when one family is still unpaid, 未发放 names it with its standard and the deadline', async () => {
    await payAll(t, town, 2026, CONSCRIPTS.slice(0, 9))

    const [reply] = await say(t, 'boss', '未发放 2026')

    expect(reply).toBe(
      [
        '2026 年优待金（截止 07-31，就是今天）',
        '全镇尚有 1 户未发放：',
        '1. 孙四（城镇，8,600 元）',
        '发放后回复「发放优待金 姓名 日期」登记。',
      ].join('\n'),
    )
  })

  it('when a deadline is configured, 未发放 counts the days left to it', async () => {
    await t.bot.services.allowances.setAllowanceDeadline(2026, '2026-08-03', {
      actor: 'sandbox:admin',
      at: NOW,
      idempotencyKey: 'deadline-1',
    })

    const [reply] = await say(t, 'boss', '未发放')

    expect(reply).toMatch(/^2026 年优待金（截止 08-03，还有 3 天）\n全镇尚有 10 户未发放：/)
    expect(reply).toContain('童家坝村 3 户：')
  })

  it('when every family is paid, 未发放 says so', async () => {
    const [reply] = await say(t, 'li', '未发放 2025')

    expect(reply).toBe(
      '2025 年优待金（截止 2025-07-31，已过 365 天）：铁炉嘴村义务兵家庭全部已发放（3 户）。',
    )
  })

  it('compares the year with the year before', async () => {
    await payAll(t, town, 2026, CONSCRIPTS.slice(0, 9))

    const [reply] = await say(t, 'boss', '统计 优待金')

    expect(unwrapped(reply!)).toContain('全镇：应发 10 户，已发 9 户（90%），共 66,200 元')
    expect(reply).toContain('\n比 2025 年：-1 户，-5,600 元（-7.8%）\n')
    expect(reply).toContain('未发 1 户，回复「未发放 2026」查看名单。')
  })

  it("points a village's tally at that village's list (a tester was sent to the town's)", async () => {
    const [reply] = await say(t, 'boss', '统计 优待金 2026 童家坝村')

    expect(reply).toContain('回复「未发放 2026 童家坝村」查看名单。')
  })

  it('when a payment was not at its standard, says by how much and where to check', async () => {
    await t.bot.services.allowances.addPayment(
      { personId: town.people['孙四']!.id, year: 2026, amountFen: 800_000, date: '2026-07-21' },
      { actor: 'sandbox:admin', at: NOW, idempotencyKey: 'odd-1' },
    )

    const [reply] = await say(t, 'boss', '统计 优待金 2026')

    expect(reply).toContain('\n注意：少发 1 户 600 元；\n请用「导出 优待金 2026」核对。\n')
  })

  it('for a cadre, covers their villages only, and refuses another village', async () => {
    const mine = await ask(t, 'li', '统计 优待金 2025')
    const [other] = await say(t, 'li', '统计 优待金 童家坝村')

    expect(unwrapped(mine.text)).toContain('铁炉嘴村：应发 3 户，已发 3 户（100%），共 16,500 元')
    expect(mine.text).not.toContain('童家坝村')
    expect(mine.layout).toBeUndefined()
    expect(other).toBe('童家坝村不在您负责的村（铁炉嘴村），不能查看。')
  })

  it('for a leader, adds a row per village, aligned, no table', async () => {
    const reply = await ask(t, 'boss', '统计 优待金 2025')

    expect(reply.layout).toBeDefined()
    expect(reply.text).toContain(
      [
        '',
        '各村（已发/应发，金额）：',
        '铁炉嘴村　3/3 户 16,500 元',
        '童家坝村　3/3 户 22,100 元',
        '新街社区　4/4 户 33,200 元',
        '',
      ].join('\n'),
    )
    expect(reply.text).not.toContain('|')
  })
})

describe('统计 and 未走访 of a campaign (issue 4)', () => {
  let t: TestBot
  let town: Town

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
    await visit(t, town, '张三', { needs: '危房需修缮' })
    await visit(t, town, '李一', { cashFen: 30_000 })
    await visit(t, town, '赵六')
    await t.bot.services.visits.addVisit(
      {
        date: '2026-07-30',
        occasion: '八一',
        campaignYear: 2026,
        unitName: '武警中队',
        visitors: ['镇长'],
        cashFen: 300_000,
      },
      { actor: 'sandbox:boss', at: NOW, idempotencyKey: 'unit-1' },
    )
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('plain 统计 gives the running campaign with its countdown, a row per village and the allowance', async () => {
    const reply = await ask(t, 'boss', '统计')

    expect(reply.layout).toBeDefined()
    // 40 columns: the heading fits a phone's line as it is.
    expect(reply.layout!.title).toBe('2026 八一走访（截至 07-31，距八一 1 天）')
    expect(reply.text).toContain(
      '\n全镇：应访 12 户，已访 3 户（25%），\n走访 4 次（含单位 1 次），\n慰问金 4,300 元，物品 米3袋\n',
    )
    expect(reply.text).toContain(
      [
        '各村（已访/应访，完成率，慰问金）：',
        '铁炉嘴村　2/4 户 50% 800 元',
        '童家坝村　1/4 户 25% 500 元',
        '新街社区　0/4 户 0% 0 元',
        '全镇（单位）　走访 1 次 3,000 元',
      ].join('\n'),
    )
    expect(reply.text).toContain('\n未走访 9 户，\n回复「未走访 八一」查看名单。\n')
    expect(reply.text).toMatch(/\n2026 年优待金：已发 0\/10 户，0 元。\n回复「统计 优待金」查看。$/)
  })

  it('for a cadre, 统计 八一 covers their village only and by category', async () => {
    const reply = await ask(t, 'li', '统计 八一')

    expect(reply.layout).toBeUndefined()
    expect(reply.text).toBe(
      [
        '2026 八一走访（截至 07-31，距八一 1 天）',
        '铁炉嘴村：应访 4 户，已访 2 户（50%），',
        '走访 2 次，慰问金 800 元，物品 米2袋',
        '按类别（已访/应访）：残疾军人 1/1，',
        '义务兵家庭 1/3',
        '未走访 2 户，',
        '回复「未走访 八一 铁炉嘴村」查看名单。',
      ].join('\n'),
    )
  })

  it('未走访 lists a cadre its households still to visit, numbered', async () => {
    const [reply] = await say(t, 'li', '未走访')

    expect(reply).toBe(
      [
        '2026 八一走访（截至 07-31，距八一 1 天）',
        '铁炉嘴村尚有 2 户未走访：',
        '1. 李二（义务兵家庭）',
        '2. 李三（义务兵家庭）',
        '走访后回复「走访 姓名 日期」登记。',
      ].join('\n'),
    )
  })

  it('未走访 lists a leader every village, numbered across villages', async () => {
    const [reply] = await say(t, 'boss', '未走访 八一')

    expect(reply).toMatch(/^2026 八一走访（截至 07-31，距八一 1 天）\n全镇尚有 9 户未走访：\n/)
    expect(reply).toContain(
      '铁炉嘴村 2 户：\n1. 李二（义务兵家庭）\n2. 李三（义务兵家庭）\n童家坝村 3 户：\n3. 王一',
    )
    expect(reply).toContain('新街社区 4 户：\n6. 孙一')
  })

  it('when everyone is visited, 未走访 says 全部已走访', async () => {
    await visit(t, town, '李二')
    await visit(t, town, '李三')

    const [reply] = await say(t, 'li', '未走访 八一')

    expect(reply).toBe('2026 八一走访（截至 07-31，距八一 1 天）：铁炉嘴村全部已走访（4 户）。')
  })

  it('an occasion whose campaign is over gives the latest one, and a past year its own', async () => {
    const [spring] = await say(t, 'boss', '统计 春节')
    const [past] = await say(t, 'boss', '统计 2025 八一')

    expect(spring).toMatch(/^2026 春节走访\n（已于 02-17 结束，截至 07-31）\n/)
    expect(past).toMatch(/^2025 八一走访（已于 2025-08-01 结束）\n/)
    expect(unwrapped(past!)).toContain('回复「未走访 八一 2025」查看名单。')
  })

  it('when a word is not understood, says how to ask', async () => {
    const [reply] = await say(t, 'boss', '统计 下个月')

    expect(reply).toBe(
      '没看懂「下个月」。可以这样问：「统计」「统计 八一」「统计 2026 春节」「统计 优待金 2026」「统计 活动」「统计 铁炉嘴村」「统计 全年」「统计 排名」「统计 今天」。',
    )
  })

  it('statistics are refused to someone unregistered', async () => {
    const [reply] = await say(t, 'stranger', '统计')

    expect(reply).toContain('您还未登记为本系统用户')
  })
})

describe('统计 活动 (issue 4)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('counts activities by kind with the people reached and the co-building sites', async () => {
    for (const line of [
      '活动 座谈会 7月30日 人数40',
      '活动 军训 7月20日 人数5259',
      '活动 晚会 7月25日 人数600',
    ]) {
      await say(t, 'boss', line)
    }
    await t.bot.services.activities.addActivity(
      {
        activityKind: '共建点',
        date: '2026-05-01',
        year: 2026,
        siteKind: '学校',
        village: '铁炉嘴村',
      },
      { actor: 'sandbox:boss', at: NOW, idempotencyKey: 'site-1' },
    )

    const reply = await ask(t, 'boss', '统计 活动')

    expect(reply.layout).toBeDefined()
    expect(reply.text).toContain('2026 年双拥活动（全镇，截至 07-31）')
    expect(reply.text).toContain('按类别（次数，人数）：')
    // Names padded with full-width spaces to the longest (学生军训), so the counts line up.
    expect(reply.text).toContain('\n座谈会　　1 次 40 人\n')
    expect(reply.text).toContain('\n学生军训　1 次 5,259 人\n')
    expect(reply.text).toContain('\n共建点　　1 次\n')
    expect(reply.text).toContain('共建点：学校 1 个')
    expect(reply.text).toContain('按村：铁炉嘴村 1 次、全镇 3 次')
  })
})
