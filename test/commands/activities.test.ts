import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-12-02 10:00 in Shanghai.
const NOW = new Date('2026-12-02T02:00:00Z')

describe('活动 in the words of the trade (issue 12, part 4)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('reads 观众300人 at a 晚会 as its audience', async () => {
    const [reply] = await say(t, 'admin', '活动 晚会 今天 观众300人')

    expect(reply).toMatch(/^已登记 #\d+：2026-12-02 全镇 晚会，300 人。\n撤销请回复「撤销 #\d+」$/)
  })

  it('keeps where it was held (地点…, 在…) in its notes, with a 备注 after it', async () => {
    const [forum] = await say(t, 'admin', '活动 今天 座谈会 20人 地点村委会')
    const [gala] = await say(
      t,
      'admin',
      '活动 晚会 昨天 在文化广场 观众300人 备注 军民联欢；很热闹',
    )
    const [colon] = await say(t, 'admin', '活動 座談會 11月30日 地點：鎮政府 人數15')

    expect(forum).toMatch(/^已登记 #\d+：2026-12-02 全镇 座谈会，20 人，备注：地点：村委会。/)
    expect(gala).toMatch(
      /^已登记 #\d+：2026-12-01 全镇 晚会，300 人，备注：地点：文化广场，军民联欢;很热闹。/,
    )
    expect(colon).toMatch(/^已登记 #\d+：2026-11-30 全镇 座谈会，15 人，备注：地点：鎮政府。/)
    expect(await say(t, 'admin', '活动 座谈会 今天 在')).toEqual([
      expect.stringMatching(/^没看懂「在」。/),
    ])
  })

  it('reads 参加80人 and 到场 45 人 as the count', async () => {
    const [forum] = await say(t, 'admin', '活动 座谈会 昨天 参加80人')
    const [award] = await say(t, 'admin', '活动 表彰会 今天 到场 45 人')

    expect(forum).toMatch(/^已登记 #\d+：2026-12-01 全镇 座谈会，80 人。/)
    expect(award).toMatch(/^已登记 #\d+：2026-12-02 全镇 表彰会，45 人。/)
  })

  it('stores 慰问部队 with the unit’s name, and 慰问驻地部队 as the same kind', async () => {
    const [armed] = await say(t, 'admin', '活动 慰问部队 武警中队 今天')
    const [garrison] = await say(
      t,
      'admin',
      '活动 慰问驻地部队 消防救援站 今天 参加12人 备注 送春联',
    )

    expect(armed).toMatch(/^已登记 #\d+：2026-12-02 全镇 慰问部队 武警中队。/)
    expect(garrison).toMatch(
      /^已登记 #\d+：2026-12-02 全镇 慰问部队 消防救援站，12 人，备注：送春联。/,
    )
    const id = Number(/#(\d+)/.exec(armed!)![1])
    const stored = await t.bot.services.records.getRecord(id)
    expect(stored).toMatchObject({
      kind: 'activity',
      activityKind: '慰问部队',
      unitName: '武警中队',
      notes: undefined,
    })
  })

  it('asks which unit when 慰问部队 names none', async () => {
    const [asked] = await say(t, 'admin', '活动 慰问部队 今天')
    const [stored] = await say(t, 'admin', '人武部')

    expect(asked).toBe('慰问的是哪支部队？\n如「武警中队」「消防救援站」。')
    expect(stored).toMatch(/^已登记 #\d+：2026-12-02 全镇 慰问部队 人武部。/)
  })

  it('files a cadre’s 座谈会 under the cadre’s one village', async () => {
    const [reply] = await say(t, 'li', '活动 座谈会 今天 人数40')

    expect(reply).toMatch(/^已登记 #\d+：2026-12-02 铁炉嘴村 座谈会，40 人。/)
  })

  it('keeps 全镇 for a leader, and a cadre of several villages without a village word', async () => {
    await t.bot.services.roles.set(
      'sandbox:two',
      { role: 'cadre', villages: ['铁炉嘴村', '童家坝村'], setBy: 'test', setAt: '' },
      { actor: 'sandbox:admin', at: NOW, idempotencyKey: 'role-two' },
    )
    const [leader] = await say(t, 'boss', '活动 座谈会 今天')
    // Another 全镇 座谈会 the same day would be held as a repeat (activity-duplicates.test.ts).
    const [two] = await say(t, 'two', '活动 表彰会 今天')
    const [named] = await say(t, 'two', '活动 座谈会 今天 童家坝村')

    expect(leader).toMatch(/：2026-12-02 全镇 座谈会。/)
    expect(two).toMatch(/：2026-12-02 全镇 表彰会。/)
    expect(named).toMatch(/：2026-12-02 童家坝村 座谈会。/)
  })

  it('reads a head count written in characters (人数十五, 二十人), in the line and as the answer', async () => {
    const [fifteen] = await say(t, 'admin', '活动 座谈会 昨天 人数十五')
    const [twenty] = await say(t, 'admin', '活动 表彰会 今天 二十人')
    await say(t, 'admin', '活动 军训 今天')
    const [trained] = await say(t, 'admin', '两千')

    expect(fifteen).toMatch(/^已登记 #\d+：2026-12-01 全镇 座谈会，15 人。/)
    expect(twenty).toMatch(/^已登记 #\d+：2026-12-02 全镇 表彰会，20 人。/)
    expect(trained).toMatch(/^已登记 #\d+：2026-12-02 全镇 军训，2000 人。/)
  })

  it('reads 全镇, the word its replies use, as no one village, for a cadre of one village too', async () => {
    const [leader] = await say(t, 'boss', '活动 座谈会 今天 全镇')
    const [cadre] = await say(t, 'li', '活动 表彰会 全乡 今天')
    const [unit] = await say(t, 'boss', '活动 慰问部队 全镇 武警中队 今天')

    expect(leader).toMatch(/^已登记 #\d+：2026-12-02 全镇 座谈会。/)
    expect(cadre).toMatch(/^已登记 #\d+：2026-12-02 全镇 表彰会。/)
    expect(unit).toMatch(/^已登记 #\d+：2026-12-02 全镇 慰问部队 武警中队。/)
  })

  it('refuses an unknown word with examples of the trade’s words', async () => {
    const [reply] = await say(t, 'admin', '活动 茶话 今天')

    expect(reply).toBe(
      '没看懂「茶话」。例：活动 座谈会 7月30日 观众40人；活动 慰问部队 武警中队 今天；活动 共建点 学校 铁炉嘴村。',
    )
  })

  it('refuses a unit name over 30 characters', async () => {
    const [reply] = await say(t, 'admin', `活动 慰问部队 ${'某'.repeat(31)} 今天`)

    expect(reply).toBe('部队名称请在 30 字以内，如「武警中队」。')
  })

  it('a head count far above the usual for its kind is held for 「确认」, or corrected by the answer', async () => {
    const [held] = await say(t, 'li', '活动 座谈会 今天 人数117441')
    const [fixed] = await say(t, 'li', '40')
    const [gala] = await say(t, 'li', '活动 晚会 今天 观众3000人')

    expect(held).toBe(
      '座谈会 117,441 人，超过常见的 1,000 人，未登记。如确有此事请回复「确认」；人数有误请回复正确人数，如「40」。',
    )
    expect(fixed).toMatch(/^已登记 #\d+：.*座谈会，40 人/)
    expect(gala).toMatch(/^已登记 #\d+/)
    const id = /#(\d+)/.exec(fixed!)![1]
    expect(await say(t, 'li', `修改 #${id} 人数 3600`)).toEqual([
      `座谈会 3,600 人，超过常见的 1,000 人，未修改。如确有此事请发送「修改 #${id} 人数 3600 确认」。`,
    ])
  })
})

describe('活动 lines with the punctuation a phone keyboard adds', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['活动 座谈会,今天,人数40。', '全镇 座谈会，40 人。'],
    ['活动 慰问部队 武警中队 今天。', '全镇 慰问部队 武警中队。\n'],
    ['活动 晚会 今天 人数300! 备注 迎春晚会,很成功。', '全镇 晚会，300 人'],
    ['活动 座谈会 人数:40、今天', '全镇 座谈会，40 人。'],
  ])('reads 「%s」', async (text, stored) => {
    const [reply] = await say(t, 'admin', text)

    expect(reply).toContain(stored)
    expect(reply).not.toContain('。。')
  })
})
