import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-28 10:00 in Shanghai: in the 八一 campaign, as the tester had it.
const NOW = new Date('2026-07-28T02:00:00Z')

// One visit typed over several lines used to be five broken records (「未登记 5 条：张三：还差
// 日期… / 今天：请写上姓名…」): every line was read as its own record (docs/lookups.md).
describe('one record typed over several lines', () => {
  let t: TestBot

  const bayi = async () =>
    (await t.bot.services.tallies.readCampaignTally(2026, '八一', undefined)).total

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('is one visit when the lines after the name are its date, occasion, cash and goods', async () => {
    const [reply] = await say(t, 'li', '走访 张三\n今天\n八一\n慰问金500元\n米一袋')

    expect(reply).toMatch(
      /^已登记 #(\d+)：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n慰问金 500 元；物品 米1袋\n铁炉嘴村八一走访进度 1\/4 户。撤销请回复「撤销 #\1」$/,
    )
    expect(await bayi()).toMatchObject({ visits: 1, cashFen: 50_000 })
  })

  it('keeps a 备注 written over the last lines, in traditional with full-width punctuation', async () => {
    const [reply] = await say(
      t,
      'li',
      '走訪 李一\n今天，八一\n慰問金５００元。\n備註：房屋漏雨\n需要修缮',
    )

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 李一（义务兵家庭）\n/)
    expect(reply).toContain('慰问金 500 元；需求：房屋漏雨 需要修缮（已记为待办）')
  })

  it('reads a village on a line of its own as the name’s village', async () => {
    const [reply] = await say(t, 'boss', '走访 赵六\n童家坝村\n今天 八一')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 八一走访 童家坝村 赵六（烈士遗属）/)
  })

  it('asks for what is still missing, as for one line', async () => {
    const [asked] = await say(t, 'li', '走访 张三\n八一\n慰问金500元')
    const [reply] = await say(t, 'li', '今天')

    expect(asked).toMatch(/^走访日期？/)
    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n慰问金 500 元/,
    )
  })

  it('is stored once when the message is delivered again', async () => {
    const text = '走访 张三\n今天\n八一\n慰问金500元'
    await say(t, 'li', text, { id: 'm-lines' })
    await say(t, 'li', text, { id: 'm-lines' })

    expect(await bayi()).toMatchObject({ visits: 1 })
  })

  it('keeps the need out of a village group, as a one-line visit does', async () => {
    const [reply] = await say(t, 'li', '走访 张三\n今天 八一\n备注 孙子看病需要医疗救助', {
      chat: 'tieluzui',
    })

    expect(reply).toContain('发现需求 1 项，已记为待办（私聊回复「待办」查看）')
    expect(reply).not.toContain('看病')
  })

  it('is one payment when the lines after the family are its date and 备注', async () => {
    const [reply] = await say(t, 'li', '发放优待金 李一\n今天\n备注 第一批')

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-28 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元（按 2026 年农村标准）；备注：第一批\n/,
    )
  })

  it('is still one record per line when each line names someone', async () => {
    const [visits] = await say(t, 'li', '走访 张三 今天 八一\n李一 今天 八一 慰问金200元')
    const [names] = await say(t, 'li', '走访 李二\n李三')

    expect(visits).toMatch(
      /^已登记 2 条走访：\n#\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n未记慰问金和物品\n#\d+：.* 李一（义务兵家庭）\n慰问金 200 元\n/,
    )
    expect(names).toBe('未登记 2 条：\n李二：还差日期，请单独发送\n李三：还差日期，请单独发送')
  })
})
