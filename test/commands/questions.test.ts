import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, payAll, seedTown, visit, type Town } from '../support/town.js'
import { headingOf } from '../support/reply-width.js'

// 2026-07-31 10:00 in Shanghai: the day before 八一, inside its campaign (conversations.md).
const NOW = new Date('2026-07-31T02:00:00Z')

/** Which command answered, by the first line of its reply. */
const ANSWERED_BY = {
  统计: /^\d{4} \S+走访（[^）]*）$/,
  统计优待金: /^\d{4} 年\S*优待金（[^）]*）$/,
  统计活动: /^\d{4} 年双拥活动/,
  // Read from the first two lines: the campaign's heading is 统计's, whose list follows it.
  未走访: /^\d{4} \S+走访（[^）]*）[：\n]\S+(?:尚有 \d+ 户未走访|全部已走访)/,
  未发放: /^\d{4} 年优待金（[^）]*）[：\n]\S+(?:尚有 \d+ 户未发放|全部已发放)/,
  统计全年: /^\d{4} 年走访慰问合计（[^）]*）$/,
  统计排名: /^\d{4} \S+走访各村完成率（[^）]*）$/,
  统计今天: /^今天（\d{2}-\d{2}）/,
  对象: /王建国/,
  花名册: /花名册/,
  我的记录: /^您(?:今天|本周).*(?:登记了 \d+ 条|还没有登记记录)/,
} as const

type Answer = keyof typeof ANSWERED_BY

/**
 * [what the asker writes, who asks, which command answers, what its first line must also say].
 * `boss` is a leader (every village), `li` a cadre of 铁炉嘴村. The first eleven are issue 12's.
 */
type Row = [text: string, user: 'boss' | 'li', answer: Answer, also?: RegExp]

const QUESTIONS: readonly Row[] = [
  ['还有谁没走访', 'boss', '未走访', /^2026 八一走访（[^）]*）\n全镇/],
  ['今年优待金发了多少', 'boss', '统计优待金', /^2026 年/],
  ['哪些村还没发优待金', 'boss', '未发放', /^2026 年/],
  ['各村走访进度', 'boss', '统计', /^2026 八一/],
  ['八一走访情况', 'boss', '统计', /^2026 八一/],
  ['王建国走访过没有', 'boss', '对象'],
  ['未走访名单', 'boss', '未走访'],
  ['统计 今年', 'boss', '统计', /^2026 八一/],
  ['优待金发放情况', 'boss', '统计优待金'],
  ['走访进度', 'boss', '统计'],
  ['慰问金发了多少', 'boss', '统计'],
  // A cadre's own villages by default, a leader's whole township.
  ['还有谁没走访', 'li', '未走访', /铁炉嘴村尚有/],
  ['各村走访进度', 'li', '统计'],
  ['还有谁没走访？', 'boss', '未走访'],
  ['還有誰沒走訪？', 'boss', '未走访'],
  ['優待金發了多少？', 'boss', '统计优待金'],
  ['八一還有幾戶沒走訪', 'li', '未走访', /^2026 八一/],
  ['请问一下，八一还有几户没走访？', 'boss', '未走访'],
  ['哪些户还没慰问', 'li', '未走访'],
  ['没走访的有哪些', 'boss', '未走访'],
  ['走访名单', 'boss', '未走访'],
  ['铁炉嘴村走访进度怎么样', 'boss', '统计', /^2026 八一走访/],
  ['童家坝还有谁没走访', 'boss', '未走访', /童家坝村尚有/],
  ['去年八一走访了多少户', 'boss', '统计', /^2025 八一/],
  ['2025年优待金发了多少钱', 'boss', '统计优待金', /^2025 年/],
  ['明年春节走访情况', 'boss', '统计', /^2027 春节/],
  ['春节走访完成了吗', 'boss', '统计', /春节/],
  ['建军节慰问进度如何', 'boss', '统计', /八一/],
  ['全镇八一走访完成率', 'boss', '统计'],
  ['八一走访完成得怎么样了', 'li', '统计'],
  ['优待金发得怎么样了', 'boss', '统计优待金'],
  ['优待金还有谁没发？', 'boss', '未发放'],
  ['義務兵家庭優待金還有幾戶沒發', 'boss', '未发放'],
  ['新街社区优待金发了没有', 'boss', '统计优待金'],
  ['铁炉嘴村优待金发放进度', 'li', '统计优待金'],
  ['今年搞了几次活动', 'boss', '统计活动', /^2026 年/],
  ['活动情况', 'boss', '统计活动'],
  ['王建国有没有走访', 'boss', '对象'],
  ['王建国家优待金发了吗', 'boss', '对象'],
  ['铁炉嘴村王建国走访了吗', 'li', '对象'],
  ['帮我查一下走访进度', 'boss', '统计'],
  ['咱们村走访得怎么样', 'li', '统计'],
  ['八一走访，还差几户？', 'boss', '未走访'],
  ['铁炉嘴村、童家坝村优待金发了多少？', 'boss', '统计优待金'],
  ['铁炉嘴村有哪些优抚对象', 'boss', '花名册', /^铁炉嘴村花名册/],
  ['义务兵家庭名单', 'li', '花名册', /^铁炉嘴村花名册/],
  ['王建国是谁', 'boss', '对象'],
  ['我这周登记了哪些', 'li', '我的记录', /^您本周/],
  ['今天我登记了几条？', 'li', '我的记录', /^您今天/],
  // The year, the ranking and today (tally-views.test.ts checks their figures against 统计).
  ['今年慰问金花了多少', 'boss', '统计全年', /^2026 年/],
  ['今年走访了多少户', 'li', '统计全年', /\n铁炉嘴村：/],
  ['慰問金總共多少錢？', 'boss', '统计全年'],
  ['哪个村走访最差', 'boss', '统计排名', /^2026 八一/],
  ['走访排名', 'boss', '统计排名'],
  ['今天走访了谁', 'boss', '统计今天'],
  ['今天登记了哪些？', 'li', '统计今天', /铁炉嘴村/],
  ['今天谁还没走访', 'li', '未走访', /铁炉嘴村尚有/],
]

describe('questions in the asker’s own words (issue 12)', () => {
  let t: TestBot
  let town: Town

  beforeAll(() => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(33)
  })
  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
    const { record } = await t.bot.services.people.addPerson(
      { name: '王建国', village: '铁炉嘴村', category: '在乡复员军人' },
      adminMeta(),
    )
    town.people['王建国'] = record
    await visit(t, town, '李一')
    await visit(t, town, '王建国')
    await payAll(t, town, 2026, ['李一', '王一'])
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each<Row>(QUESTIONS)(
    '「%s」 asked by %s is answered by %s and stores nothing',
    async (...[text, user, answer, also]: Row) => {
      const seqBefore = await t.redis.get(t.keys.recordSeq())

      const [first, ...rest] = await say(t, user, text)

      // A reply with a table ends its lines with two spaces (a markdown hard break).
      const heading = headingOf(first!)
      // The heading and the line under it: 未走访 and 未发放 say whose list on the second.
      const twoLines = first!
        .replace(/\n(?=（)/, '')
        .split('\n')
        .slice(0, 2)
        .map((line) => line.trimEnd())
        .join('\n')
      const shown =
        answer === '对象' ? first : answer === '未走访' || answer === '未发放' ? twoLines : heading
      expect(shown).toMatch(ANSWERED_BY[answer])
      for (const [other, pattern] of Object.entries(ANSWERED_BY)) {
        if (other !== answer && other !== '对象') expect(twoLines).not.toMatch(pattern)
      }
      if (also) expect(first).toMatch(also)
      expect(first).not.toMatch(/没看懂|已登记|走访谁|请回复序号/)
      expect(rest).toEqual([])
      expect(await t.redis.get(t.keys.recordSeq())).toBe(seqBefore)
      expect(await t.redis.exists(t.keys.form('sandbox', user, user))).toBe(0)
    },
  )

  it('a record line that mentions a question word is still a record', async () => {
    const [reply] = await say(t, 'li', '走访 张三 7月30日 八一 慰问金300元 备注 问了家里情况怎么样')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-30 八一走访 铁炉嘴村 张三/)
  })

  it('a command without a question word is still the command', async () => {
    const [list] = await say(t, 'boss', '未走访 八一')
    const [form] = await say(t, 'li', '走访')

    expect(list).toMatch(ANSWERED_BY.未走访)
    expect(form).toMatch(/^走访谁？/)
  })

  it('a question names a village outside a cadre’s own: refused, not answered for another', async () => {
    const [reply] = await say(t, 'li', '童家坝村还有谁没走访')

    expect(reply).toBe('童家坝村不在您负责的村（铁炉嘴村），不能查看。')
  })

  it('a village that is not registered is named with the nearest ones, never taken for a person', async () => {
    const [reply] = await say(t, 'boss', '铁炉咀村走访进度')

    expect(reply).toBe('没有「铁炉咀村」这个村（社区）。\n您是不是要找「铁炉嘴村」？')
  })

  it('a question from someone unregistered gets the not-registered reply', async () => {
    const [reply] = await say(t, 'stranger', '还有谁没走访')

    expect(reply).toContain('您还未登记为本系统用户')
  })

  it('a question in the middle of a form is answered and the form stays open', async () => {
    await say(t, 'li', '走访')

    const answer = (await say(t, 'li', '还有谁没走访')).join('\n')
    const [next] = await say(t, 'li', '李二')

    expect(answer).toMatch(ANSWERED_BY.未走访)
    expect(answer).toContain('您的走访登记还在进行')
    expect(next).toMatch(/^走访日期？/)
  })
})

describe('years as people say them in 统计 and the lists', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('统计 去年 八一, 未发放 今年 and 统计 优待金 明年 count from today’s year', async () => {
    const [lastYear] = await say(t, 'boss', '统计 去年 八一')
    const [unpaid] = await say(t, 'boss', '未发放 今年')
    const [nextYear] = await say(t, 'boss', '统计 优待金 明年')

    expect(lastYear).toMatch(/^2025 八一走访/)
    expect(unpaid).toMatch(/^2026 年优待金/)
    expect(nextYear).toMatch(/^2027 年\S*优待金/)
  })

  it('导出 优待金 今年 is this year’s payments', async () => {
    const [reply] = await say(t, 'boss', '导出 优待金 今年')

    expect(reply).toContain('2026')
    expect(reply).not.toMatch(/没看懂/)
  })

  it('统计 今年 in December is this year’s latest campaign, not the 元旦 of last January', async () => {
    const december = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2026-12-01T02:00:00Z') },
    )
    try {
      await seedTown(december)

      const [thisYear] = await say(december, 'boss', '统计 今年')
      const [plain] = await say(december, 'boss', '统计')

      expect(headingOf(thisYear!)).toMatch(/^2026 八一走访（已于 08-01 结束/)
      expect(plain).toMatch(/^2027 元旦走访/)
    } finally {
      await december.cleanup()
    }
  })
})

describe('greetings and 帮助 by topic (issue 12)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it.each(['你好', '您好！', '怎么用', '在吗？', 'hi', 'Hello'])(
    '「%s」 answers one line about the bot and the asker’s role’s commands',
    async (text) => {
      const [reply] = await say(t, 'li', text)

      const lines = reply!.split('\n')
      expect(lines[0]).toBe('您好！我是双拥助手，登记走访、查进度。')
      expect(lines[1]).toBe('您是村干部（铁炉嘴村），可以这样用：')
      expect(lines).toContain('· 未发放 2026')
      expect(lines).not.toContain('· 年报 2026')
      expect(lines).not.toContain('· 设置角色 wecom:lisi 村干部 铁炉嘴村')
    },
  )

  it('a greeting from someone unregistered gets the not-registered reply', async () => {
    expect(await say(t, 'stranger', '你好')).toEqual([
      '您还未登记为本系统用户。请把这条消息转给管理员，并附上您的账号：sandbox:stranger',
    ])
  })

  it('a greeting that goes on to ask is answered as the question', async () => {
    const [reply] = await say(t, 'li', '你好，还有谁没走访？')

    expect(reply).toMatch(ANSWERED_BY.未走访)
  })

  it('帮助 优待金 lists the allowance commands with this year’s examples and who else may', async () => {
    const [reply] = await say(t, 'li', '帮助 优待金')

    const lines = reply!.split('\n')
    expect(lines[0]).toBe('「优待金」相关的命令：')
    expect(lines).toEqual(
      expect.arrayContaining([
        '· 发放优待金 李四 8600元 7月30日',
        '· 未发放 2026',
        '· 统计 优待金 2026',
        '· 优待金标准',
        '优待金截止需要管理员权限。',
      ]),
    )
    expect(reply).not.toContain('· 走访')
  })

  it.each([
    ['怎么走访', /^「走访」登记一次走访慰问/],
    ['怎么登记走访', /^「走访」登记一次走访慰问/],
    ['如何设置提醒', /^「提醒」到时提醒自己/],
    ['提醒怎么用', /^「提醒」到时提醒自己/],
    ['优待金怎么发', /^「优待金」相关的命令：/],
  ])('「%s」 is 帮助 for that (testers were offered 「怎么用访」)', async (text, reply) => {
    expect((await say(t, 'li', text))[0]).toMatch(reply)
  })

  it('撤销 with a word after a comma names the word, not empty quotes', async () => {
    const [reply] = await say(t, 'li', '撤销 #128 #130，撤销上一条')

    expect(reply).toMatch(/^「撤销上一条」不是记录号，未撤销任何记录。/)
  })

  it('帮助 finds a command by its alias, and says when it needs another role', async () => {
    const [byAlias] = await say(t, 'li', '帮助 慰问')
    const [report] = await say(t, 'li', '帮助 年报')

    expect(byAlias).toMatch(/^「走访」登记一次走访慰问/)
    expect(report).toBe('「年报」需要领导及以上权限。\n您当前是村干部，如需开通请联系管理员。')
  })

  it('帮助 with a question says it can be sent as it is, and which command answers it', async () => {
    const [reply] = await say(t, 'li', '帮助 还有谁没走访')

    expect(reply).toMatch(/^「还有谁没走访」可以直接发，由「未走访」回答。\n「未走访」/)
  })

  it('帮助 with a question that has its own answer says only to send it', async () => {
    const [countdown] = await say(t, 'li', '帮助 离八一还有几天')
    const [todo] = await say(t, 'li', '帮助 我还有什么没办')

    expect(countdown).toBe('「离八一还有几天」可以直接发，我会直接回答。')
    expect(todo).toBe('「我还有什么没办」可以直接发，我会直接回答。')
  })

  it('帮助 排名, 帮助 全年 and 帮助 今天 name the 统计 that answers them', async () => {
    const [ranking] = await say(t, 'boss', '帮助 排名')
    const [year] = await say(t, 'boss', '帮助 全年')
    const [today] = await say(t, 'li', '帮助 今天')

    expect(ranking).toBe('「排名」相关的命令：\n· 统计 排名\n回复「帮助 统计」查看说明。')
    expect(year!.split('\n')).toEqual(expect.arrayContaining(['· 统计 全年', '· 年报 2026']))
    expect(today!.split('\n')).toEqual(expect.arrayContaining(['· 统计 今天', '· 我的记录']))
  })

  it('帮助 八一 names the commands about the occasion', async () => {
    const [reply] = await say(t, 'li', '帮助 八一')

    expect(reply!.split('\n')).toEqual(
      expect.arrayContaining(['· 统计 八一', '· 未走访 八一', '· 提醒计划']),
    )
  })

  it('帮助 with a word nothing is about says so, then lists everything', async () => {
    const [reply] = await say(t, 'li', '帮助 天气')

    expect(reply).toMatch(/^没有找到「天气」相关的命令。\n双拥助手可用命令：\n/)
  })

  it('帮助’s examples are in the clock’s year, whichever year they were written in', async () => {
    const later = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2028-03-01T02:00:00Z') },
    )
    try {
      const [now2026] = await say(t, 'admin', '帮助')
      const [now2028] = await say(later, 'admin', '帮助')

      expect(now2026).toContain('· 未发放 2026')
      expect(now2026).toContain('· 优待金标准')
      expect(now2026).not.toMatch(/2027/)
      expect(now2028).toContain('· 未发放 2028')
      expect(now2028).not.toMatch(/202[67]/)
    } finally {
      await later.cleanup()
    }
  })

  it('帮助’s dated examples read as of today: yesterday, in the season’s campaign, stored as sent', async () => {
    const march = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin' },
      { now: () => new Date('2027-03-15T02:00:00Z') },
    )
    try {
      await seedTown(march)
      const [help] = await say(march, 'admin', '帮助 走访')
      const example = /例：(.*)/.exec(help!)![1]!

      expect(example).toMatch(/^走访 张三 3月14日 春节 慰问金500元/)
      const [stored] = await say(march, 'admin', example.replace('张三', '张三 铁炉嘴村'))
      expect(stored).toMatch(/^已登记 #\d+/)
    } finally {
      await march.cleanup()
    }
  })

  it('帮助 for an administrator still fits one WeCom passive reply (2048 bytes)', async () => {
    const [reply] = await say(t, 'admin', '帮助')

    expect(Buffer.byteLength(reply!)).toBeLessThan(2048)
  })
})
