import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withoutMentions } from '../../../src/platforms/mentions.js'
import { createTestBot, say, type TestBot } from '../../support/bot.js'
import { seedTown } from '../../support/town.js'

const NOW = new Date('2026-07-31T02:00:00Z')

describe('withoutMentions', () => {
  it.each([
    ['@双拥助手 统计', '统计'],
    ['@双拥助手统计', '统计'],
    ['@双拥助手\u2005统计 八一', '统计 八一'],
    ['@双拥助手\u3000未走访', '未走访'],
    ['  @双拥助手 @双拥助手 帮助 ', '帮助'],
    ['@张三 @双拥助手 统计', '统计'],
    ['备注 @张三 来电', '备注 @张三 来电'],
    ['统计', '统计'],
    ['@双拥助手', ''],
  ])('%j reads as %j', (typed, command) => {
    expect(withoutMentions(typed)).toBe(command)
  })
})

describe('a sandbox group message that @-mentions the bot (issue 12, part 5)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when a leader writes 「@双拥助手 统计」 in a group, answers 统计 as in a private chat', async () => {
    const [inGroup] = await say(t, 'boss', '@双拥助手 统计', { chat: 'town-group' })
    const [alone] = await say(t, 'boss', '统计')

    expect(inGroup).toMatch(/^2026 八一走访/)
    expect(inGroup).toBe(alone)
  })

  it('when the mention is typed without a space, still understands the command', async () => {
    const [reply] = await say(t, 'boss', '@双拥助手帮助', { chat: 'town-group' })

    expect(reply).not.toMatch(/没看懂/)
    expect(reply).toContain('统计')
  })
})
