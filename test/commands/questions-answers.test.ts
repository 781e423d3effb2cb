import { afterEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, payAll, seedTown, visit, type Town } from '../support/town.js'

// The questions the question command answers itself (docs/intents.md): the days to an
// occasion, the roster's counts, one category's visits and what is still to do.

const JULY_31 = new Date('2026-07-31T02:00:00Z')
const AUGUST_1 = new Date('2026-08-01T02:00:00Z')
const DECEMBER_2 = new Date('2026-12-02T02:00:00Z')

let bots: TestBot[] = []

async function botAt(now: Date): Promise<{ t: TestBot; town: Town }> {
  const t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => now })
  bots.push(t)
  return { t, town: await seedTown(t) }
}

afterEach(async () => {
  await Promise.all(bots.map((t) => t.cleanup()))
  bots = []
})

describe('the days to an occasion (离八一还有几天)', () => {
  it.each([
    ['离春节还有几天', '离春节（2027年2月6日，周六）还有 66 天。\n春节走访从 1月23日 开始。'],
    ['离元旦还有多少天', '离元旦（2027年1月1日，周五）还有 30 天。\n元旦走访从 12月18日 开始。'],
    ['八一是哪天', '离八一（2027年8月1日，周日）还有 242 天。\n八一走访从 7月18日 开始。'],
    ['离除夕还有几天？', '离除夕（2027年2月5日，周五）还有 65 天。\n春节走访从 1月23日 开始。'],
    ['2028年春节是哪天', '离春节（2028年1月26日，周三）还有 420 天。\n春节走访从 1月12日 开始。'],
    ['今年春节是哪天', '春节（2026年2月17日，周二）已过去 288 天。'],
  ])('on 12-02, 「%s」', async (text, expected) => {
    const { t } = await botAt(DECEMBER_2)

    expect(await say(t, 'boss', text)).toEqual([expected])
  })

  it('inside the campaign, it says how many households are still to visit (counted, not named)', async () => {
    const { t, town } = await botAt(JULY_31)
    await visit(t, town, '李一')

    const [boss] = await say(t, 'boss', '离八一还有几天')
    const [li] = await say(t, 'li', '离八一还有几天')

    expect(boss).toBe(
      '离八一（2026年8月1日，周六）还有 1 天。\n全镇八一走访尚有 11 户未走访。\n回复「未走访 八一」查看名单。',
    )
    expect(li).toBe(
      '离八一（2026年8月1日，周六）还有 1 天。\n铁炉嘴村八一走访尚有 3 户未走访。\n回复「未走访 八一」查看名单。',
    )
  })

  it('on the day itself, 「八一是哪天」 says it is today', async () => {
    const { t } = await botAt(AUGUST_1)

    const [reply] = await say(t, 'boss', '八一是哪天')

    expect(reply).toMatch(/^今天就是八一（2026年8月1日，周六）。\n全镇八一走访尚有 12 户未走访/)
  })
})

describe('the days to the allowance deadline (优待金截止还有几天)', () => {
  it('counts the days to the year’s deadline and the families still to pay', async () => {
    const { t, town } = await botAt(new Date('2026-07-28T02:00:00Z'))
    await payAll(t, town, 2026, ['李一', '王二'])

    const [boss] = await say(t, 'boss', '优待金截止还有几天')
    const [li] = await say(t, 'li', '优待金什么时候截止？')

    expect(boss).toBe(
      '2026 年优待金 7月31日（周五）截止，还有 3 天。\n全镇应发 10 户，已发 2 户，未发 8 户。\n回复「未发放」查看名单。',
    )
    expect(li).toBe(
      '2026 年优待金 7月31日（周五）截止，还有 3 天。\n铁炉嘴村应发 3 户，已发 1 户，未发 2 户。\n回复「未发放」查看名单。',
    )
  })

  it('a configured deadline is the one answered; a passed one says how long ago', async () => {
    const { t } = await botAt(DECEMBER_2)
    await t.bot.services.allowances.setAllowanceDeadline(2026, '2026-07-25', adminMeta())

    const [reply] = await say(t, 'boss', '今年优待金截止日期是哪天')

    expect(reply).toMatch(/^2026 年优待金已于 7月25日（周六）截止，已过 130 天。\n/)
  })
})

describe('优待金截止 typed by an administrator', () => {
  it('still sets the deadline', async () => {
    const { t } = await botAt(JULY_31)

    const [reply] = await say(t, 'admin', '优待金截止 2027-07-25')

    expect(reply).not.toMatch(/还有 \d+ 天|没看懂/)
    expect(await t.bot.services.allowances.getAllowanceDeadline(2027)).toBe('2027-07-25')
  })
})

describe('the roster’s counts (全镇有多少户)', () => {
  it('「一共有多少优抚对象」 counts by category and by village', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [reply] = await say(t, 'boss', '一共有多少优抚对象')

    expect(reply).toBe(
      [
        '全镇花名册上共有优抚对象 12 户：',
        '残疾军人 1 户',
        '烈士遗属 1 户',
        '义务兵家庭 10 户（农村 4、城镇 6）',
        '各村：',
        '铁炉嘴村 4 户',
        '童家坝村 4 户',
        '新街社区 4 户',
        '回复「花名册 村名」看名单。',
      ].join('\n'),
    )
  })

  it('「铁炉嘴村有几户优抚对象」 counts that village', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [reply] = await say(t, 'boss', '铁炉嘴村有几户优抚对象')

    expect(reply).toBe(
      '铁炉嘴村花名册上共有优抚对象 4 户：\n残疾军人 1 户\n义务兵家庭 3 户（农村 3）\n回复「花名册 村名」看名单。',
    )
  })

  it('「全镇有多少户」 asked by a cadre is their own village; another is refused', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [own] = await say(t, 'li', '全镇有多少户')
    const [other] = await say(t, 'li', '童家坝村有几户')

    expect(own).toMatch(/^铁炉嘴村花名册上共有优抚对象 4 户：/)
    expect(other).toBe('童家坝村不在您负责的村（铁炉嘴村），不能查看。')
  })

  it('「全镇有多少烈属」 counts one category, by its common name', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [reply] = await say(t, 'boss', '全镇有多少烈属')

    expect(reply).toBe('全镇烈士遗属 1 户。\n回复「花名册 村名」看名单。')
  })

  it('past 12 villages, the rest are counted in one line', async () => {
    const { t } = await botAt(DECEMBER_2)
    for (let i = 1; i <= 12; i++) {
      const village = `新建${'一二三四五六七八九十'[(i - 1) % 10]}${i > 10 ? '东' : ''}村`
      await t.bot.services.villages.addVillage(village, adminMeta())
      await t.bot.services.people.addPerson(
        { name: `村民${i}`, village, category: '退役士兵' },
        adminMeta(),
      )
    }

    const [reply] = await say(t, 'boss', '各村有多少优抚对象')

    const lines = reply!.split('\n')
    expect(lines[0]).toBe('全镇花名册上共有优抚对象 24 户：')
    expect(lines.filter((l) => / \d+ 户$/.test(l) && /村|社区/.test(l))).toHaveLength(12)
    expect(lines).toContain('另有 3 个村（社区）共 3 户。')
  })

  it('a person removed from the roster is no longer counted', async () => {
    const { t, town } = await botAt(DECEMBER_2)
    await t.bot.services.people.removePerson(town.people['李一']!.id, adminMeta(), {
      reason: '迁出',
    })

    const [reply] = await say(t, 'boss', '铁炉嘴村有几户')

    expect(reply).toMatch(/^铁炉嘴村花名册上共有优抚对象 3 户：/)
  })
})

describe('one category’s visits (残疾军人走访了几户, 烈属走访了没有)', () => {
  it('counts the category in the current campaign and names the few still to visit', async () => {
    const { t, town } = await botAt(JULY_31)
    await visit(t, town, '张三')

    const [disabled] = await say(t, 'boss', '残疾军人走访了几户')
    const [martyrs] = await say(t, 'boss', '烈属走访了没有')

    expect(disabled).toBe(
      '2026 八一走访（截至 07-31，距八一 1 天）\n全镇残疾军人：应访 1 户，已访 1 户（100%）。\n全部已走访。',
    )
    expect(martyrs).toBe(
      '2026 八一走访（截至 07-31，距八一 1 天）\n全镇烈士遗属：应访 1 户，已访 0 户（0%）。\n未走访：童家坝村 赵六。',
    )
  })

  it('「义务兵家庭还有谁没走访」 lists that category’s unvisited only, by village', async () => {
    const { t, town } = await botAt(JULY_31)
    await visit(t, town, '李一')

    const [reply] = await say(t, 'li', '义务兵家庭还有谁没走访')

    expect(reply).toBe(
      [
        '2026 八一走访（截至 07-31，距八一 1 天）',
        '铁炉嘴村义务兵家庭：应访 3 户，已访 1 户（33%）。',
        '1. 李二',
        '2. 李三',
        '走访后回复「走访 姓名 日期」登记。',
      ].join('\n'),
    )
  })

  it('a cadre’s village without that category says so', async () => {
    const { t } = await botAt(JULY_31)

    const [reply] = await say(t, 'li', '烈属走访了没有')

    expect(reply).toBe('2026 八一走访（截至 07-31，距八一 1 天）\n铁炉嘴村烈士遗属：花名册上没有。')
  })

  it('an occasion named is that campaign: 「春节义务兵家庭走访情况」', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [reply] = await say(t, 'boss', '春节义务兵家庭走访情况')

    expect(reply).toMatch(
      /^2027 春节走访（截至 12-02，距春节 66 天）\n全镇义务兵家庭：应访 10 户，已访 0 户（0%）。\n未走访 10 户/,
    )
  })
})

describe('what is still to do (有哪些待办, 我还有什么没办)', () => {
  it('「有哪些待办」 is the 待办 list', async () => {
    const { t, town } = await botAt(JULY_31)
    await visit(t, town, '李一', { needs: '房屋漏雨需修缮' })

    const [reply] = await say(t, 'li', '有哪些待办')

    expect(reply).toMatch(/^待办帮扶 1 件：\n1\. #\d+ 07-28 铁炉嘴村 李一：\n?房屋漏雨需修缮/)
  })

  it('「帮扶还有几件没办结」 is the 待办 list too', async () => {
    const { t, town } = await botAt(JULY_31)
    await visit(t, town, '李一', { needs: '房屋漏雨需修缮' })

    const [reply] = await say(t, 'li', '帮扶还有几件没办结')

    expect(reply).toMatch(/^待办帮扶 1 件：/)
  })

  it('「我还有什么没办」 counts the campaign, the open cases and the unpaid, each with its list', async () => {
    const { t, town } = await botAt(JULY_31)
    await visit(t, town, '李一', { needs: '房屋漏雨需修缮' })

    const [reply] = await say(t, 'li', '我还有什么没办')

    expect(reply).toBe(
      [
        '铁炉嘴村还要办的：',
        '1. 2026 八一走访尚有 3 户未走访',
        '2. 帮扶待办 1 件（私聊查看）',
        '3. 2026 年优待金尚有 3 户未发',
        '回复「未走访」「待办」「未发放」查看。',
      ].join('\n'),
    )
  })

  it('a case closed with 办结 or a visit withdrawn is no longer counted', async () => {
    const { t, town } = await botAt(JULY_31)
    const { record: first } = await visit(t, town, '李一', { needs: '房屋漏雨需修缮' })
    const { record: second } = await visit(t, town, '李二', { needs: '看病需要医疗救助' })
    await say(t, 'li', `办结 #${first.id} 已协调维修`)
    await t.bot.services.records.withdraw(second.id, adminMeta())

    const [reply] = await say(t, 'li', '我还有什么没办')

    expect(reply).not.toContain('帮扶待办')
  })

  it('in December, before the 元旦 campaign, says when it starts', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [reply] = await say(t, 'li', '我还有什么没办')

    expect(reply!.split('\n')[1]).toBe('1. 2027 元旦 4 户待走访，12月18日起')
  })
})

describe('a question in the middle of a form', () => {
  it('「离八一还有几天」 is answered and the visit form stays open', async () => {
    const { t } = await botAt(JULY_31)
    await say(t, 'li', '走访')

    const answer = (await say(t, 'li', '离八一还有几天')).join('\n')
    const [next] = await say(t, 'li', '李二')

    expect(answer).toMatch(/^离八一（2026年8月1日，周六）还有 1 天。/)
    expect(answer).toContain('您的走访登记还在进行')
    expect(next).toMatch(/^走访日期？/)
  })

  it('a day word answering the form’s date is the date, not a question', async () => {
    const { t } = await botAt(JULY_31)
    await say(t, 'li', '走访')
    await say(t, 'li', '李二')

    const [reply] = await say(t, 'li', '昨天')

    expect(reply).not.toMatch(/登记走访：|没有登记走访/)
    expect(reply).toMatch(/2026-07-30/)
  })
})

describe('the questions answered by the question command store nothing and start no form', () => {
  it.each([
    '这个月走访了谁',
    '上周走访了几户',
    '今天发了几户优待金',
    '离八一还有几天',
    '优待金截止还有几天',
    '全镇有多少户',
    '烈属走访了没有',
    '有哪些待办',
    '我还有什么没办',
  ])('「%s」', async (text) => {
    const { t } = await botAt(JULY_31)
    const seqBefore = await t.redis.get(t.keys.recordSeq())

    const replies = await say(t, 'li', text)

    expect(replies).toHaveLength(1)
    expect(replies[0]).not.toMatch(/没看懂|已登记|走访谁|请回复序号/)
    expect(await t.redis.get(t.keys.recordSeq())).toBe(seqBefore)
    expect(await t.redis.exists(t.keys.form('sandbox', 'li', 'li'))).toBe(0)
  })
})
