import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'

/** `YYYY-MM-DD` 10:00 in Shanghai. */
const tenAm = (date: string) => new Date(`${date}T02:00:00Z`)

describe('dates cadres write, through the sandbox (issue 11)', () => {
  let t: TestBot

  /** A bot on `date`, with 杨福凤 and 李四 on the roster of 铁炉嘴村 and li its cadre. */
  const setUp = async (date: string) => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => tenAm(date) })
    for (const line of [
      '添加对象 杨福凤 铁炉嘴村 烈士遗属',
      '添加对象 李四 铁炉嘴村 义务兵家庭 农村',
      '设置角色 sandbox:li 村干部 铁炉嘴村',
      '优待金标准 2026 农村5800 城镇8600',
    ]) {
      const [reply] = await say(t, 'admin', line)
      expect(reply).toMatch(/^(已添加|已设置)/)
    }
  }
  afterEach(async () => {
    await t.cleanup()
  })

  const storedVisits = async (year: number, occasion: '八一' | '春节') =>
    (await t.bot.services.tallies.readCampaignTally(year, occasion)).total.visits

  it('走访 with 腊月二十八, on 2027-02-10, is the 2027-02-04 visit of the 2027 春节 campaign', async () => {
    await setUp('2027-02-10')

    const [reply] = await say(t, 'li', '走访 杨福凤 腊月二十八 慰问金500元')

    expect(reply).toMatch(/^2027-02-04 在春节走访期间，按春节走访登记。/)
    expect(reply).toMatch(
      /已登记 #\d+：2027-02-04 春节走访 铁炉嘴村 杨福凤（烈士遗属）\n慰问金 500 元\n/,
    )
    expect(reply).toContain('铁炉嘴村春节走访进度 1/2 户')
    expect(await storedVisits(2027, '春节')).toBe(1)
  })

  it('走访 with 除夕 is dated on the last day of 腊月', async () => {
    await setUp('2027-02-10')

    const [reply] = await say(t, 'li', '走访 杨福凤 除夕 慰问金500元')

    // 农历2026年腊月 has 29 days: 除夕 is 腊月二十九, the eve of 2027-02-06.
    expect(reply).toMatch(
      /^2027-02-05 在春节走访期间，按春节走访登记。\n已登记 #\d+：2027-02-05 春节走访 铁炉嘴村 杨福凤/,
    )
    expect(await storedVisits(2027, '春节')).toBe(1)
  })

  it('走访 with 八一前一周, on 2026-07-31, is dated 2026-07-25', async () => {
    await setUp('2026-07-31')

    const [reply] = await say(t, 'li', '走访 杨福凤 八一前一周 慰问金500元')

    expect(reply).toMatch(
      /^2026-07-25 在八一走访期间，按八一走访登记。\n已登记 #\d+：2026-07-25 八一走访 铁炉嘴村 杨福凤/,
    )
    expect(await storedVisits(2026, '八一')).toBe(1)
  })

  it('走访 with 11月31日 names the impossible date, not the person, and stores nothing', async () => {
    await setUp('2026-12-02')

    const replies = await say(t, 'li', '走访 杨福凤11月31日 慰问金500元')

    expect(replies).toEqual([
      '11月31日 不存在（11月只有30天），未登记。请核对日期后重发，如「11月30日」。',
    ])
    expect(await storedVisits(2027, '春节')).toBe(0)
  })

  it('when the visit form is answered with 11月31日, says why and keeps asking', async () => {
    await setUp('2026-12-02')

    await say(t, 'li', '走访 杨福凤')
    const replies = await say(t, 'li', '11月31日')
    const next = await say(t, 'li', '11月30日')

    expect(replies).toEqual([
      '11月31日 不存在（11月只有30天），请回复正确的日期，如「11月30日」。\n回复「取消」退出。',
    ])
    expect(next).toEqual(['这次是哪类走访？请回复 八一、春节、元旦、日常 或 困难帮扶。'])
  })

  it('走访 with a month and no day (11月份, 11月下旬) asks for the day and stores nothing', async () => {
    await setUp('2026-12-02')

    const month = await say(t, 'li', '走访 杨福凤 11月份 日常 慰问金500元')
    const late = await say(t, 'li', '走访 杨福凤 11月下旬 日常')
    await say(t, 'li', '走访 杨福凤')
    const answered = await say(t, 'li', '11月')
    const then = await say(t, 'li', '11月28日')

    expect(month).toEqual(['「11月份」没写哪一天，未登记。请写上几号后重发，如「11月20日」。'])
    expect(late).toEqual(['「11月下旬」没写哪一天，未登记。请写上几号后重发，如「11月20日」。'])
    expect(answered).toEqual([
      '「11月」没写哪一天，请回复是哪一天，如「11月20日」。\n回复「取消」退出。',
    ])
    expect(then[0]).toMatch(/^这次是哪类走访/)
  })

  it('发放优待金 with 2026年11月 asks for the day, never pays today instead', async () => {
    await setUp('2026-12-02')

    const replies = await say(t, 'li', '发放优待金 李四 2026年11月 5800元')

    expect(replies).toEqual([
      '「2026年11月」没写哪一天，未登记。请写上几号后重发，如「2026年11月20日」。',
    ])
    expect((await t.bot.services.tallies.readAllowanceTally(2026)).total.payments).toBe(0)
  })

  it('走访 with 十一月二十 日常 reads the date and the occasion, not 日 of 日常 as the day', async () => {
    await setUp('2026-12-02')

    const [reply] = await say(t, 'li', '走访 杨福凤 十一月二十 日常')

    expect(reply).toMatch(/^已登记 #\d+：2026-11-20 日常走访 铁炉嘴村 杨福凤/)
  })

  it('发放优待金 with 2月30日 is refused, never paid today instead', async () => {
    await setUp('2026-07-31')

    const replies = await say(t, 'li', '发放优待金 李四 5800元 2月30日')

    expect(replies).toEqual([
      '2月30日 不存在（2月只有28天），未登记。请核对日期后重发，如「2月28日」。',
    ])
    expect((await t.bot.services.tallies.readAllowanceTally(2026)).total.payments).toBe(0)
  })

  it('活动 with 11月31日 is refused with the reason', async () => {
    await setUp('2026-12-02')

    const replies = await say(t, 'li', '活动 座谈会 11月31日 人数40')

    expect(replies).toEqual([
      '11月31日 不存在（11月只有30天），未登记。请核对日期后重发，如「11月30日」。',
    ])
  })
})
