import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { say, type TestBot } from '../support/bot.js'
import { CHANNELS, botOnChannel } from '../support/channels.js'
import { testClock } from '../support/clock.js'
import type { ChatDriver } from '../support/drivers.js'
import type { FakeDingtalk } from '../support/fake-dingtalk.js'

// Issue 11's visit and payment behaviours, one script per behaviour, over every way a message
// reaches the bot: the sandbox, WeCom, DingTalk over HTTP and DingTalk Stream.

/** 2026-12-02 10:00 in Shanghai, the day of the contract's examples: 春节 2027 is 66 days away. */
const DEC_2 = '2026-12-02T02:00:00Z'

describe.each(CHANNELS)('visits and payments over %s (issue 11)', (channel) => {
  const platform = channel === 'dingtalk-stream' ? 'dingtalk' : channel
  const clock = testClock(DEC_2)
  let t: TestBot
  let fake: FakeDingtalk
  let chat: ChatDriver

  beforeEach(async () => {
    clock.set(DEC_2)
    ;({ t, chat, fake } = await botOnChannel(channel, clock))
    for (const line of [
      '添加对象 李四 铁炉嘴村 义务兵家庭 农村',
      '添加对象 张三 铁炉嘴村 残疾军人 二等乙级',
      '添加对象 王五 铁炉嘴村 烈士遗属',
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

  const allowance = async () => (await t.bot.services.tallies.readAllowanceTally(2026)).total
  const visits = async (year: number, occasion: '日常' | '春节' | '八一') =>
    (await t.bot.services.tallies.readCampaignTally(year, occasion)).total.visits

  it('holds a second payment to a family for 「确认」 and stores only the confirmed one', async () => {
    const [first] = await chat.say('li', '发放优待金 李四 5800元 12月1日')
    const [held] = await chat.say('li', '发放优待金 李四 5800元 今天')
    const afterHold = await allowance()
    const [confirmed] = await chat.say('li', '确认')

    expect(first).toMatch(/^已登记 #\d+：2026-12-01 发放 2026 年优待金 铁炉嘴村 李四/)
    expect(held).toMatch(/^李四 2026 年优待金已于 12-01 发放 5,800 元（#\d+），这次未登记。/)
    expect(held).toContain('请回复「确认」')
    expect(afterHold).toMatchObject({ payments: 1, sumFen: 580_000 })
    expect(confirmed).toMatch(/^已登记 #\d+：2026-12-02 发放 2026 年优待金 铁炉嘴村 李四/)
    expect(await allowance()).toMatchObject({ families: 1, payments: 2, sumFen: 1_160_000 })
  })

  it('holds a same-day visit of the same occasion for 「确认」 and stores nothing without it', async () => {
    const [first] = await chat.say('li', '走访 张三 今天 日常 慰问金300元')
    const [held] = await chat.say('li', '走访 张三 今天 日常')
    const [declined] = await chat.say('li', '不用了')

    expect(first).toMatch(/^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 张三/)
    expect(held).toMatch(/^张三 2026-12-02 已登记过日常走访（#\d+，.*），这次未登记。/)
    expect(held).toContain('请回复「确认」')
    expect(declined).toBe('好的，这次未登记。')
    expect(await visits(2026, '日常')).toBe(1)
  })

  it('refuses a visit dated tomorrow, asks the year of a date far back, names an impossible date', async () => {
    const [tomorrow] = await chat.say('li', '走访 张三 明天 日常')
    // 12月28日 on 12-02 is the coming one (within two months), so not yet; 2月28日 far back.
    const [ahead] = await chat.say('li', '走访 张三 12月28日 日常')
    const [farBack] = await chat.say('li', '走访 张三 2月28日 日常')
    await chat.say('li', '取消')
    const [impossible] = await chat.say('li', '走访 张三 11月31日 日常')

    expect(tomorrow).toMatch(/^2026-12-03 是明天，还没到，走访未登记。/)
    expect(ahead).toMatch(/^2026-12-28 是 26 天后，还没到，走访未登记。/)
    expect(farBack).toMatch(/^「2月28日」按 2026-02-28 算，是 9 个月前。/)
    expect(impossible).toMatch(/^11月31日 不存在（11月只有30天），未登记。/)
    expect(await visits(2026, '日常')).toBe(0)
    expect(await visits(2025, '日常')).toBe(0)
  })

  it('reads a lunar date and a date relative to an occasion', async () => {
    clock.set('2027-02-10T02:00:00Z')
    const [lunar] = await chat.say('li', '走访 张三 腊月二十八 春节')
    clock.set('2026-08-05T02:00:00Z')
    const [relative] = await chat.say('li', '走访 王五 八一前一周 八一')

    // 腊月二十八 of the lunar year 2026 is four days before 春节 2027 (02-06).
    expect(lunar).toMatch(/^已登记 #\d+：2027-02-04 春节走访 铁炉嘴村 张三/)
    expect(relative).toMatch(/^已登记 #\d+：2026-07-25 八一走访 铁炉嘴村 王五/)
  })

  it('says why before asking anything: not a conscript family, or no standard for the year', async () => {
    const [notConscript] = await chat.say('li', '发放优待金 张三 今天')
    const [noStandard] = await chat.say('li', '发放优待金 李四 2025-12-01')

    expect(notConscript).toBe(
      '张三（#2）是残疾军人，不是义务兵家庭，未登记。\n优待金只发给义务兵家庭。',
    )
    expect(noStandard).toBe(
      '2025 年优待金标准还没有设置，未登记。\n请管理员先设置，如「优待金标准 2025 农村5800 城镇8600」，再登记发放。',
    )
    expect(await allowance()).toMatchObject({ payments: 0 })
  })

  it('files a 春节 visit in December under the coming 春节, and 统计 春节 counts it', async () => {
    const [stored] = await chat.say('li', '走访 王五 今天 春节 慰问金500元')
    const [tally] = await chat.say('li', '统计 春节')

    expect(stored).toMatch(/^已登记 #\d+：2026-12-02 春节走访（2027 春节）铁炉嘴村 王五/)
    expect(stored).toContain('铁炉嘴村 2027 春节走访进度 1/3 户')
    expect(tally).toMatch(/^2027 春节走访/)
    expect(tally).toMatch(/已访 1 户/)
  })

  it.runIf(channelHasGroups(channel))(
    'in a village group says a need was recorded but not what it is',
    async () => {
      const [reply] = await chat.sayInGroup!(
        'li',
        '走访 王五 今天 日常 慰问金300元 备注 孙子看病需要医疗救助',
        'cid-village-group',
      )

      expect(reply).toContain('发现需求 1 项，已记为待办（私聊回复「待办」查看）')
      expect(reply).not.toContain('孙子看病')
      const [privately] = await chat.say('li', '待办')
      expect(privately).toContain('孙子看病需要医疗救助')
    },
  )
})

/**
 * WeCom's self-built app receives private messages only (a group's 群机器人 can send but not
 * receive), so a need can only be written in a group on DingTalk and in the sandbox.
 */
function channelHasGroups(channel: (typeof CHANNELS)[number]): boolean {
  return channel !== 'wecom'
}
