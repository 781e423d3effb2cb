import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// Ways cadres wrote visits when the bot was tried as they would use it (session 4), each of
// which stored a wrong amount or lost a field before: now each is stored as meant.
const NOW = new Date('2026-12-02T02:00:00Z')

describe('visits written the way cadres write them', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('困难帮扶 in the line is the occasion, and the money is the money, not a need', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 困难帮扶 慰问金800元')

    expect(reply).toMatch(/^已登记 #\d+：2026-12-02 困难帮扶走访 铁炉嘴村 张三/)
    expect(reply).toContain('慰问金 800 元')
    expect(reply).not.toContain('需求')
    expect(await say(t, 'li', '待办')).not.toContain(expect.stringMatching(/张三/))
  })

  it.each([
    ['五百块', '500 元'],
    ['一千二', '1,200 元'],
  ])('money said as %s is stored as %s', async (said, shown) => {
    const [reply] = await say(t, 'li', `走訪 張三 昨天 日常 ${said}`)

    expect(reply).toMatch(/^已登记 #\d+/)
    expect(reply).toContain(`慰问金 ${shown}`)
  })

  it.each(['没有慰问金', '没给钱', '不发', '无'])(
    'the form asking 慰问金多少 takes 「%s」 as none',
    async (answer) => {
      await say(t, 'li', '走访 张三')
      await say(t, 'li', '今天')
      await say(t, 'li', '日常')
      const [reply] = await say(t, 'li', answer)

      expect(reply).toMatch(/^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 张三/)
      expect(reply).toContain('未记慰问金和物品')
    },
  )

  it('a line with commas and a full stop before 备注 keeps every item and the need', async () => {
    const [reply] = await say(
      t,
      'li',
      '慰問 張三，今天，日常，慰問金５００元，大米２袋、食用油１桶。備註：房屋漏雨',
    )

    expect(reply).toMatch(/^已登记 #\d+/)
    expect(reply).toContain('大米2袋、食用油1桶')
    expect(reply).toContain('需求：房屋漏雨')
    expect(reply).not.toContain('未登记')
  })

  it.each(['走访 张三 今天 日常。', '走访 张三，今天，日常！', '走訪 張三 今天 日常？'])(
    'a line ending in a full stop or a mark, %s, is one visit to 张三',
    async (text) => {
      const [reply] = await say(t, 'li', text)

      expect(reply).toMatch(/^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 张三/)
      expect(reply).not.toContain('。（')
    },
  )

  it('a visit dated after its campaign says it counts as a late entry; no cash is said as such', async () => {
    const [late] = await say(t, 'li', '走访 张三 8月15日 八一')

    expect(late).toMatch(/^已登记 #\d+：2026-08-15 八一走访 铁炉嘴村 张三/)
    expect(late).toContain('\n未记慰问金和物品\n')
    expect(late).toContain('2026 八一（08-01）已过，按补登记计入。')
  })

  it('in a group, a need written without 备注 is not repeated to the group', async () => {
    const replies = await say(t, 'li', '走访 张三 今天 日常 200元 家里房子漏雨需要修', {
      chat: 'village-group',
    })

    const text = replies.join('\n')
    expect(text).toMatch(/已登记 1 条走访/)
    expect(text).toContain('有一段文字不是对象姓名，未登记。需求请写在「备注」后，私聊发我。')
    expect(text).not.toContain('漏雨')
  })

  it('in a private chat, a need written without 需求 is said as one, with the 修改 to add it', async () => {
    const [reply] = await say(t, 'li', '走访 张三 今天 日常 慰问金300元 房子漏雨')

    expect(reply).toMatch(/^已登记 1 条走访：\n#(\d+)：/)
    const id = /#(\d+)/.exec(reply!)![1]
    expect(reply).toContain(
      `「房子漏雨」不是对象姓名，未登记。\n是需求请发「修改 #${id} 需求 房子漏雨」。`,
    )
    expect(reply).not.toContain('没有找到「房子漏雨」')
  })

  it('in a group, a short need is not repeated to the group either', async () => {
    const replies = await say(t, 'li', '走访 张三 今天 日常 房子漏雨', { chat: 'village-group' })

    expect(replies.join('\n')).not.toContain('漏雨')
  })

  it("a word that cannot be a unit name is that item's problem: the others stored, no apology", async () => {
    const replies = await say(t, 'li', '走访 张三 今天 日常 武警中队|哨所')

    const text = replies.join('\n')
    expect(text).toMatch(/^已登记 1 条走访：/)
    expect(text).toMatch(/未登记 1 条：\n武警中队\|哨所：/)
    expect(text).not.toContain('抱歉')
  })
})

describe('visits written with the occasion first, and counts in 大写 (testers, 2026-12-04)', () => {
  let t: TestBot
  let now = new Date('2027-01-26T03:00:00Z')

  beforeEach(async () => {
    now = new Date('2027-01-26T03:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => now })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each([
    [
      '春节慰问 李一 今天 慰问金500元',
      /^已登记 #\d+：2027-01-26 春节走访 铁炉嘴村 李一.*\n慰问金 500 元/,
    ],
    [
      '节前慰问 李一 今天',
      /^2027-01-26 在春节走访期间，按春节走访登记。\n已登记 #\d+：2027-01-26 春节走访/,
    ],
    ['年前走访李一 昨天', /^已登记 #\d+：2027-01-25 春节走访 铁炉嘴村 李一/],
    ['八一慰问 张三 7月28日', /^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/],
    ['春节慰问 李一 今天 备注 家里没有困难', /^已登记 #\d+：2027-01-26 春节走访 铁炉嘴村 李一/],
    ['日常走访 李三 今天', /^已登记 #\d+：2027-01-26 日常走访 铁炉嘴村 李三/],
    ['困难帮扶 张三 今天 慰问金500元', /^已登记 #\d+：2027-01-26 困难帮扶走访 铁炉嘴村 张三/],
  ])('「%s」 is a visit with that occasion', async (text, stored) => {
    const [reply] = await say(t, 'li', text)

    expect(reply).toMatch(stored)
  })

  it.each(['春节走访了几户', '春节慰问金发了多少', '春节走访情况'])(
    '「%s」 is still the question, not a visit',
    async (text) => {
      const [reply] = await say(t, 'li', text)

      expect(reply).toMatch(/^2027 春节走访\n/)
    },
  )

  it('reads goods counted in 大写 and 參佰 as the numbers they are', async () => {
    const [goods] = await say(t, 'li', '走访 李三 今天 日常 米壹袋 油贰桶')
    const [cash] = await say(t, 'li', '慰問 李一 今天 日常 慰問金參佰元 米壹袋')

    expect(goods).toMatch(/^已登记 #\d+：.* 李三（义务兵家庭）\n物品 米1袋、油2桶\n/)
    expect(cash).toMatch(/^已登记 #\d+：.* 李一（义务兵家庭）\n慰问金 300 元；物品 米1袋\n/)
  })

  it('reads 八一 answering the date as August 1 within two weeks of it', async () => {
    now = new Date('2027-08-03T03:00:00Z')
    await say(t, 'li', '走访 张三')
    const [reply] = await say(t, 'li', '八一')

    expect(reply).toBe('2027-08-01 在八一走访期间，按八一走访登记。慰问金多少？没有请回复「无」。')
  })
})
