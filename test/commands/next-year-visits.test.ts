import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'
import { seedTown } from '../support/town.js'
import { unwrapped } from '../support/reply-width.js'

// Last year's figures left out December's visits toward this year's 元旦 and 春节 without a
// word (a tester, 2027-01-20); on 12-02 the same question named them (docs/figures.md).

describe('a past year and the visits it made toward next year’s 元旦 and 春节', () => {
  let t: TestBot
  let clock: TestClock

  beforeEach(async () => {
    clock = testClock('2026-12-20T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await seedTown(t)
    await say(t, 'li', '走访 李一 今天 元旦 慰问金500元')
    await say(t, 'li', '走访 李二 今天 元旦 慰问金500元')
    await say(t, 'li', '走访 李三 今天 元旦 慰问金500元')
    await say(t, 'li', '走访 张三 今天 日常 慰问金200元')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when asked in December, names them as before', async () => {
    const [reply] = await say(t, 'boss', '今年慰问金花了多少')

    expect(unwrapped(reply!)).toContain('另有 2027 元旦走访 3 次、1,500 元，计入 2027 年。')
  })

  it('when asked on 01-20 about last year, still names the December visits, not January’s', async () => {
    clock.set('2027-01-01T02:00:00Z')
    await say(t, 'li', '走访 李一 今天 元旦 慰问金300元')
    clock.set('2027-01-20T02:00:00Z')
    await say(t, 'li', '走访 李二 今天 春节 慰问金800元')

    const [reply] = await say(t, 'boss', '去年慰問金花了多少')

    expect(unwrapped(reply!)).toMatch(
      /^2026 年走访慰问合计（全年）全镇：走访 1 次，1 户次，慰问金 200 元/,
    )
    expect(unwrapped(reply!)).toContain(
      '另有 2026 年内的 2027 元旦走访 3 次、1,500 元，计入 2027 年。',
    )
    expect(reply).not.toContain('2027 春节')
  })

  it('when a cadre asks, counts their own villages only', async () => {
    await say(t, 'boss', '走访 孙一 今天 元旦 慰问金500元')
    clock.set('2027-01-20T02:00:00Z')

    const [reply] = await say(t, 'li', '去年慰问金花了多少')

    expect(unwrapped(reply!)).toContain(
      '另有 2026 年内的 2027 元旦走访 3 次、1,500 元，计入 2027 年。',
    )
  })

  it('when 年报 2026 is asked on 01-20, its year total says the same', async () => {
    clock.set('2027-01-20T02:00:00Z')

    const [report] = await say(t, 'boss', '年报 2026')

    // 年报's lines are broken to a phone's width: a line without a numeral continues its item.
    expect(report!.replace(/\n(?![一二三四五六七八九十]+、)/g, '')).toMatch(
      /\n七、全年走访合计.*（“合计”表）另有 2026 年内的 2027 元旦走访 3 次、1,500 元，计入 2027 年。\n八、/,
    )
  })
})
