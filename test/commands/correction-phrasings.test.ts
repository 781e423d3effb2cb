import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isCorrectionPhrase } from '../../src/bot/parse-command.js'
import { readCorrection } from '../../src/commands/correction-changes.js'
import { displayWidth, REPLY_WIDTH } from '../../src/replies/display-width.js'
import type { Visit } from '../../src/records/schemas.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// Corrections as cadres type them on a phone (`改一下#13，金额四百`, `把13号的金额改为四百元`): each
// is read as `修改 #N 字段 值` and answered as 修改 answers it (docs/corrections.md).

// 2026-12-02 10:00 in Asia/Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z')

describe('a correction in the cadre’s own words', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])
  const visit = async (line: string) => idOf((await say(t, 'li', line))[0])
  const stored = async (id: number) => (await t.bot.services.records.getRecord(id)) as Visit

  it.each([
    '改一下#N，金额四百',
    '#N 金额改成400',
    '把N号的金额改为四百元',
    '第N条的慰问金改成400元',
    'N号记录金额改成400',
    '#N 金额从500改成400',
    '修改一下#N 金额为400',
  ])('%s corrects the amount and answers as 修改 #N 金额 400 does', async (phrase) => {
    const id = await visit('走访 张三 昨天 日常 慰问金500元')

    const [reply] = await say(t, 'li', phrase.replace('N', String(id)))

    expect(reply).toBe(`已修改 #${id} 铁炉嘴村 张三 日常走访：慰问金 500 元 → 400 元`)
    expect((await stored(id)).cashFen).toBe(40_000)
  })

  it('a phrasing and the command word give the same reply', async () => {
    const first = await visit('走访 张三 昨天 日常 慰问金500元')
    const second = await visit('走访 李一 昨天 日常 慰问金500元')

    const [phrased] = await say(t, 'li', `把${first}号的金额改为四百元`)
    const [command] = await say(t, 'li', `修改 #${second} 金额 400元`)

    expect(phrased!.replace(`#${first} 铁炉嘴村 张三`, '')).toBe(
      command!.replace(`#${second} 铁炉嘴村 李一`, ''),
    )
  })

  it.each([
    '把N号记录的日期改成11月30日',
    '#N日期改为11月30日',
    '修改#N 日期 11月30日',
    '第N条的日期改为11月30日',
  ])('%s moves the date', async (phrase) => {
    const id = await visit('走访 张三 今天 日常 慰问金500元')

    const [reply] = await say(t, 'li', phrase.replace('N', String(id)))

    expect(reply).toBe(`已修改 #${id} 铁炉嘴村 张三 日常走访：日期 2026-12-02 → 2026-11-30`)
    expect((await stored(id)).date).toBe('2026-11-30')
  })

  it('#N日期改为昨天 reads 昨天 by the done-date rules', async () => {
    const id = await visit('走访 张三 今天 日常')

    const [reply] = await say(t, 'li', `#${id}日期改为昨天`)

    expect(reply).toBe(`已修改 #${id} 铁炉嘴村 张三 日常走访：日期 2026-12-02 → 2026-12-01`)
  })

  it('把上一条的金额改成… corrects the sender’s newest record', async () => {
    await visit('走访 张三 昨天 日常 慰问金500元')
    const newest = await visit('走访 李一 昨天 日常 慰问金500元')

    const [reply] = await say(t, 'li', '把上一条的金额改成480')

    expect(reply).toBe(`已修改 #${newest} 铁炉嘴村 李一 日常走访：慰问金 500 元 → 480 元`)
  })

  it('a correction naming no field is answered with how to write one, in lines that fit a phone', async () => {
    const id = await visit('走访 张三 昨天 日常 慰问金500元')

    const [reply] = await say(t, 'li', `把${id}号改成400`)

    expect(reply).toMatch(/^格式：修改 #记录号 项目 新值\n/)
    for (const line of reply!.split('\n'))
      expect(displayWidth(line)).toBeLessThanOrEqual(REPLY_WIDTH)
    expect((await stored(id)).cashFen).toBe(50_000)
  })

  it('查看, 撤销 and a visit dated 11月30号 keep their own commands', async () => {
    const id = await visit('走访 张三 昨天 日常 慰问金500元')

    const [shown] = await say(t, 'li', `查看 #${id}`)
    const [visited] = await say(t, 'li', '走访 李三 11月30号 日常')
    const [withdrawn] = await say(t, 'li', `撤销 #${id}`)

    expect(shown).toMatch(new RegExp(`^#${id} 走访\\n`))
    expect(visited).toMatch(/^已登记 #\d+：2026-11-30 日常走访 铁炉嘴村 李三/)
    expect(withdrawn).toMatch(new RegExp(`^已撤销 #${id}：`))
  })

  it('a correction sent in the middle of a visit form is run, and the form stays open', async () => {
    const id = await visit('走访 张三 昨天 日常 慰问金500元')
    await say(t, 'li', '走访 李一')

    const replies = await say(t, 'li', `#${id} 金额改成400`)

    expect(replies.join('\n')).toContain(
      `已修改 #${id} 铁炉嘴村 张三 日常走访：慰问金 500 元 → 400 元`,
    )
    expect(replies.join('\n')).toContain('您的走访登记还在进行')
  })

  describe('修改 #N 备注 is stored as typed', () => {
    it('keeps full-width punctuation and traditional script, and shows them', async () => {
      const id = await visit('走访 张三 昨天 日常')

      const [reply] = await say(t, 'li', `修改 #${id} 备注 家中老人身體尚好，需要輪椅！`)

      expect(reply).toBe(
        `已修改 #${id} 铁炉嘴村 张三 日常走访：备注 无 → 家中老人身體尚好，需要輪椅！`,
      )
      expect((await stored(id)).notes).toBe('家中老人身體尚好，需要輪椅！')
    })

    it('a phrasing with 改成 stores the words after it as typed', async () => {
      const id = await visit('走访 张三 昨天 日常')

      await say(t, 'li', `把${id}号的備註改成：已聯繫村委，下周修繕。`)

      expect((await stored(id)).notes).toBe('已聯繫村委，下周修繕。')
    })

    it('a 需求 and a 跟进 are stored as typed too; 无 still clears', async () => {
      const id = await visit('走访 张三 昨天 日常')

      await say(t, 'li', `修改 #${id} 需求 房屋漏雨，需修繕`)
      await say(t, 'li', `修改 #${id} 跟进 已聯繫民政辦`)
      const needs = (await stored(id)).needs
      const followUp = (await stored(id)).followUp
      await say(t, 'li', `修改 #${id} 跟进 无。`)

      expect({ needs, followUp }).toEqual({ needs: '房屋漏雨，需修繕', followUp: '已聯繫民政辦' })
      expect((await stored(id)).followUp).toBeUndefined()
    })
  })
})

describe('isCorrectionPhrase', () => {
  it.each([
    '改一下#13，金额四百',
    '#13 金额改成400',
    '把13号的金额改为四百元',
    '把1号记录的日期改成11月30日',
    '#1日期改为昨天',
    '第2条的日期改成昨天',
    '把上一条的金额改成400',
  ])('%s is a correction', (text) => {
    expect(isCorrectionPhrase(text)).toBe(true)
  })

  it.each([
    '查看 #13',
    '撤销 #13',
    '办结 #13 已修缮',
    '#13',
    '11月30号改了吗',
    '把11月30号的走访改一下',
    '13号走访了谁',
    '走访 张三 11月30号 日常',
  ])('%s is not', (text) => {
    expect(isCorrectionPhrase(text)).toBe(false)
  })
})

describe('readCorrection', () => {
  it.each([
    ['#128 金额 300元', { target: 128, word: '金额', value: '300元' }],
    ['#128 金额 300元。', { target: 128, word: '金额', value: '300元' }],
    ['改一下#13,金额四百', { target: 13, word: '金额', value: '四百' }],
    ['把13号记录的日期改成11月30日', { target: 13, word: '日期', value: '11月30日' }],
    ['上一条 金额 800元', { target: 'last', word: '金额', value: '800元' }],
    ['#13 对象从李三改成李四', { target: 13, word: '对象', value: '李四' }],
    // A note's own words keep a change word inside them.
    [
      '#13 备注 改成两天后再来,再改一次',
      { target: 13, word: '备注', value: '两天后再来,再改一次' },
    ],
    ['#13 备注 为民服务', { target: 13, word: '备注', value: '为民服务' }],
  ])('%s reads as %o', (args, read) => {
    expect(readCorrection(args)).toMatchObject(read)
  })

  it.each([
    ['#13 年份 2026', '撤销 #13'],
    ['上一条年份改成2025', '撤销上一条'],
  ])('%s is refused at once with the way that works (a tester)', (args, withdraw) => {
    expect(() => readCorrection(args)).toThrow(
      `年份不能修改。请「${withdraw}」后重新登记，\n优待金写上年份，如「发放优待金 李一 2026年」。`,
    )
  })
})
