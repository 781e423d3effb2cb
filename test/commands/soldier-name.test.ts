import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkSoldierName } from '../../src/records/person-fields.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { botOnChannel } from '../support/channels.js'
import { testClock } from '../support/clock.js'
import type { ChatDriver } from '../support/drivers.js'
import type { FakeDingtalk } from '../support/fake-dingtalk.js'

const START = '2026-10-20T02:00:00Z'

describe('义务兵姓名 on a conscript family (issue 13)', () => {
  let t: TestBot
  const soldierOf = async (name: string) =>
    (await t.bot.services.people.findPeopleByName(name))[0]?.soldierName

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: testClock(START) })
    await say(t, 'admin', '添加对象 张三 铁炉嘴村 残疾军人')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when 添加对象 names the soldier, stores them and says so', async () => {
    const [reply] = await say(t, 'admin', '添加对象 王五 铁炉嘴村 义务兵家庭 农村 义务兵 王小军')

    expect(reply).toMatch(/^已添加 #\d+：铁炉嘴村 王五（义务兵家庭），义务兵 王小军，农村\n/)
    expect(await soldierOf('王五')).toBe('王小军')
  })

  it('reads the ways it is written, a bare 义务兵 before a name implying the category', async () => {
    await say(t, 'admin', '添加对象 赵七 铁炉嘴村 义务兵 赵小兵')
    await say(t, 'admin', '添加对象 钱八 铁炉嘴村 义务兵家庭 义务兵姓名：钱小明')
    await say(t, 'admin', '添加对象 孙九 铁炉嘴村 义务兵家庭 义务兵阿卜杜·热合曼')
    const [alias] = await say(t, 'admin', '添加对象 周十 铁炉嘴村 义务兵 城镇')

    expect(await t.bot.services.people.findPeopleByName('赵七')).toMatchObject([
      { category: '义务兵家庭', soldierName: '赵小兵' },
    ])
    expect(await soldierOf('钱八')).toBe('钱小明')
    expect(await soldierOf('孙九')).toBe('阿卜杜·热合曼')
    expect(alias).toMatch(/^已添加 #\d+：铁炉嘴村 周十（义务兵家庭），城镇/)
  })

  it('refuses a name that is no name, or on another category, saying how to write it', async () => {
    const [one] = await say(t, 'admin', '添加对象 王五 铁炉嘴村 义务兵家庭 义务兵 王')
    const [latin] = await say(t, 'admin', '添加对象 王五 铁炉嘴村 义务兵家庭 义务兵姓名 Tom')
    const [empty] = await say(t, 'admin', '添加对象 王五 铁炉嘴村 义务兵家庭 义务兵姓名')
    const [other] = await say(t, 'admin', '添加对象 李四 铁炉嘴村 烈属 义务兵 李小明')
    const [loose] = await say(t, 'admin', '添加对象 王五 铁炉嘴村 义务兵家庭 王小军')

    expect(one).toBe(
      [
        '未添加：义务兵姓名「王」只有一个字：请写义务兵本人的姓名（2–6 个汉字，少数民族姓名用「·」隔开），如「义务兵 张小明」。',
        '请改正后重发。',
      ].join('\n'),
    )
    expect(latin).toContain('义务兵姓名「Tom」不像姓名')
    expect(empty).toContain('义务兵姓名为空')
    expect(other).toContain('义务兵姓名只记在义务兵家庭，「烈士遗属」不用写')
    expect(loose).toContain('没看懂「王小军」：义务兵本人的姓名请写「义务兵 王小军」')
    expect(await t.bot.services.people.findPeopleByName('王五')).toEqual([])
    expect(await t.bot.services.people.findPeopleByName('李四')).toEqual([])
  })

  it('the person card shows the soldier', async () => {
    await say(t, 'admin', '添加对象 王五 铁炉嘴村 义务兵家庭 农村 义务兵 王小军')

    const [card] = await say(t, 'admin', '对象 王五')

    expect(card).toContain('\n义务兵 王小军\n')
  })
})

describe('checkSoldierName', () => {
  it('takes 2–6 Chinese characters or a dotted minority name, spaces dropped', () => {
    expect(checkSoldierName('张 小明')).toEqual({ value: '张小明' })
    expect(checkSoldierName('欧阳小明')).toEqual({ value: '欧阳小明' })
    expect(checkSoldierName('买买提・艾力')).toEqual({ value: '买买提·艾力' })
  })

  it('names what is wrong with the rest', () => {
    expect(checkSoldierName('王小王小王小王')).toMatchObject({
      problem: expect.stringContaining('有 7 个字，不像姓名'),
    })
    expect(checkSoldierName('王\u200b小军')).toMatchObject({
      problem: expect.stringContaining('看不见的控制字符'),
    })
    expect(checkSoldierName('王小军1')).toMatchObject({
      problem: expect.stringContaining('不像姓名'),
    })
  })
})

describe('义务兵姓名 over wecom', () => {
  let t: TestBot
  let fake: FakeDingtalk
  let chat: ChatDriver

  beforeEach(async () => {
    ;({ t, chat, fake } = await botOnChannel('wecom', testClock(START)))
    await say(t, 'admin', '添加对象 张三 铁炉嘴村 残疾军人')
    await say(t, 'admin', '设置角色 wecom:boss 领导')
  })
  afterEach(async () => {
    await t.cleanup()
    await fake.close()
  })

  it('a leader adds a family with its soldier and finds the soldier on the card', async () => {
    const [added] = await chat.say('boss', '添加对象 王五 铁炉嘴村 义务兵家庭 城镇 义务兵 王小军')
    const [card] = await chat.say('boss', '对象 王五')

    expect(added).toContain('铁炉嘴村 王五（义务兵家庭），义务兵 王小军，城镇')
    expect(card).toContain('义务兵 王小军')
  })
})
