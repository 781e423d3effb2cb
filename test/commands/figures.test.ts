import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { linkedSheetRows } from '../support/export-sheets.js'
import { testClock, type TestClock } from '../support/clock.js'
import { adminMeta, payAll, seedTown, visit, type Town } from '../support/town.js'
import { unwrapped } from '../support/reply-width.js'

// Figures that agree with lists (issue 11, part 4; docs/figures.md), as a leader reads them.

const PUBLIC_URL = 'https://bot.example.gov.cn'

/** The 合计 sheet of the export a 导出 reply links to. */
const ledgerTotals = (t: TestBot, reply: string) => linkedSheetRows(t, reply, '合计')

describe('统计 and 未走访 after the roster changes (issue 11)', () => {
  let t: TestBot
  let town: Town
  let clock: TestClock

  beforeEach(async () => {
    // 2026-07-31 10:00 in Shanghai, the day before 八一.
    clock = testClock('2026-07-31T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin', PUBLIC_URL }, { now: clock })
    town = await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when a duplicate person who had a visit is withdrawn, they leave due and visited together', async () => {
    const duplicate = await t.bot.services.people.addPerson(
      { name: '赵六', village: '童家坝村', category: '烈士遗属', notes: '重复录入' },
      adminMeta(),
    )
    await visit(t, town, '赵六')
    await t.bot.services.visits.addVisit(
      {
        date: '2026-07-28',
        occasion: '八一',
        campaignYear: 2026,
        personId: duplicate.record.id,
        visitors: ['李书记'],
        cashFen: 50_000,
      },
      adminMeta(),
    )

    await say(t, 'boss', `撤销 #${duplicate.record.id} 其他 重复登记`)
    const [tally] = await say(t, 'boss', '统计 八一 童家坝村')
    const [list] = await say(t, 'boss', '未走访 八一 童家坝村')

    expect(unwrapped(tally!)).toContain(
      '童家坝村：应访 4 户，已访 1 户（25%），走访 2 次，慰问金 1,000 元',
    )
    expect(tally).toContain('烈士遗属 1/1')
    expect(tally).toContain('未走访 3 户')
    expect(list).toContain('童家坝村尚有 3 户未走访')
    const reminders = await t.bot.reminders.content.messagesFor('八一', 2026, '2026-07-31')
    const summary = reminders.find(
      (m) => m.target.kind === 'chat' && m.target.chat.chatId === 'boss',
    )
    // The leader's reminder reads the same due set: the duplicate left both due and visited.
    expect(summary?.reply.text).toContain('全镇应访 12 户，已访 1 户（8%）')
    expect(summary?.reply.text).toContain('未走访 11 户：')
    const totals = await ledgerTotals(t, (await say(t, 'boss', '导出 台账 2026'))[0]!)
    // 已访 and 走访次数 of 童家坝村's 八一 row, as 年报 and 统计 count them.
    const row = totals.find((r) => r[0] === '2026 八一' && r[1] === '童家坝村')
    expect([row?.[3], row?.[5]]).toEqual([1, 2])
  })

  it('when people are added and removed in December, the ended 八一 keeps its 应访', async () => {
    await visit(t, town, '张三')
    clock.set('2026-08-03T02:00:00Z')
    const [before] = await say(t, 'boss', '统计 2026 八一')
    clock.set('2026-12-02T02:00:00Z')
    await say(t, 'boss', `撤销 #${town.people['李二']!.id} 迁出`)
    await t.bot.services.people.addPerson(
      { name: '周七', village: '铁炉嘴村', category: '残疾军人' },
      adminMeta(clock()),
    )

    const [after] = await say(t, 'boss', '统计 2026 八一')
    const [list] = await say(t, 'boss', '未走访 2026 八一')

    expect(before).toContain('全镇：应访 12 户，已访 1 户')
    expect(after).toContain('全镇：应访 12 户，已访 1 户')
    expect(after).toContain('未走访 11 户')
    expect(list).toContain('全镇尚有 11 户未走访')
    expect(list).toContain('李二')
    expect(list).not.toContain('周七')
  })

  it('when a paid family is removed, 统计 优待金 keeps the money, not the family, and says so', async () => {
    await payAll(t, town, 2026, ['李一', '李二'])
    await say(t, 'boss', `撤销 #${town.people['李二']!.id} 迁出`)

    const [tally] = await say(t, 'boss', '统计 优待金 2026')
    const [list] = await say(t, 'boss', '未发放 2026')

    expect(unwrapped(tally!)).toContain('全镇：应发 9 户，已发 1 户（11%），共 11,600 元')
    expect(unwrapped(tally!)).toContain('另有 1 户发放后移出名册：金额计入合计，不计入已发户数。')
    expect(tally).not.toContain('有的户发了不止一次')
    expect(tally).toContain('未发 8 户')
    expect(list).toContain('全镇尚有 8 户未发放')
  })
})
