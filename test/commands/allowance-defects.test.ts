import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, payAll, seedTown, type Town } from '../support/town.js'
import { unwrapped } from '../support/reply-width.js'

// The seeded standards: 2026 农村 5,800 / 城镇 8,600 (support/town.ts); no deadline configured,
// so 2026's is 07-31.
/** 2026-07-21 10:00 in Asia/Shanghai, before the deadline. */
const BEFORE_DEADLINE = new Date('2026-07-21T02:00:00Z')
/** 2026-08-02 10:00 in Asia/Shanghai, two days after it. */
const AFTER_DEADLINE = new Date('2026-08-02T02:00:00Z')

/** The record a reply names (已登记 #N). */
const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

/** The lines of `reply` wider than a phone. */
const tooWide = (reply: string) => reply.split('\n').filter((l) => displayWidth(l) > REPLY_WIDTH)

function setUp(now: Date) {
  const ctx = {} as { t: TestBot; town: Town }
  beforeEach(async () => {
    ctx.t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => now })
    ctx.town = await seedTown(ctx.t)
  })
  afterEach(async () => {
    await ctx.t.cleanup()
  })
  return ctx
}

describe('an amount written with 万 is checked as the same amount without it (a tester: 0.58万 refused)', () => {
  const ctx = setUp(BEFORE_DEADLINE)
  const form = () => ctx.t.redis.get(ctx.t.keys.form('sandbox', 'li', 'li'))

  it.each([
    ['0.58万', '5,800', 580_000],
    ['0.58万元', '5,800', 580_000],
    ['0.6万', '6,000', 600_000],
    // Two years' worth (2×) is stored at once without 万 too (below the 3× slip bound).
    ['1.16万', '11,600', 1_160_000],
  ])('when %s is sent for a 5,800 family, stores %s 元 at once', async (amount, shown, fen) => {
    const [reply] = await say(ctx.t, 'li', `发放优待金 李二 ${amount} 今天`)

    expect(reply).toMatch(
      new RegExp(`^已登记 #\\d+：2026-07-21 发放 2026 年优待金 铁炉嘴村 李二（农村）${shown} 元`),
    )
    expect(await ctx.t.bot.services.records.getRecord(idOf(reply))).toMatchObject({
      kind: 'payment',
      amountFen: fen,
    })
    expect(await form()).toBeNull()
  })

  it('when 11600 is sent without 万, it is stored at once as 1.16万 is', async () => {
    const [reply] = await say(ctx.t, 'li', '发放优待金 李二 11600 今天')

    expect(reply).toMatch(/^已登记 #\d+：.*11,600 元/)
  })

  it('when 5800万 is sent, holds it naming the 万, and stores nothing', async () => {
    const [held] = await say(ctx.t, 'li', '发放优待金 李二 5800万 今天')

    expect(held).toMatch(
      /^金额 58,000,000 元（金额用了“万”） 是 2026 年农村标准 5,800 元 的 10,000 倍，未登记。\n/,
    )
    expect((await ctx.t.bot.services.tallies.readAllowanceTally(2026)).total.payments).toBe(0)
    expect(await form()).not.toBeNull()
  })

  it('when 0.058万 (580 元) is sent, holds it as 580 元 without 万 is held', async () => {
    const [held] = await say(ctx.t, 'li', '发放优待金 李二 0.058万 今天')

    expect(held).toMatch(/^金额 580 元，低于 2026 年农村标准 5,800 元，未登记。/)
  })
})

describe('a second payment confirmed with 「确认」 is a 重复发放 in 统计 优待金, not a 补发', () => {
  const ctx = setUp(BEFORE_DEADLINE)
  const noteOf = async () => {
    const [reply] = await say(ctx.t, 'li', '统计 优待金')
    return unwrapped(reply!)
  }

  it('when 李一, paid in full, is paid again with 「确认」, says 重复发放 1 笔 and 多发, no 补发', async () => {
    await payAll(ctx.t, ctx.town, 2026, ['李一'])
    const [held] = await say(ctx.t, 'li', '发放优待金 李一 今天')
    expect(held).toMatch(/^李一 2026 年优待金已于 07-20 发放 5,800 元/)
    const [stored] = await say(ctx.t, 'li', '确认')
    expect(stored).toMatch(/^已登记 #\d+：2026-07-21 发放/)

    const note = await noteOf()

    expect(note).toContain(
      '注意：重复发放 1 笔，多发 1 户 5,800 元；请用「导出 优待金 2026」核对。',
    )
    expect(note).not.toContain('补发')
  })

  it('when 年报 is asked after it, names it 重复发放 as 统计 优待金 does', async () => {
    await payAll(ctx.t, ctx.town, 2026, ['李一'])
    await say(ctx.t, 'li', '发放优待金 李一 今天')
    await say(ctx.t, 'li', '确认')

    const [report] = await say(ctx.t, 'boss', '年报 2026')

    expect(unwrapped(report!)).toContain('其中重复发放 1 笔')
    expect(unwrapped(report!)).not.toContain('补发')
  })

  it('when a part is followed by a 补发 of the rest, says 补发 1 笔 and nothing over or under', async () => {
    await say(ctx.t, 'li', '发放优待金 李一 300元 今天')
    await say(ctx.t, 'li', '确认')
    await say(ctx.t, 'li', '补发优待金 李一 今天')

    const note = await noteOf()

    expect(note).toContain('注意：补发 1 笔；')
    expect(note).not.toContain('重复发放')
  })

  it('when a plain second payment stays within what was owed (confirmed), it is a 补发', async () => {
    await say(ctx.t, 'li', '发放优待金 李一 3000元 今天')
    await say(ctx.t, 'li', '发放优待金 李一 2800元 今天')
    const [stored] = await say(ctx.t, 'li', '确认')
    expect(stored).toMatch(/^已登记 #\d+/)

    const note = await noteOf()

    expect(note).toContain('注意：补发 1 笔；')
    expect(note).not.toMatch(/重复发放|多发|少发/)
  })

  it('when one family got a 补发 and another a repeat, names each', async () => {
    await payAll(ctx.t, ctx.town, 2026, ['李一'])
    await say(ctx.t, 'li', '发放优待金 李二 3000元 今天')
    await say(ctx.t, 'li', '补发优待金 李二 今天')
    await say(ctx.t, 'li', '发放优待金 李一 今天')
    await say(ctx.t, 'li', '确认')

    const note = await noteOf()

    expect(note).toContain('注意：补发 1 笔，重复发放 1 笔，多发 1 户 5,800 元；')
  })
})

describe("统计 优待金 names only the asker's villages' payments beyond a first", () => {
  const ctx = setUp(BEFORE_DEADLINE)

  it("when 孙一 of 新街社区 is paid twice and 李一 once, 铁炉嘴村's cadre hears nothing of it, a leader does", async () => {
    await payAll(ctx.t, ctx.town, 2026, ['李一', '孙一'])
    await say(ctx.t, 'boss', '发放优待金 孙一 今天')
    await say(ctx.t, 'boss', '确认')

    const [cadre] = await say(ctx.t, 'li', '统计 优待金')
    const [leader] = await say(ctx.t, 'boss', '统计 优待金')

    expect(cadre).not.toMatch(/注意|补发|重复发放/)
    expect(unwrapped(leader!)).toContain('注意：重复发放 1 笔，多发 1 户 8,600 元；')
  })

  it('when the repeat is withdrawn, says nothing more', async () => {
    await payAll(ctx.t, ctx.town, 2026, ['李一'])
    await say(ctx.t, 'li', '发放优待金 李一 今天')
    const [stored] = await say(ctx.t, 'li', '确认')
    await say(ctx.t, 'li', `撤销 #${idOf(stored)}`)

    const [reply] = await say(ctx.t, 'li', '统计 优待金')

    expect(reply).not.toMatch(/注意|补发|重复发放/)
  })
})

describe('a passed deadline is said by plain 统计 and by a late payment (a tester, 08-02)', () => {
  const ctx = setUp(AFTER_DEADLINE)

  it('when plain 统计 is asked on 08-02, its allowance line says the deadline passed 2 days ago', async () => {
    await payAll(ctx.t, ctx.town, 2026, ['李一', '李二'])

    const [reply] = await say(ctx.t, 'boss', '统计')

    expect(unwrapped(reply!)).toContain(
      '2026 年优待金：已发 2/10 户，11,600 元（已过截止 2 天）。回复「统计 优待金」查看。',
    )
    expect(tooWide(reply!)).toEqual([])
  })

  it('when plain 统计 is asked before the deadline, says nothing of it', async () => {
    await ctx.t.bot.services.allowances.setAllowanceDeadline(2026, '2026-08-10', adminMeta())
    await payAll(ctx.t, ctx.town, 2026, ['李一', '李二'])

    const [reply] = await say(ctx.t, 'boss', '统计')

    expect(unwrapped(reply!)).toContain('2026 年优待金：已发 2/10 户，11,600 元。')
    expect(reply).not.toContain('已过截止')
  })

  it('when 孙三 is paid on 08-02, stores it and says it is 2 days past the deadline', async () => {
    const [reply] = await say(ctx.t, 'boss', '发放优待金 孙三 8600 今天')

    expect(reply).toMatch(
      /^已登记 #\d+：2026-08-02 发放 2026 年优待金 新街社区 孙三（城镇）8,600 元/,
    )
    expect(reply).toContain('\n已过 2026 年截止日期（07-31）2 天。')
    // The line added fits a phone (the payment's other lines are as they were).
    expect(displayWidth('已过 2026 年截止日期（07-31）2 天。')).toBeLessThanOrEqual(REPLY_WIDTH)
    expect(await ctx.t.bot.services.records.getRecord(idOf(reply))).toMatchObject({
      kind: 'payment',
      date: '2026-08-02',
    })
  })

  it('when a payment logged on 08-02 was made on 07-30, says nothing of lateness', async () => {
    const [reply] = await say(ctx.t, 'boss', '发放优待金 孙三 8600 7月30日')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-30 发放/)
    expect(reply).not.toContain('截止')
  })

  it('when the configured deadline is 07-25, a payment of 07-28 is 3 days late', async () => {
    await ctx.t.bot.services.allowances.setAllowanceDeadline(2026, '2026-07-25', adminMeta())

    const [reply] = await say(ctx.t, 'boss', '发放优待金 孙三 8600 7月28日')

    expect(reply).toContain('\n已过 2026 年截止日期（07-25）3 天。')
  })

  it('when a late payment is held for 「确认」 first, the stored reply still says it is late', async () => {
    const [held] = await say(ctx.t, 'li', '发放优待金 李一 580元 今天')
    expect(held).toMatch(/未登记/)

    const [stored] = await say(ctx.t, 'li', '确认')

    expect(stored).toContain('\n已过 2026 年截止日期（07-31）2 天。')
  })
})

describe('查看 #N of a payment shows its 备注 as a visit’s 查看 does', () => {
  const ctx = setUp(BEFORE_DEADLINE)

  it('when the payment has a 备注, 查看 shows it in a private chat and only that there is one in a group', async () => {
    const [stored] = await say(ctx.t, 'li', '发放优待金 李一 今天 备注 两年合发')
    const id = idOf(stored)

    const [shown] = await say(ctx.t, 'li', `查看 #${id}`)
    const [inGroup] = await say(ctx.t, 'li', `查看 #${id}`, { chat: 'village-group' })

    expect(shown).toContain('\n备注：两年合发')
    expect(inGroup).toContain('\n有备注（私聊查看）')
    expect(inGroup).not.toContain('两年合发')
  })

  it('when the payment has no 备注, 查看 says nothing of one', async () => {
    const [stored] = await say(ctx.t, 'li', '发放优待金 李一 今天')

    const [shown] = await say(ctx.t, 'li', `查看 #${idOf(stored)}`)

    expect(shown).not.toContain('备注')
  })
})

describe('a whole line sent as the answer to 发给哪一户？ (a tester: its date and amount were dropped)', () => {
  const ctx = setUp(AFTER_DEADLINE)

  it('stores the date and the amount it gives, as the same line after 发放优待金 would', async () => {
    await say(ctx.t, 'li', '发放优待金')
    const [reply] = await say(ctx.t, 'li', '李二 2900元 昨天 备注 现金')
    const payment = await ctx.t.bot.services.records.getRecord(idOf(reply))

    expect(payment).toMatchObject({ date: '2026-08-01', amountFen: 290_000, notes: '现金' })
    // The date was written: no 「日期按今天…登记」 note.
    expect(reply).not.toContain('日期按今天')
  })

  it('still takes today, and says so, for a name alone', async () => {
    await say(ctx.t, 'li', '发放优待金')
    const [reply] = await say(ctx.t, 'li', '李三')

    expect(reply).toMatch(/^已登记 #\d+：2026-08-02 发放 2026 年优待金 铁炉嘴村 李三/)
    expect(unwrapped(reply!)).toContain('日期按今天（08-02）登记')
  })

  it('refuses a date not yet come there as in a line, and keeps the form', async () => {
    await say(ctx.t, 'li', '发放优待金')
    const [refused] = await say(ctx.t, 'li', '李一 明天')
    const [stored] = await say(ctx.t, 'li', '李一 今天')

    expect(refused).toMatch(/^2026-08-03 是明天，还没到，发放未登记。/)
    expect(stored).toMatch(/^已登记 #\d+：2026-08-02 发放 2026 年优待金 铁炉嘴村 李一/)
  })
})

describe('a conscript family the roster gives no 农村/城镇 (a tester: 应发 11 户 over 农村 4 + 城镇 6)', () => {
  const ctx = setUp(BEFORE_DEADLINE)

  it('is counted apart in 统计 优待金 and 年报, so the types add up to the families due', async () => {
    await say(ctx.t, 'admin', '添加对象 钱七 新街社区 义务兵家庭')

    const tally = unwrapped((await say(ctx.t, 'boss', '统计 优待金'))[0]!)
    const report = unwrapped((await say(ctx.t, 'boss', '年报'))[0]!)

    expect(tally).toContain('应发 11 户')
    expect(tally).toContain('农村：已发 0/4 户')
    expect(tally).toContain('城镇：已发 0/6 户')
    expect(tally).toContain('未注明农村/城镇：1 户（补登后才能按标准发放）')
    expect(report).toContain('义务兵家庭 11 户（农村 4、城镇 6、未注明 1）')
  })
})

describe('a word a payment line does not read (a tester: 2026年 in January got a 慰问金 hint)', () => {
  const ctx = setUp(AFTER_DEADLINE)

  it('is refused with how a payment is written, not a visit’s cash and goods', async () => {
    const [reply] = await say(ctx.t, 'li', '发放优待金 李三 5800元 三百多元 8月1日')

    expect(reply).toBe(
      '没看懂「三百多元」，未登记。\n金额写「5800元」，如「发放优待金 李一 5800元」。',
    )
  })

  it('refuses goods on a payment rather than dropping them (a tester: 米一袋 lost)', async () => {
    const [reply] = await say(ctx.t, 'li', '发放优待金 李三 米一袋 8月1日')

    expect(reply).toBe(
      '优待金只记金额，写了物品「米1袋」，未登记。\n物品请随走访登记，如「走访 姓名 日期 米1袋」。',
    )
    expect((await ctx.t.bot.services.tallies.readAllowanceTally(2026)).total.payments).toBe(0)
  })
})
