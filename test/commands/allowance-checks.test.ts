import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-20 10:00 in Asia/Shanghai, before the allowance's 07-31 deadline. The seeded
// standards: 2025 农村 5,500 / 城镇 8,300, 2026 农村 5,800 / 城镇 8,600 (support/town.ts).
const NOW = new Date('2026-07-20T02:00:00Z')

/** The record a reply names (已登记 #N). */
const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

describe('a payment clearly below the standard waits for 「确认」 (a tester: 580 for 5,800)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const payments = async () => (await t.bot.services.tallies.readAllowanceTally(2026)).total
  const form = () => t.redis.get(t.keys.form('sandbox', 'li', 'li'))
  const HELD_580 = [
    '金额 580 元，低于 2026 年农村标准 5,800 元，未登记。',
    '确认无误（如分次发放）请回复「确认」；金额有误请回复正确金额，如「5800元」。',
  ].join('\n')

  it('when 580 元 is sent for a 5,800 family, holds it naming both amounts, and stores nothing', async () => {
    const [held] = await say(t, 'li', '发放优待金 李一 580元 今天')

    expect(held).toBe(HELD_580)
    expect(await payments()).toMatchObject({ payments: 0, families: 0, sumFen: 0 })
    expect(await form()).not.toBeNull()
  })

  it('when 「确认」 follows, stores it and says what the family is still owed', async () => {
    await say(t, 'li', '发放优待金 李一 580元 今天')

    const [stored] = await say(t, 'li', '确认')

    expect(stored).toMatch(
      new RegExp(
        [
          '^已登记 #\\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李一（农村）580 元',
          '李一 2026 年已发 580 元，尚欠 5,220 元（农村标准 5,800 元）。',
          '铁炉嘴村已发 1/3 户。撤销请回复「撤销 #\\d+」$',
        ].join('\n'),
      ),
    )
    expect(await payments()).toMatchObject({ payments: 1, sumFen: 58_000 })
    expect(await form()).toBeNull()
  })

  it('when 「取消」 follows, stores nothing and a later 「确认」 stores nothing either', async () => {
    await say(t, 'li', '发放优待金 李一 580元 今天')

    const [cancelled] = await say(t, 'li', '取消')
    await say(t, 'li', '确认')

    expect(cancelled).toBe('已取消，未登记任何内容。')
    expect(await payments()).toMatchObject({ payments: 0, sumFen: 0 })
    expect(await form()).toBeNull()
  })

  it('when the right amount is answered, stores that at once', async () => {
    await say(t, 'li', '发放优待金 李一 580元 今天')

    const [stored] = await say(t, 'li', '5800元')

    expect(stored).toMatch(
      /^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元\n铁炉嘴村已发 1\/3 户。/,
    )
    expect(await payments()).toMatchObject({ payments: 1, sumFen: 580_000 })
  })

  it('when the answer is still clearly below, asks again and stores nothing', async () => {
    await say(t, 'li', '发放优待金 李一 580元 今天')

    const [again] = await say(t, 'li', '1000元')

    expect(again).toBe(
      '金额 1,000 元，低于 2026 年农村标准 5,800 元，未登记。\n确认无误（如分次发放）请回复「确认」；金额有误请回复正确金额，如「5800元」。',
    )
    expect((await payments()).payments).toBe(0)
  })

  it('when an urban family gets 860 元, holds it against the urban standard', async () => {
    const [held] = await say(t, 'boss', '发放优待金 王二 860元 今天')

    expect(held).toBe(
      '金额 860 元，低于 2026 年城镇标准 8,600 元，未登记。\n确认无误（如分次发放）请回复「确认」；金额有误请回复正确金额，如「8600元」。',
    )
    expect((await payments()).payments).toBe(0)
  })

  it('when half the standard or more is paid, stores it at once and says what is still owed', async () => {
    const [half] = await say(t, 'li', '发放优待金 李一 2900元 今天')
    const [most] = await say(t, 'li', '发放优待金 李二 5000元 今天')

    expect(half).toContain(
      '（农村）2,900 元\n李一 2026 年已发 2,900 元，尚欠 2,900 元（农村标准 5,800 元）。\n',
    )
    expect(most).toContain(
      '（农村）5,000 元\n李二 2026 年已发 5,000 元，尚欠 800 元（农村标准 5,800 元）。\n',
    )
    expect(most).toContain('\n铁炉嘴村已发 2/3 户。')
    expect((await payments()).payments).toBe(2)
  })

  it('when the standard itself is paid, the reply is as before, with no line on what is owed', async () => {
    const [reply] = await say(t, 'li', '发放优待金 李一 今天')

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元（按 2026 年农村标准）\n铁炉嘴村已发 1\/3 户。/,
    )
    expect(reply).not.toContain('尚欠')
  })

  it('when a 补发 is below the standard, it is not held for it (a 补发 is a part by nature)', async () => {
    await say(t, 'li', '发放优待金 李一 5000元 今天')

    const [topUp] = await say(t, 'li', '补发优待金 李一 580元 今天')
    const [first] = await say(t, 'li', '补发优待金 李二 580元 今天')

    expect(topUp).toMatch(
      /^已登记 #\d+：2026-07-20 补发 2026 年优待金 铁炉嘴村 李一（农村）580 元\n/,
    )
    // A 补发 that is the family's first payment this year: within what is owed, stored too.
    expect(first).toMatch(
      /^已登记 #\d+：2026-07-20 补发 2026 年优待金 铁炉嘴村 李二（农村）580 元\n/,
    )
    expect(first).toContain('\n李二 2026 年已发 580 元，尚欠 5,220 元（农村标准 5,800 元）。\n')
    expect((await payments()).payments).toBe(3)
  })

  it('when the family was already paid this year, holds it once, as a repeat, not twice', async () => {
    const [paid] = await say(t, 'li', '发放优待金 李一 7月10日')

    const [held] = await say(t, 'li', '发放优待金 李一 580元 今天')

    expect(held).toBe(
      [
        `李一 2026 年优待金已于 07-10 发放 5,800 元（#${idOf(paid)}），这次未登记。`,
        '李一 2026 年已发 5,800 元，已发足农村标准 5,800 元；确需再发一笔请回复「确认」，否则不用回复。',
      ].join('\n'),
    )
  })

  it('when several families are paid in one message, the one below is left out and said so', async () => {
    const [reply] = await say(t, 'li', '发放优待金\n李一 580元 今天\n李二 今天')

    expect(reply).toMatch(/^已登记 1 条优待金发放：\n/)
    expect(reply).toContain('李二（农村）5,800 元')
    expect(reply).toContain('未登记 1 条：\n李一：还差确认金额，请单独发送')
    expect(await payments()).toMatchObject({ payments: 1, sumFen: 580_000 })
  })
})

describe('a repeat payment’s 补发 hint names what the family is still owed', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when a family paid 5,000 is sent the standard again, the hint is the 补发 of the 800 owed', async () => {
    const [first] = await say(t, 'li', '发放优待金 李一 5000元 7月10日')

    const [held] = await say(t, 'li', '发放优待金 李一 今天')
    const [topUp] = await say(t, 'li', '补发优待金 李一 800元')

    expect(held).toBe(
      [
        `李一 2026 年优待金已于 07-10 发放 5,000 元（#${idOf(first)}），这次未登记。`,
        '尚欠 800 元（农村标准 5,800 元），补发差额请发「补发优待金 李一 800元」；确需再发一笔请回复「确认」，否则不用回复。',
      ].join('\n'),
    )
    expect(topUp).toContain('\n李一 2026 年已发 5,800 元，已发足农村标准 5,800 元。\n')
  })

  it('when the amount typed is within what is owed, the hint keeps it', async () => {
    await say(t, 'li', '发放优待金 李一 5000元 7月10日')

    const [held] = await say(t, 'li', '发放优待金 李一 600元 今天')

    // Clearly below the standard, but the family has a payment: held once, as a repeat.
    expect(held!.split('\n')[1]).toBe(
      '尚欠 800 元（农村标准 5,800 元），补发差额请发「补发优待金 李一 600元」；确需再发一笔请回复「确认」，否则不用回复。',
    )
  })
})

describe('优待金标准: a standard that looks like a slip is refused or held (docs/figures.md)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const standard = (year: number) => t.bot.services.allowances.getAllowanceStandard(year)
  const form = () => t.redis.get(t.keys.form('sandbox', 'admin', 'admin'))

  it('when the standard is near the year before’s, sets it at once, as before', async () => {
    const [reply] = await say(t, 'admin', '优待金标准 2027 农村6000 城镇9000')

    expect(reply).toBe('已设置 2027 年优待金标准：农村 6,000 元，城镇 9,000 元。')
    expect(await standard(2027)).toEqual({ mode: 'split', ruralFen: 600_000, urbanFen: 900_000 })
    expect(await form()).toBeNull()
  })

  it('when 设置优待金标准 2027 统一58元 is sent, refuses it and sets nothing', async () => {
    const [reply] = await say(t, 'admin', '设置优待金标准 2027 统一58元')

    expect(reply).toBe(
      '统一标准 58 元 低于 100 元，不像一年的优待金标准，未设置。请核对金额。格式：优待金标准 年份 农村金额 城镇金额，如「优待金标准 2027 农村5800 城镇8600」；统一标准如「优待金标准 2027 统一8600」。',
    )
    expect(await standard(2027)).toBeUndefined()
  })

  it('when 5,800,000 元 is sent, refuses it and sets nothing', async () => {
    const [reply] = await say(t, 'admin', '优待金标准 2027 农村5800000元 城镇8600')

    expect(reply).toMatch(/^农村标准 5,800,000 元 超过 10 万元，未设置，请核对单位。格式：/)
    expect(await standard(2027)).toBeUndefined()
  })

  it('when no 农村/城镇/统一 is written (设置优待金标准 2026 58 元), says the format and keeps the standard', async () => {
    const [reply] = await say(t, 'admin', '设置优待金标准 2026 58 元')

    expect(reply).toMatch(/^格式：优待金标准 年份 农村金额 城镇金额/)
    expect(await standard(2026)).toEqual({ mode: 'split', ruralFen: 580_000, urbanFen: 860_000 })
  })

  it('when a figure is below 1,000 元, holds it with the year before’s, and sets nothing until 「确认」', async () => {
    const [held] = await say(t, 'admin', '优待金标准 2027 农村580 城镇8600')
    const whileHeld = await standard(2027)
    const [set] = await say(t, 'admin', '确认')

    expect(held).toBe(
      [
        '2027 年优待金标准（农村 580 元，城镇 8,600 元）未设置：',
        '农村 580 元 低于 1,000 元。',
        '2026 年标准：农村 5,800 元，城镇 8,600 元。',
        '确有此事请回复「确认」；有误请回复正确标准，如「农村5800 城镇8600」；不设置请回复「取消」。',
      ].join('\n'),
    )
    expect(whileHeld).toBeUndefined()
    expect(set).toBe('已设置 2027 年优待金标准：农村 580 元，城镇 8,600 元。')
    expect(await standard(2027)).toEqual({ mode: 'split', ruralFen: 58_000, urbanFen: 860_000 })
  })

  it('when 「取消」 follows the hold, sets nothing', async () => {
    await say(t, 'admin', '优待金标准 2027 农村580 城镇8600')

    const [cancelled] = await say(t, 'admin', '取消')

    expect(cancelled).toBe('已取消，未登记任何内容。')
    expect(await standard(2027)).toBeUndefined()
    expect(await form()).toBeNull()
  })

  it('when the hold is answered with a corrected standard, sets that', async () => {
    await say(t, 'admin', '优待金标准 2027 农村580 城镇8600')

    const [set] = await say(t, 'admin', '农村5800 城镇8600')

    expect(set).toBe('已设置 2027 年优待金标准：农村 5,800 元，城镇 8,600 元。')
    expect(await standard(2027)).toEqual({ mode: 'split', ruralFen: 580_000, urbanFen: 860_000 })
  })

  it('when the corrected standard is a slip too, holds it again', async () => {
    await say(t, 'admin', '优待金标准 2027 农村580 城镇8600')

    const [again] = await say(t, 'admin', '农村5800 城镇86000')

    expect(again).toMatch(
      /^2027 年优待金标准（农村 5,800 元，城镇 86,000 元）未设置：\n城镇 86,000 元 高于 5 万元。\n/,
    )
    expect(await standard(2027)).toBeUndefined()
  })

  it('when a standard is ten times the year before’s, holds it saying so', async () => {
    const [held] = await say(t, 'admin', '优待金标准 2027 统一8600')
    const [far] = await say(t, 'admin', '优待金标准 2028 统一40000')

    expect(held).toBe('已设置 2027 年优待金标准：统一 8,600 元。')
    expect(far!.split('\n').slice(0, 3)).toEqual([
      '2028 年优待金标准（统一 40,000 元）未设置：',
      '统一 40,000 元 是 2027 年统一 8,600 元 的 5 倍。',
      '2027 年标准：统一 8,600 元。',
    ])
    expect(await standard(2028)).toBeUndefined()
  })

  it('when rural is above urban (the two swapped), holds it', async () => {
    const [held] = await say(t, 'admin', '优待金标准 2027 农村8600 城镇5800')

    expect(held!.split('\n')[1]).toBe('农村 8,600 元 高于城镇 5,800 元。')
    expect(await standard(2027)).toBeUndefined()
  })

  it('when the year before has no standard, a plausible one is set at once', async () => {
    const [reply] = await say(t, 'admin', '优待金标准 2030 统一9000')

    expect(reply).toBe('已设置 2030 年优待金标准：统一 9,000 元。')
  })

  it('when the hold waits and another command comes, the standard stays unset', async () => {
    await say(t, 'admin', '优待金标准 2027 农村580 城镇8600')

    const replies = await say(t, 'admin', '统计')

    expect(replies.join('\n')).not.toContain('已设置')
    expect(await standard(2027)).toBeUndefined()
  })
})

describe('a payment at the other household type’s standard is held (a tester: 8600 for a rural family)', () => {
  let t: TestBot
  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-07-21T02:00:00Z') },
    )
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })
  const payments = async () => (await t.bot.services.tallies.readAllowanceTally(2026)).total

  it('holds 8,600 for a rural family, stores it on 「确认」', async () => {
    const [held] = await say(t, 'li', '发放优待金 李二 8600元 今天')
    const whileHeld = await payments()
    const [stored] = await say(t, 'li', '确认')

    expect(held).toBe(
      [
        '金额 8,600 元是 2026 年城镇标准，',
        '李二是农村户（标准 5,800 元），未登记。',
        '确认无误请回复「确认」；',
        '金额有误请回复正确金额，如「5800元」。',
      ].join('\n'),
    )
    expect(whileHeld.payments).toBe(0)
    expect(stored).toMatch(
      /^已登记 #\d+：2026-07-21 发放 2026 年优待金 铁炉嘴村 李二（农村）8,600 元/,
    )
  })

  it('holds 5,800 for an urban family, and takes the corrected amount', async () => {
    await say(t, 'admin', '发放优待金 王二 5800元 今天')
    const [stored] = await say(t, 'admin', '8600元')

    expect(stored).toMatch(/童家坝村 王二（城镇）8,600 元/)
    expect((await payments()).sumFen).toBe(860_000)
  })
})

describe('the standards and deadline, read by anyone who pays or reports them (testers)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('shows a leader and a cadre the years around this one; only an administrator sets one', async () => {
    const shown = [
      '2025 年：农村 5,500 元，城镇 8,300 元；截止 2025-07-31（默认）',
      '2026 年：农村 5,800 元，城镇 8,600 元；截止 2026-07-31（默认）',
      '2027 年：未设置；截止 2027-07-31（默认）',
    ].join('\n')

    expect(await say(t, 'boss', '优待金标准')).toEqual([shown])
    // A year named is that year's alone (a tester got every year).
    expect(await say(t, 'li', '优待金标准 2026')).toEqual([shown.split('\n')[1]])
    expect(await say(t, 'boss', '优待金标准 2027 农村6000 城镇9000')).toEqual([
      '设置优待金标准需要管理员权限。\n发「优待金标准」可查看各年标准。',
    ])
    expect(await say(t, 'admin', '优待金标准')).toEqual([
      `${shown}\n设置请发如「优待金标准 2027 农村5800 城镇8600」。`,
    ])
    expect(await t.bot.services.allowances.getAllowanceStandard(2027)).toBeUndefined()
  })

  it.each([
    '优待金标准是多少',
    '今年优待金标准是多少',
    '农村优待金标准多少钱',
    '明年优待金标准定了吗',
  ])(
    '「%s」 asked in words is the standards (a tester was refused or not understood)',
    async (text) => {
      const [reply] = await say(t, 'li', text)

      expect(reply).toMatch(/^2025 年：农村 5,500 元，城镇 8,300 元；/)
    },
  )

  it('names a day that does not exist, and promises no reminder for a day already past', async () => {
    const [impossible] = await say(t, 'admin', '优待金截止 2027-02-30')
    const [past] = await say(t, 'admin', '优待金截止 2026-07-18')

    expect(impossible).toMatch(/^2027-02-30 不存在（2027年2月只有28天）/)
    expect(past).toBe(
      '已设置 2026 年优待金发放截止日期：2026-07-18（周六）。这一天已过，不再发截止提醒。',
    )
  })
})
