import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { wrapToWidth } from '../../src/replies/wrap-lines.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'
import { CONSCRIPTS, payAll, seedTown, visit, type Town } from '../support/town.js'

// What a tester found in 年报 on 2026-12-01, each asked through the chat on that day.

/** A reply's lines, broken to a phone's width, joined again: its sentences run together. */
const unwrapped = (reply: string) => reply.replace(/\n/g, '')

/** 年报's item that starts with `name` (its lines joined), e.g. `八、优待金：…`. */
function itemOf(report: string, name: string): string {
  const items = report.replace(/\n(?![一二三四五六七八九十]+、)/g, '').split('\n')
  const item = items.find((l) => l.replace(/^[一二三四五六七八九十]+、/, '').startsWith(name))
  if (!item) throw new Error(`no ${name} in: ${report}`)
  return item
}

const HAN = /\p{Script=Han}/u

/** Line breaks that fall between two Han characters with no punctuation: inside a word. */
function breaksInWords(reply: string): string[] {
  const lines = reply.split('\n')
  return lines.slice(1).flatMap((line, i) => {
    const before = [...lines[i]!].at(-1) ?? ''
    const after = [...line][0] ?? ''
    return HAN.test(before) && HAN.test(after) ? [`${lines[i]}⏎${line}`] : []
  })
}

describe('年报 on 2026-12-01 (a tester)', () => {
  let t: TestBot
  let town: Town
  const clock: TestClock = testClock('2026-12-01T02:00:00Z')

  beforeEach(async () => {
    clock.set('2026-12-01T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    town = await seedTown(t)
    await visit(t, town, '张三')
    await payAll(t, town, 2026, CONSCRIPTS.slice(0, 6))
  })
  afterEach(async () => {
    await t.cleanup()
  })

  describe('of a year that has not begun', () => {
    it('says plainly that 2027 has not begun, and shows what is already counted toward it', async () => {
      await say(t, 'admin', '走访 李二 今天 春节 慰问金300元 备注 房屋漏雨需修缮')

      const [report] = await say(t, 'boss', '年报 2027')

      expect(report).toBe(
        [
          '2027 年双拥工作数据',
          '2027 年还没有开始（今天是 2026-12-01），',
          '还没有全年数据。',
          '已计入 2027 年的只有',
          '2026 年内登记的春节走访：',
          '一、全年走访合计（春节）：',
          '走访慰问 1 户次，共 1 次，',
          '慰问金 300 元。',
          '二、帮扶：走访中发现困难需求 1 件，',
          '已办结 0 件、未办结 1 件。',
          '2026 年的数据请回复「年报 2026」，',
          '2027 年的走访请回复「统计 2027 春节」。',
        ].join('\n'),
      )
      // Nothing of a year's report it cannot have: no 底册, 优待金 or 活动 of 2027.
      expect(report).not.toMatch(/组织与底册|优待金|座谈会|（全年）/)
    })

    it('when nothing is counted toward it yet, says so and points to this year’s', async () => {
      const [report] = await say(t, 'boss', '年报 2030')

      expect(report!.split('\n').slice(0, 4)).toEqual([
        '2030 年双拥工作数据',
        '2030 年还没有开始（今天是 2026-12-01），',
        '还没有全年数据。',
        '还没有计入 2030 年的走访：',
      ])
      expect(report).toMatch(/\n2026 年的数据请回复「年报 2026」。$/)
    })

    it('this year’s is still the year so far', async () => {
      const [report] = await say(t, 'boss', '年报')

      expect(report!.split('\n')[0]).toBe('2026 年双拥工作数据（截至 12-01）')
    })
  })

  describe('the allowance (优待金)', () => {
    it('gives 应发 and 未发 beside 已发, the figures of 统计 优待金 and 未发放', async () => {
      const [report] = await say(t, 'boss', '年报 2026')
      const [tally] = await say(t, 'boss', '统计 优待金 2026')
      const [unpaid] = await say(t, 'boss', '未发放 2026')

      const item = itemOf(report!, '优待金：')
      const [, due, paid, left] = /应发 (\d+) 户，已发 (\d+) 户（\d+%），未发 (\d+) 户/.exec(item)!
      expect([due, paid, left]).toEqual(['10', '6', '4'])
      expect(unwrapped(tally!)).toContain(`应发 ${due} 户，已发 ${paid} 户`)
      expect(unwrapped(tally!)).toContain(`未发 ${left} 户`)
      expect(unpaid).toContain(`尚有 ${left} 户未发放`)
      expect(item).toContain('核对：「导出 优待金 2026」、「未发放 2026」')
    })

    it('when every family is paid, says 未发 0 户 and points to the export only', async () => {
      await payAll(t, town, 2026, CONSCRIPTS.slice(6))

      const item = itemOf((await say(t, 'boss', '年报 2026'))[0]!, '优待金：')

      expect(item).toMatch(/^八、优待金：应发 10 户，已发 10 户（100%），未发 0 户；发放 74,800 元/)
      expect(item).toMatch(/核对：「导出 优待金 2026」$/)
    })
  })

  describe('help cases (帮扶)', () => {
    it('names 待办’s own count beside the year’s, and how many of them are other years’', async () => {
      // Open: a 2025 八一 case, a 2026 one and a December 春节 one (2027's campaign); one 2026 case closed.
      await visit(t, town, '赵六', {
        date: '2025-07-28',
        occasion: '八一',
        campaignYear: 2025,
        needs: '危房需修缮',
      })
      await visit(t, town, '李一', { needs: '医疗费用' })
      const closed = (await visit(t, town, '王一', { needs: '子女就学' })).record.id
      await say(t, 'boss', `办结 #${closed} 已协调`)
      await say(t, 'admin', '走访 李二 今天 春节 慰问金300元 备注 房屋漏雨需修缮')

      const [report] = await say(t, 'boss', '年报 2026')
      const [todo] = await say(t, 'boss', '待办')
      const [asked] = await say(t, 'boss', '我还有什么没办')

      expect(todo).toMatch(/^待办帮扶 3 件：/)
      expect(asked).toContain('帮扶待办 3 件')
      expect(itemOf(report!, '帮扶：')).toMatch(
        /^十六、帮扶：走访中发现困难需求 2 件，已办结 1 件、未办结 1 件；「待办」共 3 件，含其他年度的 2 件；/,
      )
    })

    it('when every open case is the year’s, the two are one figure', async () => {
      await visit(t, town, '李一', { needs: '医疗费用' })

      const [report] = await say(t, 'boss', '年报 2026')
      const [todo] = await say(t, 'boss', '待办')

      expect(todo).toMatch(/^待办帮扶 1 件：/)
      expect(itemOf(report!, '帮扶：')).toContain('未办结 1 件（「待办」查看）；')
    })
  })

  describe('its lines', () => {
    it('break at punctuation or between words, never inside a word', async () => {
      // The tester's: `…（“合计”表）另` / `有 2027 春节走访…`, from a December 春节 visit.
      await say(t, 'admin', '走访 李二 今天 春节 慰问金300元')
      await say(t, 'admin', '走访 孙一 今天 元旦 慰问金400元')

      const [report] = await say(t, 'boss', '年报 2026')

      expect(breaksInWords(report!)).toEqual([])
      expect(report).toContain('（“合计”表）\n另有 2027 元旦走访 1 次、400 元，')
      for (const line of report!.split('\n')) {
        expect(displayWidth(line)).toBeLessThanOrEqual(REPLY_WIDTH)
      }
    })

    it('keep a short label, a command and a number with their words', () => {
      expect(
        wrapToWidth(
          '核对：「导出 台账 2026」（“合计”表）另有 2027 春节走访 1 次、300 元，计入 2027 年。',
        ),
      ).toEqual([
        '核对：「导出 台账 2026」（“合计”表）',
        '另有 2027 春节走访 1 次、300 元，',
        '计入 2027 年。',
      ])
      expect(wrapToWidth('最低：新街社区 0/4 户（0%）；最高：铁炉嘴村 3/4 户（75%）。')).toEqual([
        '最低：新街社区 0/4 户（0%）；',
        '最高：铁炉嘴村 3/4 户（75%）。',
      ])
      expect(wrapToWidth('回复「未走访 八一 新街社区」查看新街社区的名单。')).toEqual([
        '回复「未走访 八一 新街社区」',
        '查看新街社区的名单。',
      ])
      expect(wrapToWidth('未走访 12 户，回复「未走访 元旦」查看名单。', 30)).toEqual([
        '未走访 12 户，',
        '回复「未走访 元旦」查看名单。',
      ])
    })
  })
})
