import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock } from '../support/clock.js'
import { seedTown } from '../support/town.js'

// A visit entered over several turns behaves the same however it was started (docs/forms.md,
// "The visit form's cash question"). 2026-12-02 10:00 and 2026-07-30 10:00 in Asia/Shanghai.
const DEC_2 = '2026-12-02T02:00:00Z'
const JUL_30 = '2026-07-30T02:00:00Z'

const CASH_QUESTION = '慰问金多少？没有请回复「无」。'

/** Columns on a phone: a CJK character (or full-width mark) counts 2, ASCII 1. */
const columns = (line: string) =>
  [...line].reduce((n, c) => n + (/[\u2e80-\uffef]/.test(c) ? 2 : 1), 0)

describe('the visit form over several turns', () => {
  let t: TestBot

  const setUp = async (at: string) => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: testClock(at) })
    await seedTown(t)
  }
  afterEach(async () => {
    await t.cleanup()
  })

  const visitOf = async (reply: string | undefined) =>
    t.bot.services.records.getRecord(Number(/#(\d+)/.exec(reply ?? '')![1]))

  it('a line lacking its occasion asks the cash once the occasion is answered, as 走访 alone does', async () => {
    await setUp(DEC_2)

    const [occasion] = await say(t, 'li', '走访 李三 昨天')
    const [cash] = await say(t, 'li', '日常')
    const [stored] = await say(t, 'li', '无')

    expect(occasion).toMatch(/^这次是哪类走访？/)
    expect(cash).toBe(CASH_QUESTION)
    expect(stored).toMatch(/^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 李三（义务兵家庭）\n/)
    expect(await visitOf(stored)).toMatchObject({ cashFen: 0 })
  })

  it('the bare 走访 asks the same questions and stores the same visit', async () => {
    await setUp(DEC_2)
    const replies: string[] = []
    for (const text of ['走访', '李三', '昨天', '日常', '300']) {
      replies.push(...(await say(t, 'li', text)))
    }

    expect(replies[3]).toBe(CASH_QUESTION)
    expect(replies[4]).toMatch(
      /^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 李三（义务兵家庭）\n慰问金 300 元/,
    )
  })

  it('a line lacking only its date asks the cash after the date, unless the line gave it', async () => {
    await setUp(DEC_2)

    await say(t, 'li', '走访 李三 日常')
    const [asked] = await say(t, 'li', '昨天')
    await say(t, 'li', '取消')
    await say(t, 'li', '走访 李二 日常 慰问金200元')
    const [stored] = await say(t, 'li', '昨天')

    expect(asked).toBe(CASH_QUESTION)
    expect(stored).toMatch(/^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 李二（.*）\n慰问金 200 元/)
  })

  it('a line with every required field is stored at once and never asks the cash', async () => {
    await setUp(DEC_2)

    const [stored] = await say(t, 'li', '走访 李三 昨天 日常')

    expect(stored).toMatch(/^已登记 #\d+：2026-12-01 日常走访 .*\n未记慰问金和物品/)
  })

  it('a stray 无 after a stored visit says the visit is stored without cash', async () => {
    await setUp(DEC_2)

    const [stored] = await say(t, 'li', '走访 李三 昨天 日常')
    const id = /#(\d+)/.exec(stored!)![1]
    const [none] = await say(t, 'li', '无')
    const [nothing] = await say(t, 'li', '没有')

    expect(none).toBe(`这条走访已登记（#${id}），未记慰问金。`)
    expect(nothing).toBe(`这条走访已登记（#${id}），未记慰问金。`)
  })

  it('an amount or goods sent after a visit stored without cash says how to add them to it', async () => {
    await setUp(DEC_2)

    const [stored] = await say(t, 'li', '走访 李三 昨天 日常')
    const id = /#(\d+)/.exec(stored!)![1]
    const [goods] = await say(t, 'li', '米一袋')
    // Not the 慰问 command (an alias of 走访) looking up a person 「金」.
    const [cash] = await say(t, 'li', '慰问金300元')
    const [both] = await say(t, 'li', '五百元 米1袋 油1桶')
    const [withGoods] = await say(t, 'li', '走访 张三 昨天 日常 米2袋')
    const [more] = await say(t, 'li', '油1桶')

    expect(goods).toBe(
      `走访 #${id} 已登记，未记慰问金和物品。\n补记请发：\n「修改 #${id} 物品 米1袋」`,
    )
    expect(cash).toBe(
      `走访 #${id} 已登记，未记慰问金和物品。\n补记请发：\n「修改 #${id} 金额 300元」`,
    )
    expect(both).toBe(
      `走访 #${id} 已登记，未记慰问金和物品。\n补记请发：\n「修改 #${id} 金额 500元」\n「修改 #${id} 物品 米1袋、油1桶」`,
    )
    const second = /#(\d+)/.exec(withGoods!)![1]
    // 修改 物品 replaces a visit's goods: the stored ones are written in the line it offers.
    expect(more).toBe(
      `走访 #${second} 已登记，未记慰问金。\n补记请发：\n「修改 #${second} 物品 米2袋、油1桶」`,
    )
    for (const reply of [goods, cash, both, more])
      for (const line of reply!.split('\n')) expect(columns(line)).toBeLessThanOrEqual(40)
    expect(await visitOf(stored)).toMatchObject({ cashFen: 0, goods: [] })
  })

  it('慰问金300元 alone, with no visit just stored, is no visit to a person 「金」', async () => {
    await setUp(DEC_2)

    const [cash] = await say(t, 'li', '慰问金300元')
    const [goods] = await say(t, 'li', '慰问品 米1袋')
    const [named] = await say(t, 'li', '慰问金明 今天 日常')
    const [numbered] = await say(t, 'li', '慰问金一 今天 日常')
    const [spelled] = await say(t, 'li', '慰问金五百元')

    const hint = [
      '只写了慰问金或物品，没写走访谁，未登记。',
      '登记请写「走访 张三 今天 慰问金300元」，',
      '补记请发「修改 #记录号 金额 300元」。',
    ].join('\n')
    expect(cash).toBe(hint)
    expect(goods).toBe(hint)
    for (const line of hint.split('\n')) expect(columns(line)).toBeLessThanOrEqual(40)
    // A person 金明 or 金一 is still looked up; 五百元 is an amount.
    expect(named).toMatch(/^没有找到「金明」/)
    expect(numbered).toMatch(/^没有叫「金一」的对象/)
    expect(spelled).toBe(hint)
  })

  it('the cash question takes goods with the cash, goods alone, and 慰问金300元', async () => {
    await setUp(DEC_2)
    const ask = async (answer: string) => {
      await say(t, 'li', '走访')
      await say(t, 'li', '李三')
      await say(t, 'li', '昨天')
      await say(t, 'li', '日常')
      return (await say(t, 'li', answer))[0]
    }

    const cashAndGoods = await ask('300元 米1袋')
    await say(t, 'li', `撤销 #${/#(\d+)/.exec(cashAndGoods!)![1]}`)
    const goodsAlone = await ask('米一袋')
    await say(t, 'li', `撤销 #${/#(\d+)/.exec(goodsAlone!)![1]}`)
    const written = await ask('慰问金300元')
    await say(t, 'li', `撤销 #${/#(\d+)/.exec(written!)![1]}`)
    const [unread] = [await ask('五百,还有米一袋')]

    expect(await visitOf(cashAndGoods)).toMatchObject({
      cashFen: 30_000,
      goods: [{ name: '米', quantity: 1, unit: '袋' }],
    })
    expect(await visitOf(goodsAlone)).toMatchObject({
      cashFen: 0,
      goods: [{ name: '米', quantity: 1, unit: '袋' }],
    })
    expect(await visitOf(written)).toMatchObject({ cashFen: 30_000 })
    expect(unread).toMatch(/^没看懂「五百,还有米一袋」，请回复金额如「500」/)
  })

  it('a 无 six minutes after the visit, by the bot’s clock, is a new message', async () => {
    const clock = testClock(DEC_2)
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await seedTown(t)

    await say(t, 'li', '走访 李三 昨天 日常')
    clock.advance(6 * 60_000)
    const [late] = await say(t, 'li', '无')

    expect(late).not.toContain('这条走访已登记')
  })

  it('in late July, 八一 or 是 at the cash question agrees with the occasion stated and asks the cash again', async () => {
    await setUp(JUL_30)

    await say(t, 'li', '走访')
    await say(t, 'li', '李三')
    const [stated] = await say(t, 'li', '7月28日')
    const [agreed] = await say(t, 'li', '八一')
    const [yes] = await say(t, 'li', '是')
    const [stored] = await say(t, 'li', '五百')

    expect(stated).toBe(`2026-07-28 在八一走访期间，按八一走访登记。${CASH_QUESTION}`)
    expect(agreed).toBe(`好的，按八一走访登记。\n${CASH_QUESTION}`)
    expect(yes).toBe(`好的，按八一走访登记。\n${CASH_QUESTION}`)
    expect(stored).toMatch(/^已登记 #\d+：2026-07-28 八一走访 .*\n慰问金 500 元/)
  })

  it('another occasion at the cash question corrects the one stated', async () => {
    await setUp(JUL_30)

    await say(t, 'li', '走访 李三')
    await say(t, 'li', '7月28日')
    const [changed] = await say(t, 'li', '日常')
    const [stored] = await say(t, 'li', '无')

    expect(changed).toBe(`好的，改按日常走访登记。\n${CASH_QUESTION}`)
    expect(stored).toMatch(/^已登记 #\d+：2026-07-28 日常走访 /)
  })

  it('puts the implied-occasion sentence and the 已登记 line on lines of their own', async () => {
    await setUp(JUL_30)

    const [stored] = await say(t, 'li', '走访 李三 7月24日 慰问金200元')

    expect(stored).toMatch(
      /^2026-07-24 在八一走访期间，按八一走访登记。\n已登记 #\d+：2026-07-24 八一走访 铁炉嘴村 李三（义务兵家庭）\n/,
    )
  })

  it('a day without its month (廿三号) is the most recent such day, not a second name', async () => {
    await setUp(JUL_30)

    const [thisMonth] = await say(t, 'li', '走访 李三 廿三号 八一')
    const [noSuchDay] = await say(t, 'li', '走访 李一 31号 日常')

    expect(thisMonth).toMatch(/^已登记 #\d+：2026-07-23 八一走访 铁炉嘴村 李三（义务兵家庭）\n/)
    // 07-31 is not yet come on 07-30, so the most recent 31st would be June's, which it lacks.
    expect(noSuchDay).toBe('31号 不存在（6月只有30天），未登记。请核对日期后重发，如「6月30日」。')
  })

  it('a whole line as the answer to 走访谁？ gives its date, occasion and cash too', async () => {
    await setUp(DEC_2)

    await say(t, 'li', '走访')
    const [stored] = await say(t, 'li', '李三 昨天 日常 慰问金200元 米1袋')

    expect(stored).toMatch(/^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 李三（义务兵家庭）\n/)
    expect(await visitOf(stored)).toMatchObject({
      date: '2026-12-01',
      occasion: '日常',
      cashFen: 20_000,
      goods: [{ name: '米', quantity: 1, unit: '袋' }],
    })
  })

  it('every line of the new replies fits a phone', async () => {
    await setUp(JUL_30)
    await say(t, 'li', '走访 李三')
    await say(t, 'li', '7月28日')
    const [agreed] = await say(t, 'li', '八一')
    const [stored] = await say(t, 'li', '无')
    const [stray] = await say(t, 'li', '无')

    for (const reply of [agreed, stray]) {
      for (const line of reply!.split('\n')) expect(columns(line)).toBeLessThanOrEqual(40)
    }
    expect(stored).toMatch(/^已登记/)
  })
})
