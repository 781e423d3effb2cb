import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z')

describe('several records in one message (issue 12, part 3)', () => {
  let t: TestBot

  const visits = async () => (await t.bot.services.tallies.readCampaignTally(2026, '日常')).total

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
    for (const name of ['杨英明', '高长福']) {
      await t.bot.services.people.addPerson(
        { name, village: '铁炉嘴村', category: '烈士遗属' },
        adminMeta(),
      )
    }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('stores a list of names as one visit each, confirmed together with each number', async () => {
    const [reply] = await say(t, 'li', '走访 杨英明、高长福 今天 日常 慰问金200元', { id: 'm-two' })

    expect(reply).toMatch(
      /^已登记 2 条走访：\n#(\d+)：2026-12-02 日常走访 铁炉嘴村 杨英明（烈士遗属）\n慰问金 200 元\n#(\d+)：2026-12-02 日常走访 铁炉嘴村 高长福（烈士遗属）\n慰问金 200 元\n撤销某条请回复「撤销 #编号」。$/,
    )
    expect(await visits()).toMatchObject({ visits: 2, cashFen: 40_000 })
  })

  it('reads a numbered list of lines as the lines (a tester: 1、… 2、… stored nothing)', async () => {
    const [reply] = await say(t, 'li', '1、走访 李三 今天 日常\n2、走访 张三 今天 日常')

    expect(reply).toMatch(/^已登记 2 条走访：\n#\d+：2026-12-02 日常走访 铁炉嘴村 李三/)
    expect((await visits()).visits).toBe(2)
  })

  it('reads names separated by spaces or commas alike', async () => {
    const [spaces] = await say(t, 'li', '走访 杨英明 高长福 今天 日常')
    const [commas] = await say(t, 'li', '走访 张三，李一 昨天 日常')

    expect(spaces).toMatch(/^已登记 2 条走访：/)
    expect(commas).toMatch(/^已登记 2 条走访：\n#\d+：2026-12-01 日常走访 铁炉嘴村 张三/)
  })

  it('reads names joined by 和 or 与 as a list (a tester: 李三和李二 was one name, guessed)', async () => {
    const [two] = await say(t, 'li', '走访 李三和李二 今天 日常')
    const [three] = await say(t, 'li', '走访 杨英明、高长福与张三 今天 日常')
    const [paid] = await say(t, 'li', '发放优待金 李三和李一')

    expect(two).toMatch(/^已登记 2 条走访：\n#\d+：.* 李三（义务兵家庭）\n.*\n#\d+：.* 李二/)
    expect(three).toMatch(
      /^已登记 3 条走访：\n#\d+：.* 杨英明.*\n.*\n#\d+：.* 高长福.*\n.*\n#\d+：.* 张三/,
    )
    expect(paid).toMatch(/^已登记 2 条优待金发放：\n#\d+：.* 李三（农村）5,800 元/)
    expect((await visits()).visits).toBe(5)
  })

  it('keeps a name with 和 in it whole, and splits only into parts that could be names', async () => {
    await t.bot.services.people.addPerson(
      { name: '张和平', village: '铁炉嘴村', category: '烈士遗属' },
      adminMeta(),
    )
    const [whole] = await say(t, 'li', '走访 张和平 今天 日常')
    const [honorific] = await say(t, 'li', '走访 李三同志 今天 日常')

    expect(whole).toMatch(/^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 张和平（烈士遗属）/)
    expect(honorific).toMatch(/^没有叫「李三同志」的对象。您是不是要找：\n1. 李三 /)
  })

  it('drops a half-filled form of the same kind when a list of that kind is stored', async () => {
    await say(t, 'li', '发放优待金 李三和李四') // 李四 is nobody: 李三 paid, nothing left open
    const [asked] = await say(t, 'li', '走访 张三')
    const [listed] = await say(t, 'li', '走访 李一、李二 今天 日常')
    const [after] = await say(t, 'li', '今天')

    expect(asked).toMatch(/^走访日期？/)
    expect(listed).toMatch(/^之前未完成的走访登记（张三，还差日期）已取消。\n已登记 2 条走访：/)
    expect(after).not.toMatch(/已登记/)
    expect((await visits()).visits).toBe(2)
  })

  it('stores the others and names the one not found, with the names it may mean', async () => {
    const [reply] = await say(t, 'li', '走访 杨英明、高常福、李二 今天 日常')

    expect(reply).toMatch(
      /^已登记 2 条走访：\n#\d+：.* 杨英明（烈士遗属）\n未记慰问金和物品\n#\d+：.* 李二/,
    )
    expect(reply).toContain(
      '\n未登记 1 条：\n高常福：没有叫「高常福」的对象，是不是 高长福（铁炉嘴村）？请写全名。',
    )
    expect(await visits()).toMatchObject({ visits: 2 })
  })

  it('names a same-day repeat as held, and stores the rest', async () => {
    await say(t, 'li', '走访 杨英明 今天 日常')

    const [reply] = await say(t, 'li', '走访 杨英明、高长福 今天 日常')

    expect(reply).toMatch(/^已登记 1 条走访：\n#\d+：.* 高长福/)
    expect(reply).toMatch(
      /\n未登记 1 条：\n杨英明：杨英明 2026-12-02 已登记过日常走访（#\d+，.*），这次未登记。确需再登记请单独发送。\n/,
    )
    expect(await visits()).toMatchObject({ visits: 2 })
  })

  it('files a list dated inside a campaign under that campaign', async () => {
    const [reply] = await say(t, 'li', '走访 杨英明、高长福 7月30日 慰问金500元')

    expect(reply).toMatch(/^已登记 2 条走访：\n#\d+：2026-07-30 八一走访 铁炉嘴村 杨英明/)
    expect((await t.bot.services.tallies.readCampaignTally(2026, '八一')).total).toMatchObject({
      visits: 2,
      cashFen: 100_000,
    })
  })

  it('asks for the date and occasion a list needs, storing nothing', async () => {
    const [reply] = await say(t, 'li', '走访 杨英明、高长福')

    expect(reply).toBe('几位一起登记时请写上日期和类别，如「走访 杨英明、高长福 今天 日常」。')
    expect(await visits()).toMatchObject({ visits: 0 })
  })

  it('refuses a need on a list: needs are per family', async () => {
    const [reply] = await say(t, 'li', '走访 杨英明、高长福 今天 日常 需求 修房')

    expect(reply).toBe(
      '几位一起登记时不能写需求：需求请逐户登记，如「走访 张三 今天 日常 需求 …」。',
    )
  })

  it('stores one visit per line, each with its own fields', async () => {
    const [reply] = await say(
      t,
      'li',
      '走访 杨英明 今天 日常 慰问金300元\n走访 高长福 昨天 日常 米一袋\n张三 今天 日常',
    )

    expect(reply).toMatch(
      /^已登记 3 条走访：\n#\d+：2026-12-02 日常走访 铁炉嘴村 杨英明（烈士遗属）\n慰问金 300 元\n#\d+：2026-12-01 日常走访 铁炉嘴村 高长福（烈士遗属）\n物品 米1袋\n#\d+：2026-12-02 日常走访 铁炉嘴村 张三/,
    )
    expect(await visits()).toMatchObject({ visits: 3 })
  })

  it('names a line that lacks what it needs or names another village, storing the rest', async () => {
    const [reply] = await say(t, 'li', '走访 杨英明 今天 日常\n走访 高长福\n走访 赵六 今天 日常')

    expect(reply).toMatch(/^已登记 1 条走访：\n#\d+：.* 杨英明/)
    expect(reply).toContain(
      '\n未登记 2 条：\n高长福：还差日期，请单独发送\n赵六：赵六在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。',
    )
  })

  it('names a line of another kind of record, to be sent on its own', async () => {
    const [reply] = await say(t, 'li', '走访 杨英明 今天 日常\n发放优待金 李一 今天')

    expect(reply).toMatch(/^已登记 1 条走访：\n#\d+：.* 杨英明/)
    expect(reply).toContain('\n未登记 1 条：\n李一：「发放优待金」请另发一条消息\n')
  })

  it('stores each record once when the message is delivered again', async () => {
    await say(t, 'li', '走访 杨英明、高长福 今天 日常', { id: 'm-again' })
    await say(t, 'li', '走访 杨英明、高长福 今天 日常', { id: 'm-again' })

    expect(await visits()).toMatchObject({ visits: 2 })
  })

  it('keeps one name with a village word as one visit', async () => {
    const [reply] = await say(t, 'li', '走访 铁炉嘴村 杨英明 今天 日常')

    expect(reply).toMatch(/^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 杨英明/)
  })

  it('stores allowance payments one per name and one per line', async () => {
    const [list] = await say(t, 'li', '发放优待金 李一、李二 今天')
    const [lines] = await say(t, 'li', '发放优待金 李三 5800元 今天\n发放优待金 张三 今天')

    expect(list).toMatch(
      // Logged on 12-02, past 07-31: each payment says so.
      /^已登记 2 条优待金发放：\n#\d+：2026-12-02 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元（按 2026 年农村标准）\n已过 2026 年截止日期（07-31）124 天。\n#\d+：.* 李二（农村）/,
    )
    expect(lines).toMatch(
      /^已登记 1 条优待金发放：\n#\d+：.* 李三（农村）5,800 元\n已过 2026 年截止日期（07-31）124 天。\n未登记 1 条：\n张三：/,
    )
    expect((await t.bot.services.tallies.readAllowanceTally(2026)).total).toMatchObject({
      payments: 3,
    })
  })
})
