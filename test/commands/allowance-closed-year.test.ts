import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

/** The clock a test moves (`clock.now = …`). */
interface Clock {
  now: Date
}

/** The town on 2026-07-20, its admin having sent `lines` (the year's payments) that day. */
async function townPaidIn2026(lines: readonly string[]): Promise<{ t: TestBot; clock: Clock }> {
  const clock: Clock = { now: new Date('2026-07-20T02:00:00Z') }
  const t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => clock.now })
  await seedTown(t)
  for (const line of lines) await say(t, 'admin', line)
  return { t, clock }
}

// A tester paid 2026's allowance, removed a paid family in January 2027 (去世), and 年报 2026
// went from 应发 10 / 已发 8 to 9 / 7: last year's figures moved after the year was over.
describe('a closed allowance year keeps its figures when the roster changes after it', () => {
  let t: TestBot
  let clock: Clock

  beforeEach(async () => {
    ;({ t, clock } = await townPaidIn2026(
      ['李一', '李二', '王一'].map((n) => `发放优待金 ${n} 今天`),
    ))
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const figures = async () => {
    const tally = await t.bot.services.tallies.readAllowanceTally(2026, undefined, {
      today: '2027-01-27',
      timezone: 'Asia/Shanghai',
    })
    return { due: tally.total.due, families: tally.total.families }
  }

  it('counts a family paid that year and removed since, and not one added since', async () => {
    clock.now = new Date('2027-01-27T02:00:00Z')
    const before = await figures()
    await say(t, 'admin', '撤销 #3 去世') // 李一, paid in July
    await say(t, 'admin', '添加对象 周十 铁炉嘴村 义务兵家庭 农村')
    const [tally] = await say(t, 'boss', '统计 优待金 2026')
    const [unpaid] = await say(t, 'boss', '未发放 2026')

    expect(before).toEqual({ due: 10, families: 3 })
    expect(await figures()).toEqual({ due: 10, families: 3 })
    expect(tally).toMatch(/已发 3 户/)
    expect(tally).toMatch(/未发 7 户|应发 10 户/)
    expect(unpaid).not.toContain('周十')
    expect(unpaid).not.toContain('李一')
    expect(unpaid).toContain('李三')
  })

  it('lists as unpaid a family removed after the year that was never paid', async () => {
    clock.now = new Date('2027-01-27T02:00:00Z')
    await say(t, 'admin', '撤销 #5 迁出') // 李三, unpaid in 2026
    const [unpaid] = await say(t, 'boss', '未发放 2026')
    const [thisYear] = await say(t, 'boss', '未发放 2027')

    expect(unpaid).toContain('李三')
    expect(await figures()).toEqual({ due: 10, families: 3 })
    expect(thisYear).not.toContain('李三')
  })

  it('says a family paid for the year but entered after it is not on its roster', async () => {
    clock.now = new Date('2027-01-27T02:00:00Z')
    await say(t, 'admin', '添加对象 周十 铁炉嘴村 义务兵家庭 农村')
    await say(t, 'admin', '发放优待金 周十 2026年')
    const [tally] = await say(t, 'boss', '统计 优待金 2026')

    expect(await figures()).toEqual({ due: 10, families: 3 })
    expect(tally!.replace(/\n/g, '')).toContain(
      '另有 1 户不在 2026 年底的名册上（年内移出或之后才登记）：金额计入合计，不计入已发户数。',
    )
  })

  it('still reads the live roster while the year runs', async () => {
    clock.now = new Date('2026-12-02T02:00:00Z')
    await say(t, 'admin', '撤销 #5 迁出')
    const tally = await t.bot.services.tallies.readAllowanceTally(2026, undefined, {
      today: '2026-12-02',
      timezone: 'Asia/Shanghai',
    })

    expect(tally.total.due).toBe(9)
  })
})

// In February a leader asking 未发放 or 优待金发完了吗 heard only of the new year, nothing due for
// months, and nothing of last year's families still unpaid (a tester).
describe('from January to March, an allowance reply without a year says what last year owes', () => {
  let t: TestBot
  let clock: Clock

  beforeEach(async () => {
    ;({ t, clock } = await townPaidIn2026([
      '发放优待金 李一 今天',
      '发放优待金 李二 5000元 今天',
      '确认',
    ]))
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const owed = '另：2026 年还有 8 户未发放、1 户未发足，\n回复「未发放 2026」查看。'

  it('in 未发放, 优待金发完了吗 and 统计 优待金, for the town and for a cadre', async () => {
    clock.now = new Date('2027-02-07T03:00:00Z')

    for (const text of ['未发放', '优待金发完了吗', '统计 优待金']) {
      const [reply] = await say(t, 'boss', text)
      expect(reply, text).toMatch(/^2027 年/)
      expect(reply!.endsWith(owed), text).toBe(true)
    }
    const [cadre] = await say(t, 'li', '未发放')
    expect(cadre).toContain('另：2026 年还有 1 户未发放、1 户未发足，')
  })

  it('not when a year is named, nor after March, nor when last year is paid in full', async () => {
    clock.now = new Date('2027-02-07T03:00:00Z')
    const [named] = await say(t, 'boss', '未发放 2027')
    clock.now = new Date('2027-04-07T03:00:00Z')
    const [april] = await say(t, 'boss', '未发放')

    expect(named).not.toContain('另：2026')
    expect(april).not.toContain('另：2026')
  })

  it("does not set this year's payments, under way, against all of last year's", async () => {
    clock.now = new Date('2027-02-07T03:00:00Z')
    const [reply] = await say(t, 'boss', '统计 优待金')

    // 「比 2026 年：-2 户，-10,800 元（-100.0%）」 six months before anything is due.
    expect(reply).not.toContain('比 2026 年')
  })
})
