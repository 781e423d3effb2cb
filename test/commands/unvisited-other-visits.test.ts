import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock } from '../support/clock.js'
import { seedTown } from '../support/town.js'

// 未走访 named households visited that day for another occasion without a word (a tester,
// 2026-12): the list now says so in one line (docs/figures.md).

describe('未走访 when listed households were visited today for another occasion', () => {
  let t: TestBot

  const start = async (at: string) => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: testClock(at) })
    await seedTown(t)
  }
  afterEach(async () => {
    await t.cleanup()
  })

  it('when 李二 (春节) and 张三 (日常) were logged on 12-02, names them under the 元旦 list', async () => {
    await start('2026-12-02T02:00:00Z')
    await say(t, 'li', '走访 李二 今天 春节')
    await say(t, 'li', '走访 张三 今天 日常')

    const [list] = await say(t, 'boss', '未走访')

    expect(list).toMatch(/^2027 元旦走访\n（截至 12-02，距元旦 30 天）\n全镇尚有 12 户未走访：/)
    expect(list!.split('\n').slice(-2)).toEqual([
      '张三、李二今天另登记了日常、春节走访，不计入元旦。',
      '走访后回复「走访 姓名 日期」登记。',
    ])
  })

  it('when asked in the asker’s words in traditional characters, says the same line', async () => {
    await start('2026-12-02T02:00:00Z')
    await say(t, 'li', '走访 张三 今天 日常')

    const [list] = await say(t, 'li', '今天誰還沒走訪')

    expect(list).toContain('\n张三今天另登记了日常走访，不计入元旦。\n')
  })

  it('when 孙一 had a 日常 visit on 07-28, says so under the 八一 list', async () => {
    await start('2026-07-28T02:00:00Z')
    await say(t, 'boss', '走访 孙一 今天 日常')

    const [list] = await say(t, 'boss', '未走访 八一 新街社区')

    expect(list).toMatch(/^2026 八一走访（[^）]*）\n新街社区尚有 4 户未走访：\n1\. 孙一/)
    expect(list).toContain('\n孙一今天另登记了日常走访，不计入八一。\n')
  })

  it('when the other visit was logged on an earlier day, says nothing of it', async () => {
    const clock = testClock('2026-07-27T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
    await seedTown(t)
    await say(t, 'boss', '走访 孙一 今天 日常')
    clock.set('2026-07-28T02:00:00Z')

    const [list] = await say(t, 'boss', '未走访 八一 新街社区')

    expect(list).not.toContain('另登记')
  })

  it('when the household was visited for the campaign listed, it is not listed nor named', async () => {
    await start('2026-12-02T02:00:00Z')
    await say(t, 'li', '走访 李二 今天 元旦')
    await say(t, 'li', '走访 李二 今天 日常')

    const [list] = await say(t, 'li', '未走访')

    expect(list).not.toContain('李二')
  })
})
