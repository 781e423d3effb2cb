import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { say, type TestBot } from '../support/bot.js'
import { botOnChannel } from '../support/channels.js'
import type { ChatDriver } from '../support/drivers.js'
import type { FakeDingtalk } from '../support/fake-dingtalk.js'

// 2026-12-02 10:00 in Shanghai: outside every campaign window, so a visit asks its occasion.
const NOW = new Date('2026-12-02T02:00:00Z')
const now = () => NOW

describe.each(['sandbox', 'wecom', 'dingtalk', 'dingtalk-stream'] as const)(
  'forms in progress over %s (issue 11)',
  (channel) => {
    const platform = channel === 'dingtalk-stream' ? 'dingtalk' : channel
    let t: TestBot
    let fake: FakeDingtalk
    let chat: ChatDriver

    beforeEach(async () => {
      ;({ t, chat, fake } = await botOnChannel(channel, now))
      for (const line of [
        '添加对象 孙德明 铁炉嘴村 残疾军人 二等乙级',
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

    it('answers 帮助 in the middle of a visit, keeps the visit and stores it once finished', async () => {
      await chat.say('li', '走访')
      await chat.say('li', '孙德明')

      const help = (await chat.say('li', '帮助 走访')).join('\n\n')
      const turns: string[] = []
      for (const text of ['昨天', '日常', '无']) turns.push(...(await chat.say('li', text)))

      expect(help).toMatch(/^「走访」登记一次走访慰问/)
      expect(help).toMatch(
        /您的走访登记还在进行：孙德明，还差日期。直接回复日期继续，回复「取消」放弃。$/,
      )
      expect(turns.at(-1)).toMatch(/^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 孙德明/)
    })

    it('says a payment without a date took today, and how to change it', async () => {
      const [stored] = await chat.say('li', '发放优待金 李四')

      expect(stored).toMatch(
        /\n日期按今天（12-02）登记；不是今天请改，如「修改 #\d+ 日期 昨天」。$/,
      )
    })
  },
)
