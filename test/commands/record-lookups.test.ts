import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { displayWidth, REPLY_WIDTH } from '../../src/replies/display-width.js'
import { widthProblems } from '../support/reply-width.js'
import { adminMeta, seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z')

describe('a visit or payment to part of a name, as 对象 finds it (docs/lookups.md)', () => {
  let t: TestBot

  const stored = async () => Number((await t.redis.get(t.keys.recordSeq())) ?? 0)

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
    for (const [name, village] of [
      ['张建国', '铁炉嘴村'],
      ['王建国', '童家坝村'],
    ] as const) {
      await t.bot.services.people.addPerson(
        { name, village, category: '在乡复员军人' },
        adminMeta(),
      )
    }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['李二', '李二'],
    ['第三个', '李三'],
    ['2号', '李二'],
    ['一', '李一'],
  ])(
    'takes 「%s」 from the list offered as %s (a tester was held at the 序号 question)',
    async (answer, name) => {
      await say(t, 'li', '走访 李四 今天 日常')
      const [reply] = await say(t, 'li', answer)

      expect(reply).toMatch(new RegExp(`^已登记 #\\d+：2026-12-02 日常走访 铁炉嘴村 ${name}（`))
    },
  )

  it('says a family removed from the roster is removed, rather than guessing a name', async () => {
    await say(t, 'admin', '撤销 #1 去世') // 张三
    const [visit] = await say(t, 'li', '走访 张三 今天 日常')
    const [pay] = await say(t, 'li', '发放优待金 张三')
    const before = await stored()

    // A tester's 走访 张三 after 张三 died offered 「您是不是要找：1. 李三」.
    const removed =
      '张三（#1，铁炉嘴村）已移出花名册：去世。\n不能再登记；如移错了，请管理员重新添加。'
    expect(visit).toBe(removed)
    expect(pay).toBe(removed)
    expect(await stored()).toBe(before)
  })

  it.each(['不是', '都不是'])(
    'takes 「%s」 to the guesses as 取消 (a tester was asked for a number)',
    async (answer) => {
      await say(t, 'li', '走访 李四 今天 日常')
      const before = await stored()
      const [reply] = await say(t, 'li', answer)
      const [next] = await say(t, 'li', '1')

      expect(reply).toBe('已取消，未登记任何内容。')
      expect(next).not.toMatch(/^已登记/)
      expect(await stored()).toBe(before)
    },
  )

  it('takes 是 as yes to the one guess offered', async () => {
    await say(t, 'li', '走访 张山 今天 日常')
    const [reply] = await say(t, 'li', '是')

    expect(reply).toMatch(/^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 张三（残疾军人）/)
  })

  it('offers the one name that holds the words and stores the visit only once chosen', async () => {
    const [card] = await say(t, 'li', '对象 建国')
    const before = await stored()

    const [offer] = await say(t, 'li', '走访 建国 今天 日常 慰问金200元')
    const after = await stored()
    const [reply] = await say(t, 'li', '1')

    expect(card).toMatch(/^#\d+ 张建国（在乡复员军人）/)
    expect(offer).toBe(
      [
        '没有叫「建国」的对象。您是不是要找：',
        '1. 张建国 铁炉嘴村 在乡复员军人',
        '是请回复 1，不是请回复「取消」。',
      ].join('\n'),
    )
    expect(after).toBe(before)
    expect(reply).toMatch(
      /^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 张建国（在乡复员军人）\n慰问金 200 元/,
    )
  })

  it('lists every name that holds the words, never picking one', async () => {
    const before = await stored()

    const [offer] = await say(t, 'boss', '走访 建国 今天 日常')
    const after = await stored()
    const [reply] = await say(t, 'boss', '2')

    expect(offer).toBe(
      [
        '没有叫「建国」的对象。您是不是要找：',
        '1. 张建国 铁炉嘴村 在乡复员军人',
        '2. 王建国 童家坝村 在乡复员军人',
        '请回复序号；都不是请回复「取消」。',
      ].join('\n'),
    )
    expect(after).toBe(before)
    expect(reply).toMatch(/^已登记 #\d+：2026-12-02 日常走访 童家坝村 王建国/)
  })

  it('offers a name a typo away', async () => {
    const [offer] = await say(t, 'boss', '走访 王建果 今天 日常')

    expect(offer).toMatch(/^没有叫「王建果」的对象。您是不是要找：\n1\. 王建国 童家坝村 /)
  })

  it('searches a cadre’s own villages only, never naming another village’s people', async () => {
    const [reply] = await say(t, 'li', '走访 孙 今天 日常')

    expect(reply).toBe(
      '没有找到「孙」。请核对姓名（可加村名，如「铁炉嘴村 张三」），或请管理员先「添加对象」。',
    )
  })

  it('reads the same in traditional characters and with full-width spaces', async () => {
    const [plain] = await say(t, 'li', '走访 建国 今天 日常')
    await say(t, 'li', '取消')

    const [traditional] = await say(t, 'li', '走訪 建國 今天 日常')
    await say(t, 'li', '取消')
    const [wide] = await say(t, 'li', '走访　建国　今天　日常')
    await say(t, 'li', '取消')
    const [colon] = await say(t, 'li', '走访：建国 今天 日常')

    expect(traditional).toBe(plain)
    expect(wide).toBe(plain)
    expect(colon).toBe(plain)
  })

  it('offers the families for a payment, and pays the one chosen', async () => {
    const [offer] = await say(t, 'li', '发放优待金 李 今天')
    const [reply] = await say(t, 'li', '2')

    expect(offer).toBe(
      [
        '没有叫「李」的对象。您是不是要找：',
        '1. 李一 铁炉嘴村 义务兵家庭',
        '2. 李二 铁炉嘴村 义务兵家庭',
        '3. 李三 铁炉嘴村 义务兵家庭',
        '请回复序号；都不是请回复「取消」。',
      ].join('\n'),
    )
    expect(reply).toMatch(/^已登记 #\d+：.*李二.*5,800 元/)
  })

  it('offers the names in the visit form too, when the name is the answer', async () => {
    await say(t, 'li', '走访')

    const [offer] = await say(t, 'li', '建国')
    const [next] = await say(t, 'li', '1')

    expect(offer).toMatch(/^没有叫「建国」的对象。您是不是要找：\n1\. 张建国 铁炉嘴村/)
    expect(next).toMatch(/^走访日期？/)
  })

  it('names the guess in a list of names and stores the others', async () => {
    const [reply] = await say(t, 'li', '走访 建国、李一 今天 日常')

    expect(reply).toMatch(/^已登记 1 条走访：\n#\d+：2026-12-02 日常走访 铁炉嘴村 李一/)
    expect(reply).toContain('建国：没有叫「建国」的对象，是不是 张建国（铁炉嘴村）？请写全名。')
  })

  it('names the guesses in 修改 #N 对象, with the number to write', async () => {
    const [logged] = await say(t, 'li', '走访 张三 今天 日常')
    const id = /#(\d+)/.exec(logged!)![1]

    const [reply] = await say(t, 'li', `修改 #${id} 对象 建国`)

    expect(reply).toMatch(
      new RegExp(
        `^没有叫「建国」的对象，#${id} 未修改。您是不是要找：\n#(\\d+) 张建国 铁炉嘴村 在乡复员军人\n如「修改 #${id} 对象 #\\1」。$`,
      ),
    )
  })

  it('keeps its replies within a phone’s width', async () => {
    const replies = [
      ...(await say(t, 'boss', '走访 建国 今天 日常')),
      ...(await say(t, 'boss', '取消')),
      ...(await say(t, 'li', '发放优待金 李 今天')),
    ]

    expect(replies.flatMap((text) => widthProblems({ text }))).toEqual([])
    const wide = replies.flatMap((r) => r.split('\n')).filter((l) => displayWidth(l) > REPLY_WIDTH)
    expect(wide).toEqual([])
  })
})
