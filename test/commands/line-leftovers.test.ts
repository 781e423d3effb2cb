import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-29 10:00 in Asia/Shanghai: the 八一 campaign (cadre li's clock in the tester's report).
const NOW = new Date('2026-07-29T02:00:00Z')

/** The record a reply names (#N). */
const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

/**
 * The lines of a reply that say what was not read fit a phone: at most 40 columns (CJK 2,
 * ASCII 1). A stored record's own lines (visit.ts) are not these cases' and are not checked.
 */
function expectPhoneWidth(reply: string | undefined, only?: RegExp): void {
  for (const line of (reply ?? '').split('\n')) {
    if (only && !only.test(line)) continue
    expect(displayWidth(line), line).toBeLessThanOrEqual(40)
  }
}

describe('words a visit or payment line does not read are not people (tester, 2026-07)', () => {
  let t: TestBot

  const record = (id: number) => t.bot.services.records.getRecord(id)
  const visitCount = async () => {
    const [reply] = await say(t, 'admin', '记录 #1')
    return reply
  }

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    ['走访 李一 7.28 八一 慰问金 300 元 米 一袋', 30000, [{ name: '米', quantity: 1, unit: '袋' }]],
    [
      '走访 李一 今天 八一 慰问金500 元 米1袋 油 1 桶',
      50000,
      [
        { name: '米', quantity: 1, unit: '袋' },
        { name: '油', quantity: 1, unit: '桶' },
      ],
    ],
    ['走访 李一 今天 八一 慰问金300元 米 1袋', 30000, [{ name: '米', quantity: 1, unit: '袋' }]],
    [
      '走访 李一 今天 八一 大米 两袋 月饼 2 盒',
      undefined,
      [
        { name: '大米', quantity: 2, unit: '袋' },
        { name: '月饼', quantity: 2, unit: '盒' },
      ],
    ],
  ])('「%s」: the goods written with spaces are goods', async (text, cashFen, goods) => {
    const [reply] = await say(t, 'li', text)

    expect(reply).toMatch(/^已登记 #\d+：.*李一（义务兵家庭）/)
    expect(reply).not.toContain('没有找到')
    expect(await record(idOf(reply))).toMatchObject({ cashFen: cashFen ?? 0, goods })
  })

  it('`月饼 2 盒` is no cash of 2 元', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 月饼 2 盒')

    expect(await record(idOf(reply))).toMatchObject({ cashFen: 0 })
  })

  it('a word after the person that names no one is said once, the visit stored', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 慰问金300元 李书记')

    expect(reply).toMatch(/^已登记 1 条走访：\n#\d+：.*李一/)
    expect(reply).toContain('没看懂「李书记」，未登记这部分。')
    expect(reply).not.toContain('没有')
    expect(await record(idOf(reply))).toMatchObject({ cashFen: 30000 })
    expectPhoneWidth(reply, /没看懂/)
  })

  it('走访人 and 陪同: who went along are the visit’s visitors, not its 备注', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 慰问金300元 走访人 李书记 王主任')
    const [other] = await say(t, 'li', '走访 李二 今天 八一 陪同 张主任 备注 身体健康')

    expect(reply).toContain('\n陪同：李书记、王主任\n')
    expect(reply).not.toContain('备注')
    expect(reply).not.toContain('没有')
    expect(await record(idOf(reply))).toMatchObject({
      visitors: ['li', '李书记', '王主任'],
      notes: undefined,
    })
    expect(await record(idOf(other))).toMatchObject({
      notes: '身体健康',
      visitors: ['li', '张主任'],
    })
  })

  it('慰问品价值300元 is the goods’ value, kept in the 备注, not cash', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 米一袋 慰问品价值300元')

    expect(reply).not.toContain('没有')
    expect(await record(idOf(reply))).toMatchObject({ cashFen: 0, notes: '慰问品价值300元' })
  })

  it('a negative amount is refused with its reason, nothing stored', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 慰问金-300元')

    expect(reply).toBe('「慰问金-300元」是负数，未登记。\n请写正数，如「慰问金300元」。')
    expect(await visitCount()).not.toMatch(/走访/)
    expectPhoneWidth(reply)
  })

  it('two cash amounts are refused', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 慰问金300元 慰问金500元')

    expect(reply).toBe('写了两个慰问金（300 元、500 元），\n未登记。请只写一个。')
    expect(await visitCount()).not.toMatch(/走访/)
    expectPhoneWidth(reply)
  })

  it('an unread word that may be money or goods is not dropped: the line is refused', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 慰问金300元 米')

    expect(reply).toBe('没看懂「米」，未登记。\n钱数写「慰问金300元」，物品写「米1袋」。')
    expect(await visitCount()).not.toMatch(/走访/)
    expectPhoneWidth(reply)
  })

  it('农村 in a payment line that matches the person is read', async () => {
    const [reply] = await say(t, 'li', '发放优待金 李二 今天 农村 5800')

    expect(reply).toMatch(/#\d+：.*李二（农村）5,800 元/)
    expect(reply).not.toContain('没有')
    expect(reply).not.toContain('未登记')
  })

  it('农村 in a payment line for a 城镇 household is refused', async () => {
    const [reply] = await say(t, 'admin', '发放优待金 王三 今天 农村 8600')

    expect(reply).toContain('王三：城镇户，不是「农村」，未登记。')
    expect(reply).not.toContain('已登记')
    expectPhoneWidth(reply, /^王三：/)
  })

  it.each(['走访 李一、李二 今天 八一', '走访 李一 李二 今天 八一'])(
    '「%s」: several people written on purpose are still one record each',
    async (text) => {
      const [reply] = await say(t, 'li', text)

      expect(reply).toMatch(/^已登记 2 条走访：/)
    },
  )

  it('a misspelt name among several is still answered as a name', async () => {
    const [reply] = await say(t, 'li', '走访 李一、李四 今天 八一')

    expect(reply).toMatch(/^已登记 1 条走访：/)
    expect(reply).toContain('李四：没有叫「李四」的对象')
    expect(reply).not.toContain('没看懂')
  })

  it('a misspelt person beside an unread word: both are said, nothing stored', async () => {
    const [reply] = await say(t, 'li', '走访 李五 今天 八一 李书记')

    expect(reply).toContain('李五：没有')
    expect(reply).toContain('没看懂「李书记」，未登记这部分。')
    expect(reply).not.toContain('已登记')
  })

  it('one visit per line: an unread word is said with the person it was written for', async () => {
    const [reply] = await say(t, 'li', '走访 李一 今天 八一 李书记\n李二 今天 八一 米 两袋')

    expect(reply).toMatch(/^已登记 2 条走访：/)
    expect(reply).toContain('李一：没看懂「李书记」，未登记这部分。')
  })
})
