import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseRecordLine } from '../../src/parse/record-line.js'
import type { Visit } from '../../src/records/schemas.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// `送了慰问金二百元`, `送去米一袋`, `带了油一桶`: the verb a cadre says before what was given is no
// name (送了 was looked up as a second person, and 送了米 stored as goods).

// 2026-12-02 10:00 in Asia/Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z')
const OPTIONS = { now: NOW, timezone: 'Asia/Shanghai' }

describe('a visit line saying what was given', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])
  const stored = async (reply: string | undefined) =>
    (await t.bot.services.records.getRecord(idOf(reply))) as Visit

  it('走访李二，昨天，元旦，送了慰问金二百元 is one visit to 李二 with 200 元', async () => {
    const [reply] = await say(t, 'li', '走访李二，昨天，元旦，送了慰问金二百元')

    expect(reply).toMatch(/^已登记 #\d+：2026-12-01 元旦走访（2027 元旦）铁炉嘴村 李二/)
    expect(reply).toContain('慰问金 200 元')
    expect(reply).not.toContain('送了')
    expect(await stored(reply)).toMatchObject({
      date: '2026-12-01',
      occasion: '元旦',
      cashFen: 20_000,
    })
  })

  it('走访李二 昨天 送了米一袋 stores the rice once the occasion is answered', async () => {
    const [asked] = await say(t, 'li', '走访李二 昨天 送了米一袋')
    const [reply] = await say(t, 'li', '日常')

    expect(asked).toMatch(/^这次是哪类走访？/)
    expect(reply).toMatch(/^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 李二/)
    expect((await stored(reply)).goods).toEqual([{ name: '米', quantity: 1, unit: '袋' }])
  })

  it('慰问了李二，送去慰问金300元 asks only the date and the occasion', async () => {
    const [date] = await say(t, 'li', '慰问了李二，送去慰问金300元')
    const [occasion] = await say(t, 'li', '昨天')
    const [reply] = await say(t, 'li', '日常')

    expect(date).toBe('走访日期？如「今天」「7月30日」。')
    expect(occasion).toMatch(/^这次是哪类走访？/)
    expect(reply).toMatch(/^已登记 #\d+：2026-12-01 日常走访 铁炉嘴村 李二/)
    expect(await stored(reply)).toMatchObject({ cashFen: 30_000, goods: [] })
  })
})

describe('parseRecordLine and the verbs of giving', () => {
  it.each([
    ['李二 送了慰问金二百元', { amountFen: 20_000 }],
    ['李二 送去慰问金300元', { amountFen: 30_000 }],
    ['李二 给了200元', { amountFen: 20_000 }],
    ['李二 给了五百', { amountFen: 50_000 }],
    ['李二 给200元', { amountFen: 20_000 }],
    ['李二送了200元', { amountFen: 20_000 }],
    ['李二 送了米一袋', { goods: [{ name: '米', quantity: 1, unit: '袋' }] }],
    ['李二 带了油一桶', { goods: [{ name: '油', quantity: 1, unit: '桶' }] }],
    ['李二 送米一袋', { goods: [{ name: '米', quantity: 1, unit: '袋' }] }],
    ['李二 送 慰问金200元', { amountFen: 20_000 }],
  ])('%s names only 李二', (text, read) => {
    const line = parseRecordLine(text, OPTIONS)

    expect(line.words).toEqual(['李二'])
    expect(line).toMatchObject(read)
  })

  it.each([
    ['李二 带鱼2条', { name: '带鱼', quantity: 2, unit: '条' }],
    ['李二 发糕2盒', { name: '发糕', quantity: 2, unit: '盒' }],
  ])('%s keeps goods whose name begins like a verb', (text, goods) => {
    expect(parseRecordLine(text, OPTIONS)).toMatchObject({ words: ['李二'], goods: [goods] })
  })

  it.each([
    [
      '李二 送了两袋米、一桶油',
      [
        { name: '米', quantity: 2, unit: '袋' },
        { name: '油', quantity: 1, unit: '桶' },
      ],
    ],
    ['李二 带了一桶油', [{ name: '油', quantity: 1, unit: '桶' }]],
    ['李二送了5斤猪肉', [{ name: '猪肉', quantity: 5, unit: '斤' }]],
  ])('%s reads goods counted first after the verb', (text, goods) => {
    expect(parseRecordLine(text, OPTIONS)).toMatchObject({ words: ['李二'], goods })
  })

  it('a word counted first without a verb before it is no goods (三台村)', () => {
    expect(parseRecordLine('三台村 李二', OPTIONS)).toMatchObject({
      words: ['三台村', '李二'],
      goods: [],
    })
  })

  it('a verb inside a 备注 stays there', () => {
    const line = parseRecordLine('李二 昨天 日常 备注 下次送了米再来', OPTIONS)

    expect(line).toMatchObject({ words: ['李二'], note: '下次送了米再来' })
  })

  it('了 left by 慰问了 is no part of the name', () => {
    expect(parseRecordLine('了李二,昨天', OPTIONS).words).toEqual(['李二'])
  })
})
