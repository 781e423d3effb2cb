import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-12-02 (a Wednesday) 10:00 in Asia/Shanghai.
const DEC_2 = new Date('2026-12-02T02:00:00Z')

describe('something done is never dated after today (contract "Commands")', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => DEC_2 })
    await seedTown(t)
    await t.bot.services.allowances.setAllowanceStandard(
      2027,
      { mode: 'split', ruralFen: 600_000, urbanFen: 900_000 },
      { actor: 'sandbox:admin', at: DEC_2, idempotencyKey: 'std-2027' },
    )
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const records = async () =>
    (await t.bot.services.tallies.readCampaignTally(2027, '元旦')).total.visits +
    (await t.bot.services.tallies.readAllowanceTally(2027)).total.payments

  it.each([
    ['走访 张三 明天 元旦', '2026-12-03 是明天，还没到，走访未登记。'],
    ['走访 张三 2026-12-20 元旦 慰问金500元', '2026-12-20 是 18 天后，还没到，走访未登记。'],
    ['发放优待金 李一 2027-01-05', '2027-01-05 是 34 天后，还没到，发放未登记。'],
    ['活动 座谈会 后天 人数40', '2026-12-04 是后天，还没到，活动未登记。'],
  ])('%s is refused with the reason and what to write', async (line, reason) => {
    const [reply] = await say(t, 'li', line)

    expect(reply).toBe(
      [
        reason,
        '已经做过的请写实际日期，如「今天」「昨天」「7月30日」；要提前安排请设提醒，如「提醒 明天上午9点 走访张三」。',
      ].join('\n'),
    )
    expect(await records()).toBe(0)
  })

  it('in the visit form, a future date is asked again and the form stays open', async () => {
    await say(t, 'li', '走访 张三')

    const [refused] = await say(t, 'li', '明天')
    const [asked] = await say(t, 'li', '今天')

    expect(refused).toMatch(/^2026-12-03 是明天，还没到，走访未登记。/)
    expect(refused).toMatch(/回复「取消」退出。$/)
    expect(asked).toContain('这次是哪类走访？')
  })

  it('today and earlier days are stored as before', async () => {
    const [today] = await say(t, 'li', '走访 张三 今天 日常')
    const [earlier] = await say(t, 'li', '走访 张三 上周五 日常')

    expect(today).toMatch(/^已登记 #\d+：2026-12-02 日常走访/)
    expect(earlier).toMatch(/^已登记 #\d+：2026-11-27 日常走访/)
  })
})

describe('a date without a year that reads far back is asked about (contract "Commands")', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => DEC_2 })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const FAR_BACK = [
    '「12月28日」按 2025-12-28 算，是 11 个月前。',
    '是这一天请回复「确认」；不是请回复正确日期，如「昨天」「11月28日」。',
  ].join('\n')

  it('走访 … 12月28日 written on 12-02 asks, and 「确认」 stores 2025-12-28', async () => {
    const [asked] = await say(t, 'li', '走访 张三 12月28日 日常')
    const [stored] = await say(t, 'li', '确认')

    expect(asked).toBe(FAR_BACK)
    expect(stored).toMatch(/^已登记 #\d+：2025-12-28 日常走访 铁炉嘴村 张三/)
  })

  it('answering with the date meant stores that one', async () => {
    await say(t, 'li', '走访 张三 12月28日 日常')

    const [stored] = await say(t, 'li', '11月28日')

    expect(stored).toMatch(/^已登记 #\d+：2026-11-28 日常走访/)
  })

  it('a payment and an activity ask the same', async () => {
    const [payment] = await say(t, 'li', '发放优待金 李一 12月28日')
    await say(t, 'li', '取消')
    const [activity] = await say(t, 'li', '活动 座谈会 12月28日 人数40')

    expect(payment).toBe(FAR_BACK)
    expect(activity).toBe(FAR_BACK)
  })

  it('a written year, a near date or 昨天 is not asked about', async () => {
    const [withYear] = await say(t, 'li', '走访 张三 2025-12-28 日常')
    const [near] = await say(t, 'li', '走访 李一 11月20日 日常')

    expect(withYear).toMatch(/^已登记 #\d+：2025-12-28/)
    expect(near).toMatch(/^已登记 #\d+：2026-11-20/)
  })
})
