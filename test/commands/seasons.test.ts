import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'
import { seedTown } from '../support/town.js'
import { unwrapped } from '../support/reply-width.js'

// 2026-12-02 (a Wednesday) 10:00 in Asia/Shanghai: 八一 2026 is four months back, 元旦 2027 is
// 30 days ahead and 春节 2027 (02-06) 66 days ahead.
const DEC_2 = '2026-12-02T02:00:00Z'

describe('one season rule for filing and asking (contract "Seasons")', () => {
  let t: TestBot
  let clock: TestClock

  const setUp = async (at = DEC_2) => {
    clock = testClock(at)
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await seedTown(t)
  }
  afterEach(async () => {
    await t.cleanup()
  })

  it('in December a 春节 visit is filed under the coming 春节, and a plain 统计 春节 counts it', async () => {
    await setUp()

    const [stored] = await say(t, 'li', '走访 张三 今天 春节 慰问金500元')
    const [tally] = await say(t, 'boss', '统计 春节')
    const [todo] = await say(t, 'li', '未走访 春节')

    expect(stored).toMatch(/^已登记 #\d+：2026-12-02 春节走访（2027 春节）铁炉嘴村 张三/)
    expect(stored).toContain('铁炉嘴村 2027 春节走访进度 1/4 户')
    expect(tally).toContain('2027 春节走访')
    expect(tally).toContain('距春节 66 天')
    expect(unwrapped(tally!)).toMatch(/全镇：应访 12 户，已访 1 户（8%）.*慰问金 500 元/)
    expect(todo).not.toContain('张三')
    expect(todo).toContain('李一')
  })

  it("a visit back-filled into last year's 八一 while this year's runs says whose progress it is", async () => {
    // 2027-07-25: the 2027 八一 campaign is open.
    await setUp('2027-07-25T02:00:00Z')

    const [lastYears] = await say(t, 'li', '走访 张三 2026年7月25日 八一 慰问金300元')
    const [thisYears] = await say(t, 'li', '走访 李一 今天 八一')

    expect(lastYears).toContain('铁炉嘴村 2026 八一走访进度 1/4 户')
    expect(thisYears).toContain('铁炉嘴村八一走访进度 1/4 户')
  })

  it('on 12-02, 统计 元旦 is the coming 元旦 2027 and 统计 八一 the past 八一 2026', async () => {
    await setUp()

    const [newYear] = await say(t, 'boss', '统计 元旦')
    const [bayi] = await say(t, 'boss', '统计 八一')

    expect(newYear).toContain('2027 元旦走访')
    expect(newYear).toContain('距元旦 30 天')
    expect(bayi).toContain('2026 八一走访')
    expect(bayi).toContain('已于 08-01 结束')
  })

  it('a plain 统计 is the running campaign, else the nearest one', async () => {
    await setUp()
    const [onDec2] = await say(t, 'boss', '统计')
    // 2027-01-25: 春节 2027's window (from 01-23) is running, though 元旦 is nearer.
    clock.set('2027-01-25T02:00:00Z')
    const [inChunjie] = await say(t, 'boss', '统计')

    expect(onDec2).toContain('2027 元旦走访')
    expect(inChunjie).toContain('2027 春节走访')
  })

  it.each([
    ['走访 张三 今天 平时', '日常走访'],
    ['走访 张三 今天 过年', '春节走访（2027 春节）'],
    ['走访 张三 今天 建军节', '八一走访'],
    ['走访 张三 今天 帮扶', '困难帮扶走访'],
  ])('a line reads every word for an occasion: %s', async (line, kind) => {
    await setUp()

    const [stored] = await say(t, 'li', line)

    expect(stored).toContain(kind)
  })

  it.each([
    ['平时', '日常走访'],
    ['过年', '春节走访（2027 春节）'],
    ['八一建军节', '八一走访'],
  ])('the visit form reads the same words: %s', async (answer, kind) => {
    await setUp()

    const [asked] = await say(t, 'li', '走访 张三 今天')
    // A visit completed over turns asks its cash once (docs/forms.md).
    const [cash] = await say(t, 'li', answer)
    const [stored] = await say(t, 'li', '无')

    expect(asked).toContain('这次是哪类走访？')
    expect(cash).toContain('慰问金多少？')
    expect(stored).toContain(kind)
  })

  it('统计 reads the same words as a line: 统计 过年 is 统计 春节', async () => {
    await setUp()

    const [byWord] = await say(t, 'boss', '统计 过年')
    const [byName] = await say(t, 'boss', '统计 春节')

    expect(byWord).toBe(byName)
  })
})
