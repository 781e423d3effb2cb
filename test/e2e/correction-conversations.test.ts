import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { say, type TestBot } from '../support/bot.js'
import { botOnChannel } from '../support/channels.js'
import type { ChatDriver } from '../support/drivers.js'
import type { FakeDingtalk } from '../support/fake-dingtalk.js'

// 2026-07-31 10:00 in Shanghai, inside the 八一 campaign window.
const NOW = new Date('2026-07-31T02:00:00Z')
const now = () => NOW

describe.each(['sandbox', 'wecom', 'dingtalk'] as const)('corrections over %s', (platform) => {
  let t: TestBot
  let fake: FakeDingtalk
  let chat: ChatDriver

  beforeEach(async () => {
    ;({ t, chat, fake } = await botOnChannel(platform, now))
    for (const line of [
      '添加对象 张三 铁炉嘴村 残疾军人 二等乙级',
      '添加对象 李四 铁炉嘴村 义务兵家庭 农村',
      '优待金标准 2026 农村5800 城镇8600',
      `设置角色 ${platform}:li 村干部 铁炉嘴村`,
    ]) {
      await say(t, 'admin', line)
    }
  })
  afterEach(async () => {
    await t.cleanup()
    await fake.close()
  })

  it('修改 shows the change with the person’s name, 撤销 takes two records, 撤销上一条 the last', async () => {
    const [visit] = await chat.say('li', '走访 张三 7月28日 八一 慰问金500元 米1袋')
    const [payment] = await chat.say('li', '发放优待金 李四 5800元 7月20日')
    const [other] = await chat.say('li', '走访 李四 今天 八一')
    const [v, p, o] = [visit, payment, other].map((r) => Number(/#(\d+)/.exec(r!)![1]))

    const [goods] = await chat.say('li', `修改 #${v} 物品 米2袋 油1桶`)
    const [last] = await chat.say('li', '撤销上一条')
    const [both] = await chat.say('li', `撤销 #${v} #${p}`)

    expect(goods).toBe(`已修改 #${v} 铁炉嘴村 张三 八一走访：物品 米1袋 → 米2袋、油1桶`)
    expect(last).toBe(
      `您的上一条登记：已撤销 #${o}：2026-07-31 八一走访 铁炉嘴村 李四。\n统计中已扣除，原记录保留在审计日志中。`,
    )
    expect(both).toBe(
      [
        '已撤销 2 条：',
        `#${v} 2026-07-28 八一走访 铁炉嘴村 张三，慰问金 500 元，物品 米2袋、油1桶`,
        `#${p} 2026-07-20 发放 2026 年优待金 铁炉嘴村 李四 5,800 元`,
        '统计中已扣除，原记录保留在审计日志中。',
      ].join('\n'),
    )
    expect((await t.bot.services.tallies.readCampaignTally(2026, '八一')).total).toMatchObject({
      visits: 0,
      households: 0,
    })
  })
})
