import { afterEach, describe, expect, it } from 'vitest'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown, visit } from '../support/town.js'

// A tester's day with the bot: wordings that said more, or other, than what was stored.

const tooWide = (reply: string) =>
  reply.split('\n').filter((line) => displayWidth(line) > REPLY_WIDTH)

/** 年报's items as sentences again (a line with no numeral continues the one before). */
function itemsOf(reply: string): string[] {
  const items: string[] = []
  for (const [i, line] of reply.split('\n').entries()) {
    if (i === 0 || /^[一二三四五六七八九十]+、/.test(line)) items.push(line)
    else items[items.length - 1] += line
  }
  return items
}

describe('wording defects a tester found', () => {
  let t: TestBot

  afterEach(async () => {
    await t.cleanup()
  })

  it('年报 says what 日常 visits did, with no 应访 share, and keeps it for the campaigns', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-20T02:00:00Z') },
    )
    const town = await seedTown(t)
    await visit(t, town, '王一', { date: '2026-03-15', occasion: '日常', cashFen: 20_000 })
    await visit(t, town, '王一', { date: '2026-05-15', occasion: '日常', cashFen: 0, goods: [] })
    await visit(t, town, '李一', { date: '2026-06-01', occasion: '日常', cashFen: 0, goods: [] })
    await visit(t, town, '张三')

    const [reply] = await say(t, 'boss', '年报 2026')

    const items = itemsOf(reply!)
    expect(items.find((l) => l.includes('日常走访：'))).toBe(
      '六、日常走访：走访慰问 2 户，共 3 次，慰问金 200 元，物品 米1袋。核对：「导出 台账 2026」',
    )
    expect(items.find((l) => l.includes('八一走访：'))).toContain('走访慰问 1 户（应访 12 户，8%）')
    expect(tooWide(reply!)).toEqual([])
  })

  it('年报 sets the year apart by a space on each side after the township name', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin', TOWNSHIP_NAME: '石桥镇' },
      { now: () => new Date('2026-12-20T02:00:00Z') },
    )
    await seedTown(t)

    const [reply] = await say(t, 'boss', '年报 2026')
    const [notBegun] = await say(t, 'boss', '年报 2027')

    expect(reply!.split('\n')[0]).toBe('石桥镇 2026 年双拥工作数据（截至 12-20）')
    expect(notBegun!.split('\n')[0]).toBe('石桥镇 2027 年双拥工作数据')
  })

  it('待办 writes a case date 07-27 as the other lists do, and a long need within the width', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-02T02:00:00Z') },
    )
    const town = await seedTown(t)
    const bayi = await visit(t, town, '张三', { date: '2026-07-27', needs: '危房需修缮' })
    const late = await visit(t, town, '赵六', {
      date: '2026-12-02',
      occasion: '日常',
      needs: '老人行动不便，家中屋顶漏雨多处，需要联系村里安排人员上门修缮并申请临时救助',
    })
    const past = await visit(t, town, '李一', {
      date: '2025-12-28',
      occasion: '元旦',
      campaignYear: 2026,
      needs: '缺少劳动力',
    })

    const [reply] = await say(t, 'boss', '待办')

    // A case wider than a phone continues on the next line; joined, each is one line again.
    const joined = reply!.replace(/：\n/g, '：')
    expect(joined).toContain(`1. #${past.record.id} 2025-12-28 铁炉嘴村 李一：缺少劳动力`)
    expect(joined).toContain(`2. #${bayi.record.id} 07-27 铁炉嘴村 张三：危房需修缮`)
    expect(joined).toContain(`3. #${late.record.id} 12-02 童家坝村 赵六：老人行动不便`)
    expect(reply).not.toMatch(/\d月\d+日/)
    expect(tooWide(reply!)).toEqual([])
    expect(reply!.replace(/\n/g, '')).toContain('需要联系村里安排人员上门修缮并申请临时救助')
  })

  it("a visit filed under next year's 春节 names the village right after 「）」", async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-02T02:00:00Z') },
    )
    await seedTown(t)

    const [nextYear] = await say(t, 'li', '走访 张三 今天 春节 慰问金500元')
    const [daily] = await say(t, 'li', '走访 李一 今天 日常 慰问金300元')

    expect(nextYear).toMatch(/^已登记 #\d+：2026-12-02 春节走访（2027 春节）铁炉嘴村 张三（/)
    expect(daily).toMatch(/^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 李一（/)
    // 查看 and 撤销 name the record the same way.
    const id = /#(\d+)/.exec(nextYear!)![1]
    const [shown] = await say(t, 'li', `查看 #${id}`)
    expect(shown).toContain('2026-12-02 春节走访（2027 春节）铁炉嘴村 张三')
    const [withdrawn] = await say(t, 'li', `撤销 #${id}`)
    expect(withdrawn).toContain('春节走访（2027 春节）铁炉嘴村 张三')
  })

  it('the duplicate-visit hold says 未记慰问金 for an earlier visit with no cash', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-07-31T02:00:00Z') },
    )
    await seedTown(t)

    const [first] = await say(t, 'li', '走访 张三 今天 八一')
    const [held] = await say(t, 'li', '走访 张三 今天 八一 慰问金300元')

    const id = /#(\d+)/.exec(first!)![1]
    expect(first).toContain('未记慰问金和物品')
    expect(held!.split('\n')[0]).toBe(
      `张三 2026-07-31 已登记过八一走访（#${id}，li，未记慰问金），这次未登记。`,
    )
    expect(held).not.toContain('慰问金 0 元')
  })

  it('撤销 of two, one withdrawn and one not, says 已扣除 of the withdrawn one, before the other', async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-07-31T02:00:00Z') },
    )
    await seedTown(t)
    const idOf = (reply: string | undefined) => /#(\d+)/.exec(reply!)![1]
    const kept = idOf((await say(t, 'li', '走访 张三 今天 八一 慰问金500元'))[0])
    const gone = idOf((await say(t, 'li', '走访 李一 今天 八一'))[0])
    await say(t, 'li', `撤销 #${gone}`)

    const [reply] = await say(t, 'li', `撤销 #${kept} #${gone}`)

    expect(reply).toBe(
      [
        '已撤销 1 条：',
        `#${kept} 2026-07-31 八一走访 铁炉嘴村 张三，慰问金 500 元`,
        '统计中已扣除，原记录保留在审计日志中。',
        '未撤销 1 条：',
        `#${gone} 此前已撤销，未作改动`,
      ].join('\n'),
    )
  })
})
