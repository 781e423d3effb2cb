import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { linkedSheetRows } from '../support/export-sheets.js'
import { unwrapped } from '../support/reply-width.js'
import { testClock, type TestClock } from '../support/clock.js'
import { seedTown, visit, type Town } from '../support/town.js'

// A tester (2026-12-01): 「今年慰问金花了多少」 left out December's spending. The visits logged in
// December with 慰问金 were 日常 and 困难帮扶 ones, counted in 2026, and 春节 and 元旦 ones, which
// the season rule files under 2027's campaigns (the 春节 nearest 12-01 is 2027-02-06). By
// campaign year, as 统计, 年报 and 导出 count (docs/replies.md, "Which year a visit counts
// toward"), those are 2027's; the reply names them right under the sum they are not in, and the
// sum is the one 年报 and the export give for 2026.

/** The 合计 sheet of the export a 导出 reply links to. */
const summaryOf = (t: TestBot, reply: string) => linkedSheetRows(t, reply, '合计')

/** `1,100` → 1100. */
const yuan = (text: string) => Number(text.replace(/,/g, ''))

describe('the year’s visit money asked in December (a tester, 2026-12-01)', () => {
  let t: TestBot
  let town: Town
  const clock: TestClock = testClock('2026-12-01T02:00:00Z')

  beforeEach(async () => {
    clock.set('2026-12-01T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    town = await seedTown(t)
    // Earlier in 2026: 八一 (500 元) and 2026's own 春节 in February (800 元).
    await visit(t, town, '张三')
    await visit(t, town, '赵六', {
      date: '2026-02-10',
      occasion: '春节',
      cashFen: 80_000,
      goods: [],
    })
    // December, logged today: 日常 and 困难帮扶 are 2026's, 春节 and 元旦 2027's campaigns.
    for (const line of [
      '走访 李一 今天 日常 慰问金500元',
      '走访 王一 今天 困难帮扶 慰问金200元',
      '走访 李二 今天 春节 慰问金300元',
      '走访 孙一 今天 元旦 慰问金400元',
    ]) {
      expect((await say(t, 'admin', line))[0]).toMatch(/^已登记/)
    }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('counts December’s 日常 and 困难帮扶 money in the year and names its 春节 and 元旦 money right under the sum', async () => {
    const [reply] = await say(t, 'boss', '今年慰问金花了多少')

    const lines = reply!.split('\n')
    expect(lines[0]).toBe('2026 年走访慰问合计（截至 12-01）')
    // 500 八一 + 800 春节 (February) + 500 日常 + 200 困难帮扶, all counted toward 2026.
    expect(lines[1]).toBe('全镇：走访 4 次，4 户次，慰问金 2,000 元')
    expect(lines.slice(2, 6)).toEqual([
      '另有 2027 元旦走访 1 次、400 元，',
      '计入 2027 年。',
      '另有 2027 春节走访 1 次、300 元，',
      '计入 2027 年。',
    ])
    // Every yuan of the calendar year is in the sum or in a line under it: 2,000 + 400 + 300.
    const named = [...unwrapped(reply!).matchAll(/另有 \d{4} \S+?走访 \d+ 次、([\d,]+) 元/g)]
    expect(2_000 + named.reduce((n, m) => n + yuan(m[1]!), 0)).toBe(
      500 + 800 + 500 + 200 + 300 + 400,
    )
  })

  it('gives the sum 年报 and 导出 台账 give for the year, and the December 春节 visit to 2027 in all three', async () => {
    const [tally] = await say(t, 'boss', '统计 全年')
    const [report] = await say(t, 'boss', '年报 2026')
    const ledger = await summaryOf(t, (await say(t, 'boss', '导出 台账 2026'))[0]!)
    const [spring] = await say(t, 'boss', '统计 春节')
    const next = await summaryOf(t, (await say(t, 'boss', '导出 台账 2027'))[0]!)

    const sum = /：走访 (\d+) 次，\d+ 户次，慰问金 ([\d,]+) 元/.exec(unwrapped(tally!))!
    expect(unwrapped(report!)).toContain(`共 ${sum[1]} 次，慰问金 ${sum[2]} 元。`)
    const yearRow = ledger.find((r) => r[0] === '2026年各活动合计')!
    expect([yearRow[5], yearRow[6]]).toEqual([Number(sum[1]), yuan(sum[2]!)])
    expect(unwrapped(report!)).toContain('另有 2027 春节走访 1 次、300 元，计入 2027 年。')
    // 统计 春节 asked on 12-01 is 2027's, and holds the visit; so does 2027's ledger.
    expect(spring).toMatch(/^2027 春节走访/)
    expect(unwrapped(spring!)).toContain('走访 1 次，慰问金 300 元')
    const nextRow = next.find((r) => r[0] === '2027年各活动合计')!
    expect([nextRow[5], nextRow[6]]).toEqual([2, 700])
  })

  it('counts them in 2027’s 统计 全年, which says 2027 has not begun rather than 全年', async () => {
    const [reply] = await say(t, 'boss', '统计 全年 明年')

    expect(reply!.split('\n').slice(0, 2)).toEqual([
      '2027 年走访慰问合计（尚未开始）',
      '全镇：走访 2 次，2 户次，慰问金 700 元',
    ])
  })

  it('gives a cadre their village’s December the same way', async () => {
    const [reply] = await say(t, 'li', '今年慰问金花了多少')

    // 铁炉嘴村: 张三 八一 500 and 李一 日常 500; 李二's 春节 300 is 2027's.
    expect(reply!.split('\n').slice(1, 4)).toEqual([
      '铁炉嘴村：走访 2 次，2 户次，',
      '慰问金 1,000 元',
      '另有 2027 春节走访 1 次、300 元，',
    ])
    expect(reply).not.toContain('元旦走访 1 次')
  })
})
