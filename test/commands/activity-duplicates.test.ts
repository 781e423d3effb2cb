import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Asia/Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z')

const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

describe('an activity sent twice is held for 「确认」, as a same-day repeat visit is', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const forums = async (village = '铁炉嘴村') =>
    (await t.bot.services.tallies.readActivityTally(2026)).byVillage[village]!.byKind['座谈会']

  it('holds the second 座谈会 of the village that day, says which is there, and stores it on 确认', async () => {
    const [first] = await say(t, 'li', '活动 座谈会 今天 人数40')
    const [held] = await say(t, 'li', '活动 座谈会 今天 人数40')
    const whileHeld = await forums()
    const [confirmed] = await say(t, 'li', '确认')

    expect(first).toMatch(/^已登记 #\d+：2026-12-02 铁炉嘴村 座谈会，40 人。/)
    expect(held).toBe(
      [
        `铁炉嘴村 2026-12-02 已登记过座谈会（#${idOf(first)}，li，40 人），这次未登记。`,
        '确是又一次活动请回复「确认」，否则不用回复。',
      ].join('\n'),
    )
    expect(whileHeld).toEqual({ activities: 1, people: 40 })
    expect(confirmed).toMatch(/^已登记 #\d+：2026-12-02 铁炉嘴村 座谈会，40 人。/)
    expect(idOf(confirmed)).not.toBe(idOf(first))
    expect(await forums()).toEqual({ activities: 2, people: 80 })
  })

  it('reads the repeat in traditional characters and full-width punctuation too', async () => {
    const [first] = await say(t, 'li', '活动 座谈会 今天 人数40')
    const phrasings = [
      '活動 座談會 今天 人數40',
      '活动 座谈会，今天，人数40。',
      '活动：座谈会 今天 参加40人。',
      '活动 座谈会 12月2日 到场 45 人',
    ]
    for (const text of phrasings) {
      // Each new one closes the hold before it (「之前等您「确认」的…已放下」) and is held itself.
      const held = (await say(t, 'li', text)).join('\n')
      expect(held, text).toContain(
        `铁炉嘴村 2026-12-02 已登记过座谈会（#${idOf(first)}，li，40 人），这次未登记。`,
      )
    }
    const [declined] = await say(t, 'li', '不用')

    expect(declined).toBe('好的，这次未登记。')
    expect(await forums()).toEqual({ activities: 1, people: 40 })
  })

  it('stores another date, another kind, another village, unit or site kind without asking', async () => {
    await say(t, 'li', '活动 座谈会 今天 人数40')
    await say(t, 'admin', '活动 慰问部队 武警中队 今天 人数12')
    await say(t, 'admin', '活动 共建点 学校 铁炉嘴村 今天')

    const replies = [
      ...(await say(t, 'li', '活动 座谈会 昨天 人数40')),
      ...(await say(t, 'li', '活动 表彰会 今天 人数40')),
      ...(await say(t, 'boss', '活动 座谈会 今天 童家坝村')),
      ...(await say(t, 'boss', '活动 座谈会 今天')),
      ...(await say(t, 'admin', '活动 慰问部队 消防救援站 今天')),
      ...(await say(t, 'admin', '活动 共建点 村 铁炉嘴村 今天')),
    ]

    expect(replies.map((r) => r.split('\n')[0])).toEqual([
      expect.stringMatching(/^已登记 #\d+：2026-12-01 铁炉嘴村 座谈会，40 人。$/),
      expect.stringMatching(/^已登记 #\d+：2026-12-02 铁炉嘴村 表彰会，40 人。$/),
      expect.stringMatching(/^已登记 #\d+：2026-12-02 童家坝村 座谈会。$/),
      expect.stringMatching(/^已登记 #\d+：2026-12-02 全镇 座谈会。$/),
      expect.stringMatching(/^已登记 #\d+：2026-12-02 全镇 慰问部队 消防救援站。$/),
      expect.stringMatching(/^已登记 #\d+：2026-12-02 铁炉嘴村 共建点，村。$/),
    ])
  })

  it('holds the same unit visited twice, and the same 共建点, whoever sends it', async () => {
    const [troops] = await say(t, 'admin', '活动 慰问部队 武警中队 今天 人数12')
    const [site] = await say(t, 'admin', '活动 共建点 学校 铁炉嘴村 今天')

    const [againTroops] = await say(t, 'boss', '活动 慰问驻地部队，武警中队，今天。')
    const [againSite] = await say(t, 'li', '活动 共建点 学校 今天')

    expect(againTroops).toBe(
      [
        `全镇 2026-12-02 已登记过慰问部队 武警中队（#${idOf(troops)}，admin，12 人），这次未登记。`,
        '确是又一次活动请回复「确认」，否则不用回复。',
      ].join('\n'),
    )
    expect(againSite).toMatch(
      new RegExp(`^铁炉嘴村 2026-12-02 已登记过共建点 学校（#${idOf(site)}，admin），这次未登记。`),
    )
  })

  it('holds a repeat completed over several turns at its last answer, and keeps its notes on 确认', async () => {
    await say(t, 'admin', '活动 慰问部队 武警中队 今天')
    await say(t, 'admin', '活动 慰问部队 今天 备注 送春联')

    const [held] = await say(t, 'admin', '武警中队')
    const [confirmed] = await say(t, 'admin', '确认')

    expect(held).toMatch(/^全镇 2026-12-02 已登记过慰问部队 武警中队（#\d+，admin），这次未登记。/)
    expect(confirmed).toMatch(/^已登记 #\d+：2026-12-02 全镇 慰问部队 武警中队，备注：送春联。/)
  })

  it('a withdrawn activity holds nothing, nor does one moved to another day by 修改', async () => {
    const [first] = await say(t, 'li', '活动 座谈会 今天 人数40')
    await say(t, 'li', `修改 #${idOf(first)} 日期 昨天`)
    const [second] = await say(t, 'li', '活动 座谈会 今天 人数40')
    await say(t, 'li', `撤销 #${idOf(second)}`)

    const [third] = await say(t, 'li', '活动 座谈会 今天 人数40')

    expect(second).toMatch(/^已登记 #\d+：2026-12-02 铁炉嘴村 座谈会/)
    expect(third).toMatch(/^已登记 #\d+：2026-12-02 铁炉嘴村 座谈会/)
  })

  it('a redelivered message is answered from the first write, not held', async () => {
    const [first] = await say(t, 'li', '活动 座谈会 今天 人数40', { id: 'm-forum' })
    const [again] = await say(t, 'li', '活动 座谈会 今天 人数40', { id: 'm-forum' })

    expect(first).toMatch(/^已登记 #\d+/)
    expect(again).toBe(`这条消息已处理过（记录 #${idOf(first)}），无需重发。`)
    expect(await forums()).toEqual({ activities: 1, people: 40 })
  })

  it('a command while held closes the hold, saying so once', async () => {
    await say(t, 'li', '活动 座谈会 今天 人数40')
    await say(t, 'li', '活动 座谈会 今天 人数40')

    const replies = await say(t, 'li', '统计 活动')
    const [after] = await say(t, 'li', '确认')

    expect(replies.at(-1)).toBe(
      '之前等您「确认」的活动登记（座谈会 铁炉嘴村 2026-12-02 40 人）已放下，未登记。',
    )
    expect(after).not.toMatch(/^已登记/)
    expect(await forums()).toEqual({ activities: 1, people: 40 })
  })

  it('a 修改 of a 慰问部队’s 备注 keeps its unit, so the repeat is still held', async () => {
    const [first] = await say(t, 'admin', '活动 慰问部队 武警中队 今天 备注 送春联')
    const id = idOf(first)

    const [corrected] = await say(t, 'admin', `修改 #${id} 备注 送对联`)
    const [shown] = await say(t, 'admin', `查看 #${id}`)
    const [held] = await say(t, 'admin', '活动 慰问部队 武警中队 今天')

    expect(corrected).toBe(`已修改 #${id} 全镇 慰问部队：备注 送春联 → 送对联`)
    expect(shown).toContain('2026-12-02 全镇 慰问部队 武警中队，备注：送对联')
    expect(held).toMatch(/^全镇 2026-12-02 已登记过慰问部队 武警中队（#\d+，admin），这次未登记。/)
  })

  it('a 修改 that would make an activity a second one of its day is refused, showing the other', async () => {
    const [today] = await say(t, 'li', '活动 座谈会 今天 人数40')
    const [yesterday] = await say(t, 'li', '活动 座谈会 昨天 人数35')

    const [refused] = await say(t, 'li', `修改 #${idOf(yesterday)} 日期 今天`)
    const [count] = await say(t, 'li', `修改 #${idOf(yesterday)} 人数 36`)

    expect(refused).toBe(
      [
        `改后会与 #${idOf(today)} 重复，#${idOf(yesterday)} 未修改：`,
        `#${idOf(today)} 2026-12-02 铁炉嘴村 座谈会 40 人（li 登记）`,
        `如 #${idOf(yesterday)} 是重复登记，请回复「撤销 #${idOf(yesterday)}」。`,
      ].join('\n'),
    )
    expect(count).toBe(`已修改 #${idOf(yesterday)} 铁炉嘴村 座谈会：人数 35 → 36`)
    expect(await forums()).toEqual({ activities: 2, people: 76 })
  })
})
