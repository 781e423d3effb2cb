import { afterEach, describe, expect, it } from 'vitest'
import { readQuestion } from '../../src/bot/intents.js'
import { foldText } from '../../src/parse/normalize.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, payAll, seedTown, visit, type Town } from '../support/town.js'

// More questions in the asker's own words (docs/intents.md): a person looked up (`查一下张三`,
// `钱七的电话`), what the allowance still owes, an occasion's coming instance (`春节前`), a cadre's
// visits (`李明走访了几户`), the last days (`最近一周`), whether the visits can be done in time,
// the units visited (`慰问部队几次`, `武警中队慰问了吗`) and one category's roster.

const JULY_31 = new Date('2026-07-31T02:00:00Z')
const DECEMBER_2 = new Date('2026-12-02T02:00:00Z')

let bots: TestBot[] = []

/**
 * The township of the tally tests (town.ts), plus 钱七 (烈士遗属, 铁炉嘴村, a phone) and 李明, a
 * cadre of 铁炉嘴村 named on his binding (sandbox:ming), who has logged nothing yet.
 */
async function botAt(now: Date): Promise<{ t: TestBot; town: Town }> {
  const t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => now })
  bots.push(t)
  const town = await seedTown(t)
  const s = t.bot.services
  const { record } = await s.people.addPerson(
    { name: '钱七', village: '铁炉嘴村', category: '烈士遗属', phone: '13900003333' },
    adminMeta(),
  )
  town.people['钱七'] = record
  await s.roles.set(
    'sandbox:ming',
    { role: 'cadre', villages: ['铁炉嘴村'], name: '李明', setBy: 'test', setAt: '' },
    adminMeta(),
  )
  return { t, town }
}

afterEach(async () => {
  await Promise.all(bots.map((t) => t.cleanup()))
  bots = []
})

describe('a person looked up by name (查一下张三)', () => {
  const PHRASINGS = [
    '帮我查一下张三',
    '查一下张三',
    '张三的情况',
    '幫我查一下張三？',
    '查查张三?',
    '请帮我查一下张三',
    '張三的情況',
  ]

  it.each(PHRASINGS)('「%s」 is the card 对象 shows, masked for a cadre', async (text) => {
    const { t } = await botAt(DECEMBER_2)

    const [card] = await say(t, 'li', '对象 张三')
    const [reply] = await say(t, 'li', text)

    expect(reply).toBe(card)
    expect(reply).toBe(
      [
        `#1 张三（残疾军人）`,
        '铁炉嘴村',
        '电话 138****1111',
        '身份证 3201**********1000',
        '2025 年以来没有走访记录',
      ].join('\n'),
    )
  })

  it('shows the number clear only to an administrator in a private chat, as 对象 does', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [privately] = await say(t, 'admin', '查一下张三')
    const [inGroup] = await say(t, 'admin', '查一下张三', { chat: 'town-group' })

    expect(privately).toContain('电话 13800001111')
    expect(privately).toContain('身份证 320102199001011000')
    expect(inGroup).toContain('电话 138****1111')
    expect(inGroup).not.toContain('13800001111')
  })

  it('keeps a cadre to their villages, and a village alone is its roster', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [other] = await say(t, 'li', '查一下赵六')
    const [village] = await say(t, 'li', '查一下铁炉嘴村')
    const [otherVillage] = await say(t, 'li', '查一下童家坝村')

    expect(other).toBe('赵六在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。')
    expect(village).toMatch(/^铁炉嘴村花名册共 5 人：\n1\. 张三 残疾军人\n/)
    expect(otherVillage).toBe('童家坝村不在您负责的村（铁炉嘴村），不能查看。')
  })

  it('a word that names nobody is not understood, and 查看 #N is still the record', async () => {
    const { t, town } = await botAt(DECEMBER_2)
    const { record } = await visit(t, town, '李一')

    const [weather] = await say(t, 'boss', '查一下天气')
    const [shown] = await say(t, 'li', `查看 #${record.id}`)
    const [byName] = await say(t, 'li', '查看 张三')

    expect(weather).toMatch(/^没看懂这个问题。\n没有叫「天气」的对象。\n可以这样问：\n/)
    expect(shown).toMatch(new RegExp(`^#${record.id} 走访\n2026-07-28 八一走访 铁炉嘴村 李一`))
    expect(byName).toBe('请写记录编号，如「查看 #191」。\n查对象请发「对象 张三」。')
  })
})

describe('a person’s phone (钱七的电话)', () => {
  it.each([
    '钱七的电话',
    '钱七电话多少',
    '錢七的電話？',
    '钱七的手机号是多少?',
    '铁炉嘴村钱七的电话',
  ])('「%s」 is the phone as the card shows it', async (text) => {
    const { t } = await botAt(DECEMBER_2)

    const [li] = await say(t, 'li', text)
    const [admin] = await say(t, 'admin', text)

    expect(li).toBe('钱七（铁炉嘴村）电话 139****3333。\n完整号码请管理员私聊查看。')
    expect(admin).toBe('钱七（铁炉嘴村）电话 13900003333。')
  })

  it('says when no phone is on record, and a family of another village is not shown', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [none] = await say(t, 'li', '李二的电话')
    const [other] = await say(t, 'li', '赵六的电话')

    expect(none).toBe('李二（铁炉嘴村）没有登记电话。')
    expect(other).toBe('赵六在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。')
  })

  it('a line with the number, or a record with 电话 in its notes, is never the question', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [visitLine] = await say(t, 'li', '走访 钱七 今天 日常 备注 电话打不通')
    const [withNumber] = await say(t, 'li', '钱七电话13900003333')

    expect(visitLine).toMatch(/^已登记 #\d+：2026-12-02 日常走访 铁炉嘴村 钱七/)
    expect(withNumber).not.toMatch(/139\*\*\*\*3333/)
  })
})

describe('the allowance still owed (还有多少钱没发)', () => {
  it.each([
    '还有多少钱没发',
    '优待金还差多少',
    '優待金還差多少？',
    '还有多少钱没发?',
    '今年优待金还差多少钱',
  ])(
    '「%s」: families unpaid and what paying them takes, from 统计 优待金’s figures',
    async (text) => {
      const { t, town } = await botAt(DECEMBER_2)
      await payAll(t, town, 2026, ['李一', '王二'])
      // 王一 paid 5,000 of 5,800: paid, but still owed 800 (统计 优待金's 未发足).
      await t.bot.services.allowances.addPayment(
        { personId: town.people['王一']!.id, year: 2026, amountFen: 500_000, date: '2026-07-20' },
        adminMeta(),
      )

      const [boss] = await say(t, 'boss', text)
      const [li] = await say(t, 'li', text)
      const [tally] = await say(t, 'boss', '统计 优待金')

      expect(boss).toBe(
        [
          '2026 年优待金（截止 07-31，已过 124 天）：',
          '全镇应发 10 户，已发 3 户，未发 7 户。',
          // 李二 李三 rural, 王三 孙一-孙四 urban.
          '按标准还需发 54,600 元：',
          '农村 2 户 × 5,800 元',
          '城镇 5 户 × 8,600 元',
          '另有 1 户未发足，尚欠 800 元。',
          '合计尚欠 55,400 元。',
          '回复「未发放」查看名单。',
        ].join('\n'),
      )
      // The same figures as 统计 优待金 (whose lines a phone's width may wrap).
      expect(tally!.replace(/\s+/g, '')).toContain('未发7户，另有未发足1户（尚欠800元）')
      expect(li).toBe(
        [
          '2026 年优待金（截止 07-31，已过 124 天）：',
          '铁炉嘴村应发 3 户，已发 1 户，未发 2 户。',
          '按标准还需发 11,600 元：',
          '农村 2 户 × 5,800 元',
          '回复「未发放」查看名单。',
        ].join('\n'),
      )
    },
  )

  it('who is unpaid is still 未发放’s list', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [reply] = await say(t, 'li', '优待金还有几户没发')

    expect(reply).toMatch(/^2026 年优待金（[^）]*）\n铁炉嘴村尚有 3 户未发放：\n1\. 李一/)
  })
})

describe('an occasion’s coming instance (春节前还有谁没走访)', () => {
  it.each([
    ['春节前还有谁没走访', '未走访 春节'],
    ['春節前還有誰沒走訪？', '未走访 春节'],
    ['八一前还有谁没去', '未走访 八一 2027'],
    ['八一之前还有谁没去?', '未走访 八一 2027'],
  ])('「%s」 on 12-02 is 「%s」', async (text, command) => {
    const { t } = await botAt(DECEMBER_2)

    const [asked] = await say(t, 'li', text)
    const [typed] = await say(t, 'li', command)

    expect(asked).toBe(typed)
    expect(asked).toMatch(
      /^2027 (?:春节|八一)走访\n（截至 12-02，距\S+ \d+ 天）\n铁炉嘴村尚有 5 户未走访：/,
    )
  })

  it('inside the campaign, 八一前 is this year’s 八一, and a record line is still a record', async () => {
    const { t } = await botAt(JULY_31)

    const [asked] = await say(t, 'li', '八一前还有谁没走访')
    const [typed] = await say(t, 'li', '未走访 八一')
    const [stored] = await say(t, 'li', '走访 张三 今天 八一')

    expect(asked).toBe(typed)
    expect(stored).toMatch(/^已登记 #\d+：2026-07-31 八一走访 铁炉嘴村 张三/)
  })
})

describe('a cadre’s visits (李明走访了几户)', () => {
  it.each(['李明走访了几户', '李明走訪了幾戶？', '李明走访了多少户?', '李明慰问了几家'])(
    '「%s」 counts what 李明 logged in this campaign and this year',
    async (text) => {
      const { t } = await botAt(DECEMBER_2)
      await say(t, 'ming', '走访 李二 今天 元旦 慰问金300元')
      await say(t, 'ming', '走访 李三 昨天 元旦')
      await say(t, 'ming', '走访 李二 11月20日 日常')
      await say(t, 'li', '走访 张三 今天 元旦')

      const [boss] = await say(t, 'boss', text)

      expect(boss).toBe(
        [
          '李明（村干部，铁炉嘴村）登记的走访：',
          '2027 元旦：2 户 2 次，慰问金 300 元',
          '2026 年：2 户 3 次，慰问金 300 元',
          '年份按走访日期。',
        ].join('\n'),
      )
    },
  )

  it('of a run of days, from the day sets, by the one who logged them', async () => {
    const { t } = await botAt(DECEMBER_2)
    await say(t, 'ming', '走访 李二 今天 元旦 慰问金300元')
    await say(t, 'li', '走访 张三 今天 元旦')

    const [reply] = await say(t, 'boss', '李明本周走访了谁')

    expect(reply).toMatch(
      /^本周（11-30 至 12-02）全镇李明登记的走访 1 户：\n共 1 次，慰问金 300 元（按走访日期）\n#\d+ 铁炉嘴村 李二 元旦 12-02 300 元\n/,
    )
  })

  it('a family’s name is the family’s card; a name both have is the cadre’s, the card offered', async () => {
    const { t } = await botAt(DECEMBER_2)
    await say(t, 'ming', '走访 李二 今天 元旦')

    const [family] = await say(t, 'boss', '李一走访了几户')
    await t.bot.services.people.addPerson(
      { name: '李明', village: '新街社区', category: '退役士兵' },
      adminMeta(),
    )
    const [both] = await say(t, 'boss', '李明走访了几户')
    const [card] = await say(t, 'boss', '李明走访过没有')

    expect(family).toMatch(/^#\d+ 李一（义务兵家庭）\n铁炉嘴村，农村\n/)
    expect(both).toBe(
      [
        '李明（村干部，铁炉嘴村）登记的走访：',
        '2027 元旦：1 户 1 次，慰问金 0 元',
        '2026 年：1 户 1 次，慰问金 0 元',
        '年份按走访日期。',
        '花名册上也有李明，回复「对象 李明」查看。',
      ].join('\n'),
    )
    // Asked yes or no, the card begins with the answer for the campaign a plain question means.
    expect(card).toMatch(/^李明：2027 元旦还没有走访。\n#\d+ 李明（退役士兵）\n新街社区\n/)
  })
})

describe('the last days (最近一周)', () => {
  it.each([
    '最近一周',
    '最近一周走访了多少',
    '近7天',
    '近七天走访了几户？',
    '最近7天?',
    '最近一週',
  ])('「%s」 is the run-of-days answer for today and the six days before', async (text) => {
    const { t } = await botAt(DECEMBER_2)
    await say(t, 'li', '走访 李二 今天 元旦 慰问金300元')
    await say(t, 'li', '走访 李三 11月26日 日常')
    await say(t, 'li', '走访 张三 11月25日 日常')
    await say(t, 'boss', '走访 赵六 昨天 元旦 慰问金500元')

    const [boss] = await say(t, 'boss', text)

    expect(boss).toBe(
      [
        '最近一周（11-26 至 12-02）全镇走访 3 户：',
        '共 3 次，慰问金 800 元（按走访日期）',
        '铁炉嘴村 2 次 300 元',
        '童家坝村 1 次 500 元',
        '回复「统计」看各村进度。',
      ].join('\n'),
    )
  })

  it('lists the records when who is asked, and says how far back one may ask', async () => {
    const { t } = await botAt(DECEMBER_2)
    await say(t, 'li', '走访 李二 今天 元旦')

    const [who] = await say(t, 'li', '近10天走访了谁')
    const [tooFar] = await say(t, 'li', '近40天走访了几户')
    const [months] = await say(t, 'li', '近三个月走访了多少')

    expect(who).toMatch(
      /^近10天（11-23 至 12-02）铁炉嘴村走访 1 户：\n共 1 次，慰问金 0 元（按走访日期）\n#\d+ 铁炉嘴村 李二 元旦 12-02\n/,
    )
    expect(tooFar).toBe('最多能查最近 31 天，\n如「近30天走访了几户」。')
    expect(months).toBe(tooFar)
  })
})

describe('whether the visits can be done in time (元旦前能走访完吗)', () => {
  it.each(['元旦前能走访完吗', '元旦前能走訪完嗎？', '元旦之前走得完吗', '元旦前能不能走访完?'])(
    '「%s」: the days left, the households still to visit and the pace',
    async (text) => {
      const { t } = await botAt(DECEMBER_2)
      await say(t, 'li', '走访 李二 今天 元旦')

      const [boss] = await say(t, 'boss', text)
      const [li] = await say(t, 'li', text)

      expect(boss).toBe(
        [
          '离元旦（2027年1月1日，周五）还有 30 天。',
          '全镇元旦走访应访 13 户，已访 1 户，',
          '还有 12 户未走访。',
          '每天走访 1 户，12 天可走访完。',
          '回复「未走访 元旦」查看名单。',
        ].join('\n'),
      )
      expect(li).toBe(
        [
          '离元旦（2027年1月1日，周五）还有 30 天。',
          '铁炉嘴村元旦走访应访 5 户，已访 1 户，',
          '还有 4 户未走访。',
          '每天走访 1 户，4 天可走访完。',
          '回复「未走访 元旦」查看名单。',
        ].join('\n'),
      )
    },
  )

  it('the day before, it says how many a day it takes', async () => {
    const { t, town } = await botAt(JULY_31)
    await visit(t, town, '李一')

    const [reply] = await say(t, 'boss', '八一前能走访完吗')

    expect(reply).toBe(
      [
        '离八一（2026年8月1日，周六）还有 1 天。',
        '全镇八一走访应访 13 户，已访 1 户，',
        '还有 12 户未走访。',
        '要在八一前走访完，',
        '平均每天要走访 12 户（12 户 ÷ 1 天）。',
        '回复「未走访 八一」查看名单。',
      ].join('\n'),
    )
  })
})

describe('the units visited (慰问部队几次, 武警中队慰问了吗)', () => {
  it.each(['慰问部队几次', '今年慰问了几次部队', '慰問部隊幾次？', '今年走访了几次部队?'])(
    '「%s」 counts the unit visits of the year’s campaigns, from their counters',
    async (text) => {
      const { t } = await botAt(JULY_31)
      await say(t, 'boss', '慰问部队 武警中队 今天 八一 慰问金2000元')
      await say(t, 'boss', '走访 消防救援站 7月30日 八一')
      await say(t, 'boss', '走访 武警中队 3月1日 日常')

      const [reply] = await say(t, 'boss', text)

      expect(reply).toBe(
        [
          '2026 年全镇走访部队（单位）共 3 次：',
          '八一 2 次，日常 1 次。',
          '问某个单位如「武警中队慰问了吗」。',
        ].join('\n'),
      )
    },
  )

  it('in December, next year’s 元旦 visits are named apart; none at all says how to log one', async () => {
    const { t } = await botAt(DECEMBER_2)

    const [none] = await say(t, 'boss', '慰问部队几次')
    await say(t, 'boss', '慰问部队 武警中队 今天 元旦')
    const [ahead] = await say(t, 'boss', '慰问部队几次')

    expect(none).toBe(
      '2026 年全镇还没有走访部队（单位）的记录。\n登记如「慰问部队 武警中队 今天 元旦」。',
    )
    expect(ahead).toBe(
      [
        '2026 年全镇走访部队（单位）共 0 次。',
        '另有 2027 元旦走访部队 1 次，计入 2027 年。',
        '问某个单位如「武警中队慰问了吗」。',
      ].join('\n'),
    )
  })

  it.each(['武警中队慰问了吗', '武警中队慰问了没有？', '武警中隊慰問了嗎', '武警中队走访过没有?'])(
    '「%s」 says whether and when that unit was visited',
    async (text) => {
      const { t } = await botAt(DECEMBER_2)
      const [first] = await say(t, 'boss', '慰问部队 武警中队 今天 元旦 慰问金2000元')
      const id = /#(\d+)/.exec(first!)![1]

      const [visited] = await say(t, 'boss', text)
      const [none] = await say(t, 'boss', '消防救援站走访了吗')

      expect(visited).toBe(
        `武警中队 2027 元旦已走访 1 次：\n#${id} 2026-12-02 慰问金 2,000 元（boss）`,
      )
      expect(none).toBe('消防救援站 2027 元旦还没有走访记录。\n登记如「走访 消防救援站 今天 元旦」')
    },
  )

  it('a cadre sees the unit visits they may read: their villages’ and their own', async () => {
    const { t } = await botAt(DECEMBER_2)
    await say(t, 'boss', '慰问部队 武警中队 今天 元旦')

    const [li] = await say(t, 'li', '武警中队慰问了吗')
    await say(t, 'li', '慰问部队 武警中队 铁炉嘴村 昨天 元旦')
    const [after] = await say(t, 'li', '武警中队慰问了吗')

    expect(li).toBe('武警中队 2027 元旦没有您能查看的走访。\n登记如「走访 武警中队 今天 元旦」')
    expect(after).toMatch(/^武警中队 2027 元旦已走访 1 次：\n#\d+ 2026-12-01（li）$/)
  })
})

describe('one category’s roster (义务兵家庭名单)', () => {
  it.each(['义务兵家庭名单', '義務兵家庭名單', '义务兵家庭名单？', '铁炉嘴村有哪些义务兵家庭'])(
    '「%s」 lists only that category',
    async (text) => {
      const { t } = await botAt(DECEMBER_2)

      const [li] = await say(t, 'li', text)

      expect(li).toBe(
        [
          '铁炉嘴村花名册（义务兵家庭）共 3 户：',
          '1. 李一（农村）',
          '2. 李二（农村）',
          '3. 李三（农村）',
          '回复「对象 姓名」看某人详情。',
        ].join('\n'),
      )
    },
  )

  it('lists at most 20, the rest counted by village', async () => {
    const { t } = await botAt(DECEMBER_2)
    for (const given of '甲乙丙丁戊己庚辛壬癸子丑寅卯辰') {
      await t.bot.services.people.addPerson(
        { name: `周${given}`, village: '新街社区', category: '义务兵家庭', householdType: '城镇' },
        adminMeta(),
      )
    }

    const [reply] = await say(t, 'boss', '义务兵家庭名单')

    const lines = reply!.split('\n')
    expect(lines[0]).toBe('全镇花名册（义务兵家庭）共 25 户：')
    expect(lines.filter((l) => /^\d+\. /.test(l))).toHaveLength(20)
    expect(reply).toContain('未列出：新街社区另 5 户。回复「村名义务兵家庭名单」分村查看。')
    expect(reply).not.toMatch(/张三|赵六|钱七/)
  })

  it('a category with nobody on the roster says so', async () => {
    const { t } = await botAt(DECEMBER_2)

    expect(await say(t, 'li', '军属名单')).toEqual(['铁炉嘴村花名册上没有现役军人家属。'])
  })
})

describe('readings that must not change', () => {
  const read = (text: string, startsWithCommand = false) =>
    readQuestion(foldText(text), startsWithCommand)

  it.each([
    '走访 张伟 今天 八一',
    '走访 张三 最近一周 日常',
    '慰问部队 武警中队 今天 八一',
    '走访 钱七 电话打不通',
  ])('「%s」 after its command word is no question', (text) => {
    expect(read(text, true)).toBeUndefined()
  })

  it.each([
    '张三',
    '今天',
    '本周',
    '对的',
    '查一下',
    '钱七电话13900003333',
    '我的电话',
    '联系电话',
    '看看',
    '找到了',
    '元旦前走访完',
  ])('「%s」 alone is no question (a form’s answer stays one)', (text) => {
    expect(read(text)).toBeUndefined()
  })

  it('reads the new questions as their answers', () => {
    expect(read('查一下张伟')).toMatchObject({ answer: 'lookup', subjects: ['张伟'] })
    expect(read('钱七电话多少')).toMatchObject({ answer: 'phone', subjects: ['钱七'] })
    expect(read('还有多少钱没发')).toMatchObject({ answer: 'owed', topic: 'allowance' })
    expect(read('春节前还有谁没走访')).toMatchObject({ target: '未走访', before: true })
    expect(read('最近一周')).toMatchObject({ answer: 'span', span: '近7天' })
    expect(read('近一个月走访了几户')).toMatchObject({ answer: 'span', span: '近30天' })
    expect(read('近两周走访了几户')).toMatchObject({ answer: 'span', span: '近14天' })
    expect(read('近三个月走访了多少')).toMatchObject({ answer: 'span', span: '近90天' })
    expect(read('元旦前能走访完吗')).toMatchObject({ answer: 'pace', occasion: '元旦' })
    expect(read('义务兵家庭名单')).toMatchObject({ answer: 'rosterList', category: '义务兵家庭' })
    expect(read('李明走访了几户')).toMatchObject({ subjects: ['李明'], counted: true })
  })
})

describe('a visit told as a sentence (docs/intents.md)', () => {
  it('is answered with the line that records it, and nothing is stored', async () => {
    const { t } = await botAt(JULY_31)

    const [told] = await say(t, 'li', '昨天走访了张三，给了500块钱')
    const [withGoods] = await say(t, 'li', '今天去李三家慰问了，送了两袋米')
    const [asked] = await say(t, 'li', '张三走访了吗')

    expect(told).toBe('这句话没有登记。要登记走访请发：\n走访 张三 昨天 慰问金500元')
    expect(withGoods).toBe('这句话没有登记。要登记走访请发：\n走访 李三 今天 米2袋')
    // A question about a visit is still the question.
    expect(asked).not.toContain('这句话没有登记')
    const visits: unknown[] = []
    for await (const v of t.bot.services.visits.recordsOfCampaign(2026, '八一')) visits.push(v)
    expect(visits).toEqual([])
  })
})

describe('a leader’s words for progress and for the village asked (a tester)', () => {
  it.each([
    ['八一走访到哪了', /^2026 八一走访（截至 07-31，距八一 1 天）\n全镇：应访/],
    ['八一准备得怎么样了', /^2026 八一走访（截至 07-31，距八一 1 天）\n全镇：应访/],
    ['八一走访总结', /^2026 八一走访（截至 07-31，距八一 1 天）\n全镇：应访/],
    ['走访最少的村', /^2026 八一走访各村完成率/],
    ['慰问金最多的村', /^2026 八一走访各村完成率/],
    // The villages compared, not the roster listed (a tester got 「全镇花名册共 12 人」).
    ['哪个村还没完成', /^2026 八一走访各村完成率/],
    ['哪几个村完成了', /^2026 八一走访各村完成率/],
  ])('「%s」 is answered from the figures', async (text, reply) => {
    const { t } = await botAt(JULY_31)

    expect((await say(t, 'boss', text))[0]).toMatch(reply)
  })

  it('「我们村还有谁没走」 is 未走访 of the cadre’s village', async () => {
    const { t } = await botAt(JULY_31)

    expect((await say(t, 'li', '我们村还有谁没走'))[0]).toMatch(
      /^2026 八一走访（[^）]*）\n铁炉嘴村尚有 \d+ 户未走访：/,
    )
  })
})

describe('the asker’s own visits (本周我走访了几户, a tester)', () => {
  it('counts the visits the asker logged, not every one of their villages', async () => {
    const { t } = await botAt(DECEMBER_2)
    await say(t, 'boss', '走访 李一 今天 元旦')
    await say(t, 'li', '走访 李二 今天 元旦')

    const [mine] = await say(t, 'li', '本周我走访了几户')
    const [village] = await say(t, 'li', '本周走访了几户')

    expect(mine).toMatch(/^本周（11-30 至 12-02）铁炉嘴村您登记的走访 1 户：\n共 1 次/)
    expect(village).toMatch(/^本周（11-30 至 12-02）铁炉嘴村走访 2 户：\n共 2 次/)
  })
})
