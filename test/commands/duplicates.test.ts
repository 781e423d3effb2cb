import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-31 10:00 in Asia/Shanghai, the day before 八一.
const NOW = new Date('2026-07-31T02:00:00Z')

describe('duplicates are held for 「确认」 (contract "Duplicates")', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
    await say(t, 'admin', '设置角色 sandbox:wang 村干部 铁炉嘴村')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const allowance = () => t.bot.services.tallies.readAllowanceTally(2026)
  const bayi = () => t.bot.services.tallies.readCampaignTally(2026, '八一')

  it('a second allowance payment to a family paid this year is not stored until confirmed', async () => {
    const [first] = await say(t, 'li', '发放优待金 李一 7月20日')
    const [held] = await say(t, 'li', '发放优待金 李一 今天')
    const whileHeld = await allowance()
    const [confirmed] = await say(t, 'li', '确认')

    const id = /#(\d+)/.exec(first!)![1]
    expect(held).toBe(
      [
        `李一 2026 年优待金已于 07-20 发放 5,800 元（#${id}），这次未登记。`,
        '李一 2026 年已发 5,800 元，已发足农村标准 5,800 元；确需再发一笔请回复「确认」，否则不用回复。',
      ].join('\n'),
    )
    expect(whileHeld.total.payments).toBe(1)
    expect(confirmed).toMatch(/^已登记 #\d+：2026-07-31 发放 2026 年优待金 铁炉嘴村 李一/)
    const after = await allowance()
    expect(after.total.payments).toBe(2)
    expect(after.total.families).toBe(1)
  })

  it('when the cadre answers anything but 确认, nothing is stored and the form closes', async () => {
    await say(t, 'li', '发放优待金 李一 7月20日')
    await say(t, 'li', '发放优待金 李一 今天')

    const [declined] = await say(t, 'li', '不用了')
    const [next] = await say(t, 'li', '确认')

    expect(declined).toBe('好的，这次未登记。')
    expect(next).not.toMatch(/^已登记/)
    expect((await allowance()).total.payments).toBe(1)
  })

  it('when the cadre answers 好的, asks plainly again and stores only on 确认', async () => {
    await say(t, 'li', '发放优待金 李一 7月20日')
    await say(t, 'li', '发放优待金 李一 今天')

    const [maybe] = await say(t, 'li', '好的')
    const whileAsked = (await allowance()).total.payments
    const [confirmed] = await say(t, 'li', '确认')

    expect(maybe).toBe('要再登记这一条请回复「确认」；不登记就不用回复。')
    expect(whileAsked).toBe(1)
    expect(confirmed).toMatch(/^已登记 #\d+/)
    expect((await allowance()).total.payments).toBe(2)
  })

  it('when the cadre sends something else, it is answered as a new message and the hold is closed with a word', async () => {
    await say(t, 'li', '发放优待金 李一 7月20日')
    await say(t, 'li', '发放优待金 李一 今天')

    const replies = await say(t, 'li', '李一家今天不在')
    const [next] = await say(t, 'li', '确认')

    // Not swallowed as a 「no」: answered as any message is, with the hold's end said once.
    expect(replies.join('\n')).toMatch(/^没看懂这条消息。/)
    expect(replies.join('\n')).toContain(
      '之前等您「确认」的优待金发放登记（李一 2026-07-31）已放下，未登记。',
    )
    expect(next).not.toMatch(/^已登记/)
    expect((await allowance()).total.payments).toBe(1)
  })

  it('a payment withdrawn by 撤销 does not hold the next one', async () => {
    const [first] = await say(t, 'li', '发放优待金 李一 7月20日')
    const id = /#(\d+)/.exec(first!)![1]
    await say(t, 'li', `撤销 #${id}`)

    const [again] = await say(t, 'li', '发放优待金 李一 今天')

    expect(again).toMatch(/^已登记 #\d+：/)
  })

  it('a second visit to a person on the same day for the same occasion is held, even from another cadre', async () => {
    const [first] = await say(t, 'li', '走访 张三 今天 八一 慰问金500元')
    const [held] = await say(t, 'wang', '走访 张三 今天 八一 慰问金300元')
    const whileHeld = await bayi()
    const [confirmed] = await say(t, 'wang', '确认')

    const id = /#(\d+)/.exec(first!)![1]
    expect(held).toBe(
      [
        `张三 2026-07-31 已登记过八一走访（#${id}，li，慰问金 500 元），这次未登记。`,
        '确是又一次走访请回复「确认」，否则不用回复。',
      ].join('\n'),
    )
    expect(whileHeld.total.visits).toBe(1)
    expect(confirmed).toMatch(/^已登记 #\d+：2026-07-31 八一走访 铁炉嘴村 张三/)
    const after = await bayi()
    expect(after.total.visits).toBe(2)
    expect(after.total.households).toBe(1)
  })

  it('visits on another day, or for another occasion, are stored at once', async () => {
    await say(t, 'li', '走访 张三 今天 八一')

    const [yesterday] = await say(t, 'li', '走访 张三 昨天 八一')
    const [daily] = await say(t, 'li', '走访 张三 今天 日常')

    expect(yesterday).toMatch(/^已登记 #\d+：2026-07-30 八一走访/)
    expect(daily).toMatch(/^已登记 #\d+：2026-07-31 日常走访/)
  })

  it('a visit completed over several turns is held the same way at its last answer', async () => {
    await say(t, 'li', '走访 张三 今天 八一')
    await say(t, 'li', '走访')
    await say(t, 'li', '张三')
    await say(t, 'li', '今天')

    const [held] = await say(t, 'li', '无')

    expect(held).toContain('已登记过八一走访')
  })
})
