import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock } from '../support/clock.js'
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
        // The example is a date four days back, so that it is never ahead itself.
        '已经做过的请写实际日期，\n如「今天」「昨天」「11月28日」；\n要提前安排请设提醒，\n如「提醒 明天上午9点 走访张三」。',
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

  // 2月28日 on 12-02: the coming one is 88 days ahead, past NEAR_AHEAD_DAYS, so it is this
  // February's, 9 months back. (12月28日 is the coming one now: see the describe below.)
  const FAR_BACK = [
    '「2月28日」按 2026-02-28 算，是 9 个月前。',
    '是这一天请回复「确认」；不是请回复正确日期，如「昨天」「11月28日」。',
  ].join('\n')

  it('走访 … 2月28日 written on 12-02 asks, and 「确认」 stores 2026-02-28', async () => {
    const [asked] = await say(t, 'li', '走访 张三 2月28日 日常')
    const [stored] = await say(t, 'li', '确认')

    expect(asked).toBe(FAR_BACK)
    expect(stored).toMatch(/^已登记 #\d+：2026-02-28 日常走访 铁炉嘴村 张三/)
  })

  it('answering with the date meant stores that one', async () => {
    await say(t, 'li', '走访 张三 2月28日 日常')

    const [stored] = await say(t, 'li', '11月28日')

    expect(stored).toMatch(/^已登记 #\d+：2026-11-28 日常走访/)
  })

  it('a payment and an activity ask the same', async () => {
    const [payment] = await say(t, 'li', '发放优待金 李一 2月28日')
    await say(t, 'li', '取消')
    const [activity] = await say(t, 'li', '活动 座谈会 2月28日 人数40')

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

describe('a date without a year a few days or weeks ahead is the coming one, so not yet come', () => {
  let t: TestBot
  const clock = testClock('2026-07-25T02:00:00Z')
  // On 07-25 the example is 07-21: 「7月30日」 would itself be ahead.
  const NOT_YET = (example: string) =>
    `已经做过的请写实际日期，\n如「今天」「昨天」「${example}」；\n要提前安排请设提醒，\n如「提醒 明天上午9点 走访张三」。`

  beforeEach(async () => {
    clock.set('2026-07-25T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const visits = async (year: number, occasion: '八一' | '春节' | '元旦' | '日常') =>
    (await t.bot.services.tallies.readCampaignTally(year, occasion)).total.visits

  it('7月26日 on 07-25 is tomorrow, not 12 months back; nothing is stored in either year', async () => {
    const [reply] = await say(t, 'li', '走访 张三 7月26日 八一 慰问金500元')

    expect(reply).toBe(
      [
        '2026-07-26 是明天，还没到，走访未登记。',
        NOT_YET('7月21日'),
        '若是 2025-07-26，请写上年份，\n如「2025年7月26日」。',
      ].join('\n'),
    )
    expect(await visits(2026, '八一')).toBe(0)
    expect(await visits(2025, '八一')).toBe(0)
  })

  it('the year written, as the reply says, files it in last year’s campaign without a question', async () => {
    const [reply] = await say(t, 'li', '走访 张三 2025年7月26日 八一 慰问金500元')

    expect(reply).toMatch(/^已登记 #\d+：2025-07-26 八一走访 铁炉嘴村 张三/)
    expect(await visits(2025, '八一')).toBe(1)
  })

  it('腊月二十八 on 2027-01-20 is the coming one (2027-02-04), not last year’s 2026-02-15', async () => {
    clock.set('2027-01-20T02:00:00Z')

    const [reply] = await say(t, 'li', '走访 李二 腊月二十八 春节 慰问金500元')

    expect(reply).toBe(
      [
        '2027-02-04 是 15 天后，还没到，走访未登记。',
        NOT_YET('1月16日'),
        '若是 2026-02-15，请写上年份，\n如「2026年2月15日」。',
      ].join('\n'),
    )
    expect((await visits(2026, '春节')) + (await visits(2027, '春节'))).toBe(0)
  })

  it('修改 #N 日期 9月1日 on 07-28 is refused as not yet come, with the year to write', async () => {
    clock.set('2026-07-28T02:00:00Z')
    const [stored] = await say(t, 'li', '走访 张三 今天 八一')
    const id = Number(/#(\d+)/.exec(stored!)![1])

    const [reply] = await say(t, 'li', `修改 #${id} 日期 9月1日`)

    expect(reply).toBe(
      [
        `2026-09-01 在今天之后，还没到，#${id} 未修改。已经做过的请写实际日期，如「昨天」「7月24日」。`,
        `若是 2025-09-01，请写上年份，如「修改 #${id} 日期 2025-09-01」。`,
      ].join('\n'),
    )
    expect(await t.bot.services.records.getRecord(id)).toMatchObject({ date: '2026-07-28' })
  })

  it('in the visit form, a date answered that is ahead is asked again and the form stays open', async () => {
    await say(t, 'li', '走访 张三')

    const [refused] = await say(t, 'li', '7月26日')
    const [asked] = await say(t, 'li', '7月24日')

    expect(refused).toMatch(/^2026-07-26 是明天，还没到，走访未登记。/)
    expect(refused).toContain('若是 2025-07-26，请写上年份')
    expect(asked).toContain('2026-07-24 在八一走访期间')
  })

  it('a payment and an activity dated ahead are refused the same way', async () => {
    const [payment] = await say(t, 'li', '发放优待金 李一 8月10日')
    const [activity] = await say(t, 'li', '活动 座谈会 8月1日 人数40')

    expect(payment).toMatch(/^2026-08-10 是 16 天后，还没到，发放未登记。/)
    expect(payment).toContain('若是 2025-08-10，请写上年份')
    expect(activity).toMatch(/^2026-08-01 是 7 天后，还没到，活动未登记。/)
    expect((await t.bot.services.tallies.readAllowanceTally(2025)).total.payments).toBe(0)
    expect((await t.bot.services.tallies.readAllowanceTally(2026)).total.payments).toBe(0)
  })

  it('past two months ahead it is last year’s, and asked about as far back', async () => {
    const [asked] = await say(t, 'li', '走访 张三 10月1日 日常')

    expect(asked).toBe(
      [
        '「10月1日」按 2025-10-01 算，是 10 个月前。',
        '是这一天请回复「确认」；不是请回复正确日期，如「昨天」「7月21日」。',
      ].join('\n'),
    )
  })

  it('at the year’s turn: 1月3日 on 12-28 is ahead, 12月28日 on 01-05 is last month', async () => {
    clock.set('2026-12-28T02:00:00Z')
    const [ahead] = await say(t, 'li', '走访 张三 1月3日 元旦')
    clock.set('2027-01-05T02:00:00Z')
    const [stored] = await say(t, 'li', '走访 张三 12月28日 元旦')

    expect(ahead).toMatch(/^2027-01-03 是 6 天后，还没到，走访未登记。/)
    expect(stored).toMatch(/^已登记 #\d+：2026-12-28 元旦走访/)
    expect(await visits(2027, '元旦')).toBe(1)
  })

  it('2月29日 in a leap February is this month’s; in another year it is the last one, far back', async () => {
    clock.set('2028-02-20T02:00:00Z')
    const [leap] = await say(t, 'li', '走访 张三 2月29日 日常')
    clock.set('2027-02-20T02:00:00Z')
    const [other] = await say(t, 'li', '走访 张三 2月29日 日常')

    expect(leap).toMatch(/^2028-02-29 是 9 天后，还没到，走访未登记。/)
    expect(leap).toContain('若是 2024-02-29，请写上年份')
    expect(other).toMatch(/^「2月29日」按 2024-02-29 算，是 36 个月前。/)
  })
})
