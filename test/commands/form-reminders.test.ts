import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'
import { seedTown } from '../support/town.js'

// A tester's defects, as leader and cadre (docs/forms.md): the 「还在进行」 line under every
// reply, a stale choice kept after the record was stored, a record line swallowed by 「确认」.

const STILL_OPEN = /^您的走访登记还在进行/
const noteIn = (replies: string[]) => replies.filter((r) => STILL_OPEN.test(r))

describe('the line about an open form', () => {
  let t: TestBot
  let clock: TestClock

  beforeEach(async () => {
    // 2026-07-25 10:00 in Asia/Shanghai, inside the 八一 window.
    clock = testClock('2026-07-25T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when several commands follow a question, says the line once, under the first', async () => {
    await say(t, 'boss', '走访 孙一')

    const first = await say(t, 'boss', '对象 孙二')
    const later = [
      ...(await say(t, 'boss', '对象 孙三')),
      ...(await say(t, 'boss', '帮助 走访')),
      ...(await say(t, 'boss', '還有誰沒走訪')),
    ]

    expect(first.at(-1)).toBe(
      '您的走访登记还在进行：孙一，还差日期。直接回复日期继续，回复「取消」放弃。',
    )
    expect(noteIn(later)).toEqual([])
  })

  it('when a tally comes first, leaves it alone and says the line under the next short reply', async () => {
    await say(t, 'boss', '走访 孙一')

    const tally = await say(t, 'boss', '統計')
    const report = await say(t, 'boss', '年报 2026')
    const short = await say(t, 'boss', '对象 孙二')

    expect(tally).toHaveLength(1)
    expect(report).toHaveLength(1)
    expect(noteIn(short)).toHaveLength(1)
  })

  it('when the form is answered, its next question is reminded once again', async () => {
    await say(t, 'boss', '走访 孙一')
    await say(t, 'boss', '对象 孙二')
    const [asked] = await say(t, 'boss', '昨天')

    const replies = await say(t, 'boss', '对象 孙三')

    expect(asked).toMatch(/慰问金多少？/)
    expect(replies.at(-1)).toBe(
      '您的走访登记还在进行：孙一 2026-07-24 八一，还差慰问金。直接回复金额（没有回复「无」）继续，回复「取消」放弃。',
    )
  })

  it('when the line was said, the form still takes its answer after other commands', async () => {
    await say(t, 'boss', '走访 孙一')
    await say(t, 'boss', '对象 孙二')
    await say(t, 'boss', '统计')

    await say(t, 'boss', '昨天')
    const [stored] = await say(t, 'boss', '无')

    expect(stored).toMatch(/^已登记 #\d+：2026-07-24 八一走访 新街社区 孙一/)
  })
})

describe('a one-line record of the kind a form waits for', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: testClock('2026-07-25T02:00:00Z') },
    )
    await seedTown(t)
    await say(t, 'admin', '添加对象 王建国 铁炉嘴村 烈士遗属')
    await say(t, 'admin', '添加对象 李建国 铁炉嘴村 烈士遗属')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when stored, drops the waiting choice and says so once, before the stored reply', async () => {
    const [list] = await say(t, 'li', '走访 建国 今天 八一')

    const stored = await say(t, 'li', '走访 王建国 今天 八一 慰问金200元')
    const after = await say(t, 'li', '统计')
    const [two] = await say(t, 'li', '2')

    expect(list).toMatch(/1\. 王建国 铁炉嘴村 烈士遗属\n2\. 李建国/)
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatch(
      /^之前未完成的走访登记（2026-07-25 八一，还差选哪位建国）已取消。\n已登记 #\d+：2026-07-25 八一走访 铁炉嘴村 王建国/,
    )
    expect(after.join('\n')).not.toMatch(/还在进行|还差/)
    expect(two).toMatch(/^没看懂这条消息/)
  })

  it('when written in traditional characters, drops the waiting form all the same', async () => {
    await say(t, 'li', '走访 张三')

    const [stored] = await say(t, 'li', '走訪 王建國 今天 八一 慰問金200元')

    expect(stored).toMatch(
      /^之前未完成的走访登记（张三，还差日期）已取消。\n已登记 #\d+：2026-07-25 八一走访 铁炉嘴村 王建国/,
    )
  })

  it('when the one-line record is refused, keeps the waiting form', async () => {
    await say(t, 'li', '走访 建国 今天 八一')

    const replies = await say(t, 'li', '走访 王建国 明天 八一')
    const [next] = await say(t, 'li', '1')

    expect(replies.at(-1)).toBe(
      '您的走访登记还在进行：2026-07-25 八一，还差选哪位建国。直接回复序号继续，回复「取消」放弃。',
    )
    expect(next).toMatch(/^已登记 #\d+：2026-07-25 八一走访 铁炉嘴村 王建国/)
  })
})

describe('a record line sent while a large amount waits for 「确认」', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: testClock('2026-07-25T02:00:00Z') },
    )
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const HELD =
    '慰问金 50,000 元还等您「确认」，这条新消息未读取。\n确有此事请回复「确认」；不登记请回复「取消」，再重发这条。'

  it.each(['李一 今天 八一', '李一 7月24日', '李一 今天 八一 慰問金500元'])(
    'when %s comes, says the confirmation is open and the line was not read',
    async (line) => {
      await say(t, 'li', '走访 李二 今天 八一 慰问金50000元')

      const replies = await say(t, 'li', line)

      expect(replies).toEqual([HELD])
    },
  )

  it('when 「确认」 follows, stores the visit held', async () => {
    await say(t, 'li', '走访 李二 今天 八一 慰问金50000元')
    await say(t, 'li', '李一 今天 八一')

    const [stored] = await say(t, 'li', '确认')

    expect(stored).toMatch(/^已登记 #\d+：2026-07-25 八一走访 铁炉嘴村 李二.*\n慰问金 50,000 元/)
  })

  it('when a 走访 line comes, stores it and drops the held amount, said once', async () => {
    await say(t, 'li', '走访 李二 今天 八一 慰问金50000元')

    const [stored] = await say(t, 'li', '走訪 李一 今天 八一 慰問金500元')

    expect(stored).toMatch(
      /^之前未完成的走访登记（李二 2026-07-25 八一 慰问金 50,000 元，还差确认慰问金）已取消。\n已登记 #\d+：2026-07-25 八一走访 铁炉嘴村 李一/,
    )
  })

  it('when an amount is sent, still reads it as the corrected amount', async () => {
    await say(t, 'li', '走访 李二 今天 八一 慰问金50000元')

    const [stored] = await say(t, 'li', '500元')

    expect(stored).toMatch(/^已登记 #\d+：2026-07-25 八一走访 铁炉嘴村 李二.*\n慰问金 500 元/)
  })
})
