import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { asWordAndYear, takeAllowanceYear } from '../../src/commands/allowance-year.js'
import { UserFacingError } from '../../src/errors.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { CONSCRIPTS, seedTown } from '../support/town.js'

// Last year's allowance paid in January (testers: it could only be booked to the new year, or
// under a false December date). The seeded 2026 standards are 农村 5,800 / 城镇 8,600; 2027 has
// none, so a payment that fell into 2027 would be refused.

/** 2027-01-20 11:00 in Asia/Shanghai. */
const JANUARY = new Date('2027-01-20T03:00:00Z')

const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

describe('the allowance year a payment line names', () => {
  it.each([
    ['李一 2026年 5800元 1月18日', 2026, '李一 5800元 1月18日'],
    ['李一 2026年度 今天', 2026, '李一 今天'],
    ['李一 2026 年 今天', 2026, '李一 今天'],
    ['去年 李一', 2026, '李一'],
    ['李一,去年的优待金,5800元', 2026, '李一,,5800元'],
    ['上年度 李一', 2026, '李一'],
    ['今年 李一', 2027, '李一'],
    ['李一 2026年\n李二 2026年', 2026, '李一\n李二'],
    // A bare 2026 is this or last year, never 2,026 元 (a tester); 26年 and 二〇二六年 too.
    ['李一 2026', 2026, '李一'],
    ['李一 2026 5800', 2026, '李一 5800'],
    ['李一 26年', 2026, '李一'],
    ['李一 二〇二六年度', 2026, '李一'],
  ])('reads 「%s」 as %i, leaving 「%s」', (args, year, rest) => {
    expect(takeAllowanceYear(args, '2027-01-20')).toEqual({ args: rest, year })
  })

  it.each([
    '李一 2026年7月1日',
    '李一 去年12月30日',
    '李一 今天 备注 2026年度的',
    '李一',
    '李一 2000',
  ])('leaves 「%s」 as it is: a date’s year, or a note’s', (args) => {
    expect(takeAllowanceYear(args, '2027-01-20')).toEqual({ args })
  })

  it.each([
    ['李一 2026年 2027年', '写了两个年份（2026、2027），未登记。请只写一个。'],
    ['李一 2028年', '2028 年还没到，不能登记 2028 年优待金。'],
  ])('refuses 「%s」', (args, message) => {
    expect(() => takeAllowanceYear(args, '2027-01-20')).toThrow(new UserFacingError(message))
  })

  it.each([
    ['发放2026年优待金 李二 今天', '发放优待金 2026年 李二 今天'],
    ['补发去年的优待金 李三', '补发优待金 去年的 李三'],
    ['发2026年度优待金 李三', '发优待金 2026年度 李三'],
    ['发放优待金 李一', undefined],
  ])('moves the year out of the command word: 「%s」', (text, moved) => {
    expect(asWordAndYear(text)).toBe(moved)
  })
})

describe('paying last year’s allowance in January', () => {
  let t: TestBot
  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => JANUARY })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })
  const tally = async (year: number) =>
    (await t.bot.services.tallies.readAllowanceTally(year)).total
  /** 2027's standard, 农村 6,000 / 城镇 9,000 (the seeded town has none for 2027). */
  const setStandard2027 = () =>
    t.bot.services.allowances.setAllowanceStandard(
      2027,
      { mode: 'split', ruralFen: 600_000, urbanFen: 900_000 },
      { actor: 'sandbox:admin', at: JANUARY, idempotencyKey: 'standard-2027' },
    )

  it('counts a payment that names 2026 in 2026, dated the day it was paid', async () => {
    const [reply] = await say(t, 'li', '发放优待金 李一 2026年 5800元 1月18日')

    expect(reply).toBe(
      [
        '已登记 #13：2027-01-18 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元',
        '铁炉嘴村已发 1/3 户。撤销请回复「撤销 #13」',
        '已过 2026 年截止日期（07-31）171 天。',
      ].join('\n'),
    )
    expect(await t.bot.services.records.getRecord(13)).toMatchObject({
      kind: 'payment',
      year: 2026,
      date: '2027-01-18',
      amountFen: 580_000,
    })
    expect(await tally(2026)).toMatchObject({ payments: 1, sumFen: 580_000 })
    expect(await tally(2027)).toMatchObject({ payments: 0 })
  })

  it('reads the year inside the command word, 补发 included', async () => {
    const [paid] = await say(t, 'li', '发放2026年优待金 李二 今天')
    const [topUp] = await say(t, 'li', '补发去年优待金 李三 300元')

    expect(paid).toMatch(
      /^已登记 #\d+：2027-01-20 发放 2026 年优待金 铁炉嘴村 李二（农村）5,800 元/,
    )
    expect(topUp).toMatch(/^已登记 #\d+：2027-01-20 补发 2026 年优待金 铁炉嘴村 李三（农村）300 元/)
    expect(await t.bot.services.records.getRecord(idOf(topUp))).toMatchObject({
      year: 2026,
      topUp: true,
    })
    expect(await tally(2026)).toMatchObject({ payments: 2, sumFen: 610_000 })
  })

  it('holds a second payment of the year with the 补发 line naming the year', async () => {
    await say(t, 'li', '补发去年优待金 李三 300元')

    const [held] = await say(t, 'li', '发放优待金 李三 2026年度')

    expect(held).toContain('补发差额请发「补发优待金 李三 2026年 5500元」')
    expect(await tally(2026)).toMatchObject({ payments: 1 })
  })

  it('says a family already paid in full is, with no 补发 to copy', async () => {
    await say(t, 'li', '发放优待金 李一 2026年 今天')

    const [held] = await say(t, 'li', '发放优待金 李一 2026年')

    expect(held).toContain(
      '李一 2026 年已发 5,800 元，已发足农村标准 5,800 元；确需再发一笔请回复「确认」',
    )
    expect(held).not.toContain('补发优待金')
  })

  it.each([
    ['发放优待金 李一 2025年', '2025 年优待金只能在 2025 年或 2026 年内登记，未登记。'],
    ['发放优待金 李一 2028年', '2028 年还没到，不能登记 2028 年优待金。'],
    ['发放优待金 李一 2026年 2027年', '写了两个年份（2026、2027），未登记。请只写一个。'],
  ])('refuses 「%s」 and stores nothing', async (text, message) => {
    const [reply] = await say(t, 'li', text)

    expect(reply).toBe(message)
    expect(await tally(2025)).toMatchObject({ payments: 0 })
    expect(await tally(2026)).toMatchObject({ payments: 0 })
  })

  it('refuses a 2027 payment dated in 2026, its date before its year', async () => {
    await setStandard2027()

    const [reply] = await say(t, 'li', '发放优待金 李一 今年 2026年12月30日')

    expect(reply).toBe('2026-12-30 在 2027 年之前，不能发 2027 年优待金，未登记。')
    expect(await tally(2027)).toMatchObject({ payments: 0 })
  })

  it('lets a late payment’s date be corrected within the year after, not beyond', async () => {
    const [paid] = await say(t, 'li', '发放优待金 李一 2026年 1月18日')
    const id = idOf(paid)

    const [moved] = await say(t, 'li', `修改 #${id} 日期 1月19日`)
    const [back] = await say(t, 'li', `修改 #${id} 日期 2026年12月30日`)

    expect(moved).toBe(`已修改 #${id} 铁炉嘴村 李一 2026 年优待金：日期 2027-01-18 → 2027-01-19`)
    expect(back).toBe(`已修改 #${id} 铁炉嘴村 李一 2026 年优待金：日期 2027-01-19 → 2026-12-30`)
    expect(await tally(2026)).toMatchObject({ payments: 1 })
  })

  it('去年优待金发完了吗 is answered 是 or 否 first (a tester: the tally never said)', async () => {
    await say(t, 'li', '发放优待金 李一 2026年 今天')
    await say(t, 'li', '补发去年优待金 李二 300元')

    const [reply] = await say(t, 'boss', '去年优待金发完了吗')

    expect(reply).toMatch(/^2026 年优待金（截止 2026-07-31，已过 173 天）：\n还没有发完。\n/)
    expect(reply).toContain('全镇应发 10 户，已发 2 户，未发 8 户。')
    expect(reply).toContain('另有 1 户未发足，尚欠 5,500 元。')
  })

  it('says 已经发完了 when every family is paid in full', async () => {
    for (const name of CONSCRIPTS) await say(t, 'admin', `发放优待金 ${name} 2026年 今天`)

    const [reply] = await say(t, 'boss', '去年优待金都发了吗')

    expect(reply).toBe(
      '2026 年优待金（截止 2026-07-31，已过 173 天）：\n已经发完了。\n全镇应发 10 户，已全部发放。',
    )
  })

  it('says a year whose families were all paid, one short, without 已全部发放 beside 还没有发完', async () => {
    for (const name of ['李一', '李二']) await say(t, 'li', `发放优待金 ${name} 2026年`)
    await say(t, 'li', '补发去年优待金 李三 300元')

    const [reply] = await say(t, 'li', '去年优待金发完了吗')
    const [list] = await say(t, 'li', '未发放 2026')

    expect(reply).toContain(
      '还没有发完。\n铁炉嘴村应发 3 户，都已发放。\n其中 1 户未发足，尚欠 5,500 元。',
    )
    expect(list).toContain('补发后回复「补发优待金 姓名 2026年」登记，')
  })

  it('suggests 发放优待金, not 未发放, for a line that begins with 发放 alone', async () => {
    const [reply] = await say(t, 'li', '发放 李三 2026年优待金')

    expect(reply).toBe('没看懂「发放」。您是不是要发「发放优待金 李三 2026年优待金」？')
  })

  it('asks which year a payment with no year is, while last year’s is still owed', async () => {
    const [asked] = await say(t, 'li', '发放优待金 李一 5800元')
    const whileAsked = await tally(2026)
    const [stored] = await say(t, 'li', '2026')

    expect(asked).toBe(
      [
        '李一 2026 年优待金还未发放。',
        '这笔是 2026 年的请回复「2026」，',
        '是 2027 年的请回复「2027」。',
      ].join('\n'),
    )
    expect(whileAsked.payments).toBe(0)
    expect(stored).toMatch(
      /^已登记 #\d+：2027-01-20 发放 2026 年优待金 铁炉嘴村 李一（农村）5,800 元/,
    )
  })

  it('books the payment to this year when the answer is 今年, at this year’s standard', async () => {
    await setStandard2027()
    await say(t, 'li', '补发去年优待金 李三 300元')

    const [asked] = await say(t, 'li', '发放优待金 李三')
    const [wrong] = await say(t, 'li', '2025')
    const [stored] = await say(t, 'li', '今年')

    expect(asked).toMatch(/^李三 2026 年优待金尚欠 5,500 元。/)
    expect(wrong).toMatch(/^请回复「2026」或「2027」。/)
    expect(stored).toMatch(/发放 2027 年优待金 铁炉嘴村 李三（农村）6,000 元（按 2027 年农村标准）/)
    expect(await tally(2027)).toMatchObject({ payments: 1, sumFen: 600_000 })
  })

  it('does not ask for a family paid in full last year', async () => {
    await say(t, 'li', '发放优待金 李一 2026年')
    await setStandard2027()

    const [reply] = await say(t, 'li', '发放优待金 李一')

    expect(reply).toMatch(/^已登记 #\d+：2027-01-20 发放 2027 年优待金/)
  })

  it('未发放 of last year says how to name the year when paying now', async () => {
    const [list] = await say(t, 'boss', '未发放 2026')

    expect(list).toMatch(/\n补发请回复「发放优待金 姓名 2026年」。$/)
  })
})
