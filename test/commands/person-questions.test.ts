import { afterEach, describe, expect, it } from 'vitest'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, seedTown, visit, type Town } from '../support/town.js'

// Questions about a person (tester, 八一 2026): namesakes answered each with their visits of the
// campaign, `童家坝村的张三` read as village and name, a title (李书记) never taken for a roster
// name, a person's records (`张三的记录`) and `台账` alone.

const JULY_29 = new Date('2026-07-29T02:00:00Z')

let bots: TestBot[] = []

afterEach(async () => {
  await Promise.all(bots.map((t) => t.cleanup()))
  bots = []
})

/**
 * The tally town (town.ts: 张三 残疾军人 of 铁炉嘴村) with two more 张三 in 童家坝村, added by the
 * admin's 添加对象 (the second held as a same-village namesake, then 「确认」), and 八一 visits to
 * 铁炉嘴村's 张三 and 李三 on 07-27.
 */
async function townWithNamesakes(): Promise<{ t: TestBot; town: Town; visitId: number }> {
  const t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => JULY_29 })
  bots.push(t)
  const town = await seedTown(t)
  await say(t, 'admin', '添加对象 张三 童家坝村 在乡复员军人')
  await say(t, 'admin', '添加对象 张三 童家坝村 烈士遗属')
  await say(t, 'admin', '确认')
  const { record } = await visit(t, town, '张三', { date: '2026-07-27' })
  await visit(t, town, '李三', { date: '2026-07-27' })
  return { t, town, visitId: record.id }
}

function expectFitsPhone(reply: string) {
  for (const line of reply.split('\n'))
    expect(displayWidth(line), line).toBeLessThanOrEqual(REPLY_WIDTH)
}

describe('namesakes asked whether they were visited', () => {
  it.each(['张三走访过吗？', '张三走访了没', '张三八一走访了吗'])(
    '「%s」 answers each 张三 with their 八一 visits, told apart by village and category',
    async (text) => {
      const { t, visitId } = await townWithNamesakes()

      const [reply] = await say(t, 'boss', text)

      expect(reply).toBe(
        [
          '2026 八一走访，有 3 位张三：',
          `铁炉嘴村 张三：07-27 已访（#${visitId}）`,
          '童家坝村 张三（在乡复员军人）：未走访',
          '童家坝村 张三（烈士遗属）：未走访',
          '看详情请回复「对象 童家坝村 张三」。',
        ].join('\n'),
      )
      expectFitsPhone(reply!)
    },
  )

  it('answers 李三走访过吗 yes or no, then the card, for one person', async () => {
    const { t } = await townWithNamesakes()

    const [card] = await say(t, 'boss', '对象 李三')
    const [reply] = await say(t, 'boss', '李三走访过吗')

    // Asked yes or no: the answer first, then the card 对象 shows.
    expect(reply).toBe(`李三：2026 八一已走访（07-27）。\n${card}`)
    expect(reply).toContain('八一走访 2026-07-27')
  })

  it("tells a cadre asking about another village's family where they are, and nothing of them", async () => {
    const { t, town } = await townWithNamesakes()
    await visit(t, town, '赵六', { date: '2026-07-27' })

    const refusal = '赵六在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。'
    // A tester was told 「赵六：2026 八一已走访（07-27）」, then that no 赵六 was found.
    expect(await say(t, 'li', '赵六去过了吗')).toEqual([refusal])
    expect(await say(t, 'li', '对象 赵六')).toEqual([refusal])
    expect(await say(t, 'li', '查一下赵六')).toEqual([refusal])
    // Not 李一 of the cadre's own village, guessed from a name a typo away.
    expect(await say(t, 'li', '王一的优待金发了没')).toEqual([
      '王一在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。',
    ])
  })

  it('answers a cadre with the one 张三 of their village: yes or no, then the card', async () => {
    const { t } = await townWithNamesakes()

    const [card] = await say(t, 'li', '对象 张三')
    const [reply] = await say(t, 'li', '张三走访过吗')

    expect(reply).toBe(`张三：2026 八一已走访（07-27）。\n${card}`)
    expect(reply).not.toContain('童家坝村')
  })

  it('reads 「童家坝村的张三」 as the village and the name', async () => {
    const { t } = await townWithNamesakes()

    const [reply] = await say(t, 'boss', '童家坝村的张三八一走访了吗')

    expect(reply).toBe(
      [
        '2026 八一走访，有 2 位张三：',
        '童家坝村 张三（在乡复员军人）：未走访',
        '童家坝村 张三（烈士遗属）：未走访',
        '看详情请回复「对象 童家坝村 张三」。',
      ].join('\n'),
    )
  })

  it('answers for the nearest campaign when none is named: on 12-02 the coming 元旦', async () => {
    const { t } = await townWithNamesakes()
    const december = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-02T02:00:00Z') },
    )
    bots.push(december)
    await seedTown(december)
    await say(december, 'admin', '添加对象 张三 童家坝村 在乡复员军人')

    const [reply] = await say(december, 'boss', '张三走访过吗')

    expect(reply!.split('\n')[0]).toBe('2027 元旦走访，有 2 位张三：')
    expect(t).toBeDefined()
  })

  it('tells namesakes apart in the near names it offers (对象 童家坝村 张山)', async () => {
    const { t } = await townWithNamesakes()

    const [reply] = await say(t, 'boss', '对象 童家坝村 张山')

    expect(reply).toContain('张三（童家坝村，在乡复员军人）、张三（童家坝村，烈士遗属）')
  })
})

describe('a title asked about (李书记走访了几户)', () => {
  it.each(['李书记走访了几户', '李书记走访了几户？', '王主任走访了多少户', '村干部走访了几户'])(
    '「%s」 says visits are counted by the household, and how a cadre sees their own',
    async (text) => {
      const { t } = await townWithNamesakes()

      const [reply] = await say(t, 'boss', text)

      expect(reply).toMatch(
        /^「.+」是职务，花名册上没有这个人。\n走访按被走访的对象统计，不按走访人。\n/,
      )
      expect(reply).toContain('「我的记录」')
      expect(reply).not.toMatch(/李一|李二|李三|您是不是要找/)
      expectFitsPhone(reply!)
    },
  )

  it('offers a cadre of that surname named on a binding, whose visits are counted', async () => {
    const { t } = await townWithNamesakes()
    await t.bot.services.roles.set(
      'sandbox:ming',
      { role: 'cadre', villages: ['铁炉嘴村'], name: '李明', setBy: 'test', setAt: '' },
      adminMeta(),
    )

    const [reply] = await say(t, 'boss', '李书记走访了几户')
    const [looked] = await say(t, 'boss', '查一下李书记')

    expect(reply).toMatch(/\n按登记账号可问「李明走访了几户」。$/)
    expect(looked).toBe(reply)
  })
})

/** What the bot answers `user` (whose role seedTown gave) for `text`, every reply joined. */
async function ask(t: TestBot, user: string, text: string) {
  return (await say(t, user, text)).join('\n---\n')
}

describe('a person’s records (张三的记录)', () => {
  it('lists each namesake’s visits and payments in short lines', async () => {
    const { t, visitId } = await townWithNamesakes()

    const reply = await ask(t, 'boss', '张三的记录')

    expect(reply).toBe(
      [
        '2025 年以来，有 3 位张三：',
        '铁炉嘴村 张三：',
        `#${visitId} 2026-07-27 八一走访 500 元`,
        '童家坝村 张三（在乡复员军人）：没有记录',
        '童家坝村 张三（烈士遗属）：没有记录',
        `回复「查看 #${visitId}」看某条详情。`,
      ].join('\n'),
    )
  })

  it('shows one person’s with their category, payments included', async () => {
    const { t, town } = await townWithNamesakes()
    const { record } = await t.bot.services.allowances.addPayment(
      { personId: town.people['李三']!.id, year: 2026, amountFen: 580_000, date: '2026-07-20' },
      adminMeta(),
    )

    const reply = await ask(t, 'boss', '铁炉嘴村李三的记录')

    expect(reply).toMatch(
      new RegExp(
        `^铁炉嘴村 李三（义务兵家庭）\\n2025 年以来的记录：\\n#\\d+ 2026-07-27 八一走访 500 元\\n#${record.id} 2026-07-20 优待金 5,800 元\\n回复「查看 #\\d+」看某条详情。$`,
      ),
    )
  })

  it('is answered end to end when asked with a topic and a question mark (张三的走访记录？)', async () => {
    const { t } = await townWithNamesakes()

    const [reply] = await say(t, 'boss', '李三的走访记录？')

    expect(reply).toMatch(
      /^铁炉嘴村 李三（义务兵家庭）\n2025 年以来的记录：\n#\d+ 2026-07-27 八一走访/,
    )
  })

  it.each(['本周走访记录？', '八一走访记录？', '铁炉嘴村走访记录？', '全镇走访记录？'])(
    '「%s」 asks about days, an occasion or a scope, never a person called 记录',
    async (text) => {
      const { t } = await townWithNamesakes()

      const [reply] = await say(t, 'boss', text)

      expect(reply).not.toMatch(/没有找到|记录：/)
      expect(reply).toMatch(/走访/)
    },
  )

  it('offers near names for a miss, and keeps a cadre to their villages', async () => {
    const { t } = await townWithNamesakes()

    const miss = await ask(t, 'boss', '李山的记录')
    const cadre = await ask(t, 'li', '张三的记录')

    expect(miss).toContain('您是不是要找')
    expect(cadre).not.toContain('童家坝村')
    expect(cadre).toMatch(
      /^铁炉嘴村 张三（残疾军人）\n2025 年以来的记录：\n#\d+ 2026-07-27 八一走访/,
    )
  })
})

describe('台账 alone', () => {
  it('points a leader to the export of this year’s ledger', async () => {
    const { t } = await townWithNamesakes()

    const reply = await ask(t, 'boss', '台账')
    const allowance = await ask(t, 'boss', '优待金台账')

    expect(reply).toBe(
      [
        '导出台账请回复「导出 台账 2026」。',
        '优待金：「导出 优待金 2026」；',
        '花名册：「导出 花名册」。',
      ].join('\n'),
    )
    expect(allowance).toMatch(/^导出优待金台账请回复「导出 优待金 2026」。/)
    expectFitsPhone(reply)
  })

  it('points a cadre there too: 导出 gives a cadre their own villages', async () => {
    const { t } = await townWithNamesakes()

    const reply = await ask(t, 'li', '走访台账')

    expect(reply).toMatch(/^导出台账请回复「导出 台账 2026」。/)
  })

  it('takes the year written (台账 2025)', async () => {
    const { t } = await townWithNamesakes()

    const reply = await ask(t, 'boss', '台账 2025')

    expect(reply).toMatch(/^导出台账请回复「导出 台账 2025」。/)
  })
})
