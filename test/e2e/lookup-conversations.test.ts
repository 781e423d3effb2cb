import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { say } from '../support/bot.js'
import { botOnChannel, CHANNELS, type ChannelBot } from '../support/channels.js'

// 2026-12-02 10:00 in Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z')
const now = () => NOW

describe.each(CHANNELS)('look-ups and several records over %s (issue 12)', (channel) => {
  let bot: ChannelBot

  beforeEach(async () => {
    bot = await botOnChannel(channel, now)
    for (const line of [
      '添加对象 王建国 铁炉嘴村 残疾军人 五级 农村',
      '添加对象 杨英明 铁炉嘴村 烈士遗属',
      '添加对象 高长福 铁炉嘴村 烈士遗属',
      `设置角色 ${bot.platform}:li 村干部 铁炉嘴村`,
    ]) {
      await say(bot.t, 'admin', line)
    }
  }, 60_000)
  afterEach(async () => {
    await bot.cleanup()
  })

  it('finds a partial name, suggests a near miss, lists the roster, stores a two-name visit and lists it', async () => {
    const [partial] = await bot.chat.say('li', '对象 建国')
    const [near] = await bot.chat.say('li', '对象 王建果')
    const [roster] = await bot.chat.say('li', '花名册')
    const [two] = await bot.chat.say('li', '走访 杨英明、高长福 今天 日常')
    const id = /#(\d+)/.exec(two ?? '')?.[1]
    const [shown] = await bot.chat.say('li', `查看 #${id}`)
    const [mine] = await bot.chat.say('li', '我的记录')

    expect(partial).toMatch(/^#\d+ 王建国（残疾军人·五级）\n铁炉嘴村，农村\n/)
    expect(near).toBe(
      '在您负责的村（铁炉嘴村）没有找到「王建果」。您是不是要找 王建国（铁炉嘴村）？',
    )
    expect(roster).toMatch(/^铁炉嘴村花名册共 3 人：\n1\. 王建国 残疾军人·五级·农村\n/)
    expect(two).toMatch(
      /^已登记 2 条走访：\n#\d+：2026-12-02 日常走访 铁炉嘴村 杨英明（烈士遗属）\n未记慰问金和物品\n#\d+：2026-12-02 日常走访 铁炉嘴村 高长福/,
    )
    expect(shown).toMatch(new RegExp(`^#${id} 走访\n2026-12-02 日常走访 铁炉嘴村 杨英明\n`))
    expect(mine).toMatch(
      /^您今天登记了 2 条：\n#\d+ 日常走访 高长福 12-02\n#\d+ 日常走访 杨英明 12-02\n/,
    )
    expect((await bot.t.bot.services.tallies.readCampaignTally(2026, '日常')).total).toMatchObject({
      visits: 2,
    })
  }, 60_000)
})
