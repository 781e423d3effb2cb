import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-28 10:00 in Shanghai: in the 八一 campaign, as the tester had it.
const NOW = new Date('2026-07-28T02:00:00Z')

describe('words cadres start a visit with', () => {
  let t: TestBot

  const stored = async () => Number((await t.redis.get(t.keys.recordSeq())) ?? 0)

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    '看望 张三 今天 八一 慰问金500元',
    '探望张三 今天 八一 慰问金500元',
    '看望 張三，今天，八一，慰問金５００元。',
  ])('「%s」 is a visit, as 走访 is', async (text) => {
    const [reply] = await say(t, 'li', text)

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n慰问金 500 元/,
    )
  })

  it('看望 alone starts the visit form', async () => {
    const [reply] = await say(t, 'li', '看望')

    expect(reply).toMatch(/^走访谁？/)
  })

  it('看望 may begin each line of several visits', async () => {
    const [reply] = await say(t, 'li', '看望 张三 今天 八一\n看望 李一 今天 八一')

    expect(reply).toMatch(/^已登记 2 条走访：\n#\d+：.* 张三（残疾军人）\n.*\n#\d+：.* 李一/)
  })

  it('帮助 看望 explains 走访', async () => {
    const [help] = await say(t, 'li', '帮助 看望')

    expect(help).toBe((await say(t, 'li', '帮助 走访'))[0])
  })

  it('a question that starts with 看望 is still a question and stores nothing', async () => {
    const before = await stored()
    const [reply] = await say(t, 'li', '看望过张三没有')

    expect(reply).toMatch(/^张三：\d{4} \S+(?:已|还没有)走访.*\n#\d+ 张三（残疾军人）\n铁炉嘴村/)
    expect(reply).toBe((await say(t, 'li', '张三走访过没有'))[0])
    expect(await stored()).toBe(before)
  })

  it.each([
    '走访 铁炉嘴村张三 今天 八一 慰问金200元',
    '走访 铁炉嘴张三 今天 八一 慰问金200元',
    '走訪 鐵爐嘴村張三，今天，八一，慰問金２００元。',
  ])('「%s」 reads the village run together with the name as its village', async (text) => {
    const [reply] = await say(t, 'li', text)

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人）\n慰问金 200 元/,
    )
  })

  it('a payment reads it too', async () => {
    const [reply] = await say(t, 'li', '发放优待金 铁炉嘴村李一 今天')

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-28 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元/,
    )
  })

  it('a village outside a cadre’s is refused as it is with a space, and nothing is stored', async () => {
    const before = await stored()
    const [together] = await say(t, 'li', '走访 童家坝村赵六 今天 八一')
    const [apart] = await say(t, 'li', '走访 童家坝村 赵六 今天 八一')

    expect(together).toBe('童家坝村不在您负责的村（铁炉嘴村），不能登记或查看。')
    expect(apart).toBe(together)
    expect(await stored()).toBe(before)
  })

  it('a name not in the village written is not found there', async () => {
    const [reply] = await say(t, 'boss', '走访 铁炉嘴村赵六 今天 八一')

    expect(reply).toMatch(/^没有找到铁炉嘴村的「赵六」。/)
  })

  it('names run together in a list are each read so', async () => {
    const [reply] = await say(t, 'li', '走访 铁炉嘴村李二、铁炉嘴村李三 今天 八一')

    expect(reply).toMatch(
      /^已登记 2 条走访：\n#\d+：.* 铁炉嘴村 李二（义务兵家庭）\n.*\n#\d+：.* 铁炉嘴村 李三/,
    )
  })

  it('a unit after the village keeps its whole name, as before', async () => {
    const [reply] = await say(t, 'li', '走访 铁炉嘴村武警中队 今天 八一')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村武警中队\n/)
  })
})
