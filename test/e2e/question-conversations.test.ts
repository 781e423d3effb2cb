import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import {
  DINGTALK_TEST_APP,
  WECOM_TEST_ENV,
  dingtalkDriver,
  sandboxDriver,
  wecomDriver,
  type ChatDriver,
} from '../support/drivers.js'
import { startFakeDingtalk, type FakeDingtalk } from '../support/fake-dingtalk.js'

// 2026-07-31 10:00 in Shanghai, inside the 八一 campaign window.
const NOW = new Date('2026-07-31T02:00:00Z')
const now = () => NOW

/** A subset of test/commands/questions.test.ts's table: [question, first line of the answer]. */
const QUESTIONS: [string, RegExp][] = [
  ['还有谁没走访', /^2026 八一走访\n?（[^）]*）\n全镇尚有 \d+ 户未走访/],
  ['今年优待金发了多少', /^2026 年\S*优待金（[^）]*）\s*$/m],
  ['哪些村还没发优待金', /^2026 年优待金\n?（[^）]*）\n全镇尚有 \d+ 户未发放/],
  ['各村走访进度', /^2026 八一走访（[^）]*）\s*$/m],
  ['慰问金发了多少', /^2026 八一走访（[^）]*）\s*$/m],
  ['優待金發放情況？', /^2026 年\S*优待金（[^）]*）\s*$/m],
  ['王建国走访过没有', /王建国/],
  ['今年慰問金花了多少？', /^2026 年走访慰问合计（截至 07-31）\s*$/m],
  // Only 铁炉嘴村 has anyone due in this set-up, so the ranking is its figure.
  ['哪个村走访最差', /^2026 八一走访（[^）]*）\n铁炉嘴村 0\/2 户（0%）。$/m],
  ['今天走访了谁', /^今天（07-31）全镇还没有登记走访。/],
]

describe.each(['sandbox', 'wecom', 'dingtalk'] as const)('questions over %s', (channel) => {
  let t: TestBot
  let fake: FakeDingtalk
  let chat: ChatDriver

  beforeEach(async () => {
    fake = await startFakeDingtalk({ ...DINGTALK_TEST_APP, robotCode: DINGTALK_TEST_APP.appKey })
    t = await createTestBot(
      {
        ...WECOM_TEST_ENV,
        DINGTALK_APP_KEY: DINGTALK_TEST_APP.appKey,
        DINGTALK_APP_SECRET: DINGTALK_TEST_APP.appSecret,
        DINGTALK_API_BASE: fake.url,
        DINGTALK_OAPI_BASE: fake.url,
        SANDBOX: 'on',
        ADMIN_USERS: 'sandbox:admin',
      },
      { now },
    )
    chat =
      channel === 'sandbox'
        ? sandboxDriver(t)
        : channel === 'wecom'
          ? wecomDriver(t, now)
          : dingtalkDriver(t, fake, now)
    for (const line of [
      '添加对象 王建国 铁炉嘴村 在乡复员军人',
      '添加对象 李四 铁炉嘴村 义务兵家庭 农村',
      '添加对象 周永强 童家坝村 义务兵家庭 城镇',
      '优待金标准 2026 农村5800 城镇8600',
      `设置角色 ${channel}:boss 领导`,
    ]) {
      await say(t, 'admin', line)
    }
  }, 30_000)
  afterEach(async () => {
    await t.cleanup()
    await fake.close()
  })

  it('answers each question with the command that knows, and stores nothing', async () => {
    const seqBefore = await t.redis.get(t.keys.recordSeq())

    const answers: string[] = []
    for (const [question] of QUESTIONS) {
      answers.push((await chat.say('boss', question)).join('\n').replace(/\n(?=（)/g, ''))
    }

    QUESTIONS.forEach(([question, answer], i) => {
      expect({ question, reply: answers[i] }).toEqual({
        question,
        reply: expect.stringMatching(answer),
      })
    })
    expect(answers.join('\n')).not.toMatch(/没看懂|已登记|走访谁/)
    expect(await t.redis.get(t.keys.recordSeq())).toBe(seqBefore)
  }, 60_000)

  it('greets and helps by topic', async () => {
    const [hello] = await chat.say('boss', '你好')
    const [help] = await chat.say('boss', '帮助 优待金')

    expect(hello).toMatch(/^您好！我是双拥助手/)
    expect(help).toContain('· 统计 优待金 2026')
  }, 30_000)
})
