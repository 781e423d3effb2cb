import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { say, type TestBot } from '../support/bot.js'
import { botOnChannel } from '../support/channels.js'
import type { ChatDriver } from '../support/drivers.js'
import type { FakeDingtalk } from '../support/fake-dingtalk.js'

// 2026-07-31 10:00 in Shanghai, inside the 八一 campaign window.
const NOW = new Date('2026-07-31T02:00:00Z')
const now = () => NOW

describe.each(['sandbox', 'wecom', 'dingtalk', 'dingtalk-stream'] as const)(
  'record conversations over %s',
  (channel) => {
    const platform = channel === 'dingtalk-stream' ? 'dingtalk' : channel
    let t: TestBot
    let fake: FakeDingtalk
    let chat: ChatDriver

    beforeEach(async () => {
      ;({ t, chat, fake } = await botOnChannel(channel, now))
      for (const line of [
        '添加对象 张三 铁炉嘴村 残疾军人 二等乙级',
        '添加对象 张伟 铁炉嘴村 烈士遗属',
        '添加对象 张伟 童家坝村 带病回乡退伍军人',
        '确认',
        '添加对象 李四 铁炉嘴村 义务兵家庭 农村',
        '优待金标准 2026 农村5800 城镇8600',
        `设置角色 ${platform}:li 领导`,
      ]) {
        await say(t, 'admin', line)
      }
    })
    afterEach(async () => {
      await t.cleanup()
      await fake.close()
    })

    const tally = async () => (await t.bot.services.tallies.readCampaignTally(2026, '八一')).total

    it('stores a one-line visit, the same in traditional script, a multi-turn visit to a namesake, and a payment, each once', async () => {
      const [oneLine] = await chat.say('li', '走访 张三 7月28日 八一 慰问金500元 米一袋', 'm-1')
      const redelivered = await chat.say('li', '走访 张三 7月28日 八一 慰问金500元 米一袋', 'm-1')
      const [traditional] = await chat.say('li', '登記走訪 張三，７月２９日，八一，慰問金３００元')
      const turns: string[] = []
      for (const text of ['走访', '张伟', '2', '昨天', '二百'])
        turns.push(...(await chat.say('li', text)))
      const [payment] = await chat.say('li', '发放优待金 李四 5800元 7月20日')

      expect(oneLine).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/)
      // The redelivery names what was stored, in case the first answer never arrived; on
      // DingTalk that line has the first reply's delivery id, so it is not sent again.
      expect(redelivered).toEqual(
        chat.platform === 'dingtalk'
          ? []
          : [expect.stringMatching(/^这条消息已处理过（记录 #\d+），无需重发。$/)],
      )
      expect(traditional).toMatch(/^已登记 #\d+：2026-07-29 八一走访 铁炉嘴村 张三/)
      expect(turns[1]).toContain('有 2 位张伟，请回复序号')
      expect(turns.at(-1)).toMatch(/^已登记 #\d+：2026-07-30 八一走访 童家坝村 张伟/)
      expect(payment).toMatch(
        /^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李四（农村）5,800 元/,
      )
      expect(await tally()).toMatchObject({ visits: 3, households: 2, cashFen: 100000 })
      expect((await t.bot.services.tallies.readAllowanceTally(2026)).total).toMatchObject({
        families: 1,
        sumFen: 580000,
      })
    })
  },
)
