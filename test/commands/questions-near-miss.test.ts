import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, seedTown, type Town } from '../support/town.js'

// Misspelt command words are answered with the corrected line, never run on a guess; variant
// spellings (撤消, 紀錄) are the command itself (docs/intents.md, "A mistyped word").

const DECEMBER_2 = new Date('2026-12-02T02:00:00Z')

let bots: TestBot[] = []

async function botAt(now: Date): Promise<{ t: TestBot; town: Town }> {
  const t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => now })
  bots.push(t)
  return { t, town: await seedTown(t) }
}

afterEach(async () => {
  await Promise.all(bots.map((t) => t.cleanup()))
  bots = []
})

describe('a command word one edit away', () => {
  it.each([
    ['走防 李一 今天 元旦', '没看懂「走防」。您是不是要发「走访 李一 今天 元旦」？'],
    ['发放优带金 李一 今天', '没看懂「发放优带金」。您是不是要发「发放优待金 李一 今天」？'],
    ['修该 #20 金额 300元', '没看懂「修该」。您是不是要发「修改 #20 金额 300元」？'],
  ])('「%s」 is answered with the corrected line and stores nothing', async (text, expected) => {
    const { t } = await botAt(DECEMBER_2)

    expect(await say(t, 'li', text)).toEqual([expected])
    expect(await say(t, 'li', '我的记录')).toEqual(['您今天还没有登记记录。'])
  })

  it('「添加村 铁炉嘴村」 says how a village comes about', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [reply] = await say(t, 'admin', '添加村 铁炉嘴村')

    expect(reply).toBe(
      [
        '没看懂「添加村」。',
        '村（社区）不用单独添加：',
        '添加第一户时写上村名即可，',
        '如「添加对象 王五 铁炉嘴村 烈属」，',
        '回复「确认」后建村；',
        '也可由管理员导入花名册。',
      ].join('\n'),
    )
  })

  it('a short answer one edit from a two-character word (对的) is not taken for it', async () => {
    const { t } = await botAt(DECEMBER_2)

    expect(await say(t, 'li', '对的')).toEqual(['没看懂这条消息。回复「帮助」查看可用命令和示例。'])
  })
})

describe('variant spellings', () => {
  it('撤消 is 撤销', async () => {
    const { t, town } = await botAt(DECEMBER_2)
    const [stored] = await say(t, 'li', '走访 李一 今天 日常')
    const id = /#(\d+)/.exec(stored!)![1]

    const [reply] = await say(t, 'li', `撤消 #${id} 原因 重复登记`)

    expect(reply).toMatch(/已撤销/)
    expect(reply).not.toMatch(/没看懂/)
    expect(town.people['李一']).toBeDefined()
  })

  it('我的紀錄 (traditional, which simplifies to 我的纪录) is 我的记录', async () => {
    const { t } = await botAt(DECEMBER_2)

    expect(await say(t, 'li', '我的紀錄')).toEqual(['您今天还没有登记记录。'])
  })
})

describe('优待金截止还有几天 after this year’s deadline', () => {
  it('answers the next configured deadline', async () => {
    const { t } = await botAt(DECEMBER_2)
    await t.bot.services.allowances.setAllowanceDeadline(2027, '2027-07-25', adminMeta())

    const [reply] = await say(t, 'boss', '优待金截止还有几天')

    expect(reply).toBe(
      '2027 年优待金 7月25日（周日）截止，还有 235 天。\n全镇应发 10 户，已发 0 户，未发 10 户。\n回复「未发放」查看名单。',
    )
  })

  it('says the next one is not set when it is not', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [reply] = await say(t, 'boss', '优待金截止还有几天')

    expect(reply).toMatch(
      /^2026 年优待金已于 7月31日（周五）截止，已过 124 天。\n2027 年截止日期还未设置。/,
    )
  })
})
