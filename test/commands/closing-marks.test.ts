import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-28 10:00 in Shanghai: four days before 八一, as the tester had it.
const NOW = new Date('2026-07-28T02:00:00Z')

// A command ended as a sentence is (`统计。`, `未走访！`) used to be refused with 没看懂「。」,
// though 帮助 says full-width punctuation is fine (docs/intents.md, "A closing mark").
describe('a command followed by 。！？', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['li', '统计。', '统计'],
    ['li', '统计？', '统计'],
    ['li', '統計！', '统计'],
    ['li', '未走访！', '未走访'],
    ['li', '未走訪 八一～', '未走访 八一'],
    ['li', '未发放。', '未发放'],
    ['li', '统计 八一。', '统计 八一'],
    ['li', '统计 八一……', '统计 八一'],
    ['li', '统计 优待金。', '统计 优待金'],
    ['boss', '统计 2026。八一', '统计 2026 八一'],
    ['boss', '统计 八一。铁炉嘴村？', '统计 八一 铁炉嘴村'],
    ['li', '我的记录？', '我的记录'],
    ['li', '我的记录。', '我的记录'],
    ['li', '我的記錄 本周！', '我的记录 本周'],
    ['boss', '年报。', '年报'],
    ['boss', '年报 2026。', '年报 2026'],
    ['boss', '年報 2026年？', '年报 2026'],
    ['li', '对象 张三。', '对象 张三'],
    ['li', '花名册 铁炉嘴村。', '花名册 铁炉嘴村'],
  ])('%s: 「%s」 is answered as 「%s」', async (user, typed, plain) => {
    const [reply] = await say(t, user, typed)

    expect(reply).not.toMatch(/没看懂|请写/)
    expect(reply).toBe((await say(t, user, plain))[0])
  })

  it('a record number followed by 。 is withdrawn', async () => {
    const [stored] = await say(t, 'li', '走访 张三 今天 八一 慰问金500元')
    const id = /#(\d+)/.exec(stored!)![1]

    expect((await say(t, 'li', `撤销 #${id}。`))[0]).toMatch(/^已撤销/)
  })

  it('keeps the closing mark of a need, which is the family’s own words', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 八一 备注 房屋漏雨，需修缮。')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/)
    expect(reply).toContain('需求：房屋漏雨，需修缮。（已记为待办）')
  })

  it('keeps the closing mark of a reminder’s text', async () => {
    const [reply] = await say(t, 'li', '提醒 明天上午9点 联系武警中队！')

    // Stored as typed, its full-width mark kept, and no second mark added after it.
    expect(reply).toContain('联系武警中队！')
    expect(reply).not.toContain('联系武警中队！。')
  })
})
