import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// A command word with one character slipped (docs/intents.md, "A mistyped word"): the corrected
// line is offered and nothing runs. The question command answers; which messages reach it is
// the parser's (src/bot/parse-command.ts nearCommand).

const JULY_29 = new Date('2026-07-29T02:00:00Z')

let t: TestBot

afterEach(async () => {
  await t.cleanup()
})

async function bot(): Promise<TestBot> {
  t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => JULY_29 })
  await seedTown(t)
  return t
}

describe('a slipped command word', () => {
  it.each([
    ['未走仿', '未走访'],
    ['走方 李一 今天 八一', '走访 李一 今天 八一'],
    ['统汁 八一', '统计 八一'],
    ['铳计 铁炉嘴村', '统计 铁炉嘴村'],
    ['年抱 2026', '年报 2026'],
  ])('「%s」 is offered as 「%s」, and nothing runs', async (typed, meant) => {
    await bot()

    const [reply] = await say(t, 'boss', typed)

    expect(reply).toBe(`没看懂「${typed.split(' ')[0]}」。您是不是要发「${meant}」？`)
  })

  // 统计 and 年报 run alone, so their slips come alone too.
  it.each([
    ['统记', '统计'],
    ['统汁', '统计'],
    ['铳计', '统计'],
    ['年抱', '年报'],
  ])('「%s」 alone is offered as 「%s」', async (typed, meant) => {
    await bot()

    expect(await say(t, 'boss', typed)).toEqual([`没看懂「${typed}」。您是不是要发「${meant}」？`])
  })

  it.each(['统一', '年底', '对的'])('「%s」 alone is no slip of a command', async (typed) => {
    await bot()

    const [reply] = await say(t, 'boss', typed)

    expect(reply).not.toContain('您是不是要发')
  })
})
