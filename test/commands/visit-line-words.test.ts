import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Asia/Shanghai: 春节 2027 (02-06) is the coming one.
const NOW = new Date('2026-12-02T02:00:00Z')

/** The record a reply names (已登记 #N). */
const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

describe('words around a visit line’s occasion, and goods, are not names (tester, 2026-12)', () => {
  let t: TestBot

  const record = (id: number) => t.bot.services.records.getRecord(id)

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
    for (const name of ['王建国', '刘桂兰'])
      await t.bot.services.people.addPerson(
        { name, village: '铁炉嘴村', category: '烈士遗属' },
        adminMeta(),
      )
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['走访 李一 今天 春节前 慰问金300元 食用油两桶', '李一（义务兵家庭）'],
    ['走访 王建国 今天 春节慰问 慰问金500元', '王建国（烈士遗属）'],
    ['走访 刘桂兰 今天 迎春 500元', '刘桂兰（烈士遗属）'],
  ])('「%s」 is a 春节 visit', async (text, who) => {
    const [reply] = await say(t, 'li', text)

    expect(reply).toMatch(
      new RegExp(`^已登记 #\\d+：2026-12-02 春节走访（2027 春节）铁炉嘴村 ${who}`),
    )
  })

  it('春节前 with a date: the goods are stored too', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 春节前 慰问金300元 食用油两桶')

    expect(reply).toContain('慰问金 300 元；物品 食用油2桶')
    expect(await record(idOf(reply))).toMatchObject({
      occasion: '春节',
      campaignYear: 2027,
      goods: [{ name: '食用油', quantity: 2, unit: '桶' }],
    })
  })

  it('goods in 筐, 副 and 斤 are stored as goods', async () => {
    const [eggs] = await say(t, 'li', '走访 刘桂兰 今天 元旦 500块钱 鸡蛋一筐')
    const [more] = await say(t, 'li', '走访 刘桂兰 昨天 元旦 春联两副 猪肉5斤')

    expect(eggs).toContain('慰问金 500 元；物品 鸡蛋1筐')
    expect(more).toContain('物品 春联2副、猪肉5斤')
    expect(await record(idOf(more))).toMatchObject({
      goods: [
        { name: '春联', quantity: 2, unit: '副' },
        { name: '猪肉', quantity: 5, unit: '斤' },
      ],
    })
  })
})
