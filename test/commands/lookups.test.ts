import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta, payAll, seedTown, visit, type Town } from '../support/town.js'

// 2026-12-02 10:00 in Shanghai, a Wednesday.
const NOW = new Date('2026-12-02T02:00:00Z')

describe('looking people and records up (issue 12, part 2)', () => {
  let t: TestBot
  let town: Town

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    town = await seedTown(t)
    const { record } = await t.bot.services.people.addPerson(
      {
        name: '王建国',
        village: '铁炉嘴村',
        category: '残疾军人',
        disability: { grade: '五级' },
        householdType: '农村',
      },
      adminMeta(),
    )
    town.people['王建国'] = record
  })
  afterEach(async () => {
    await t.cleanup()
  })

  describe('对象', () => {
    it('finds a person by part of the name and shows the card', async () => {
      const [reply] = await say(t, 'li', '对象 建国')

      expect(reply).toBe(
        `#${town.people['王建国']!.id} 王建国（残疾军人·五级）\n铁炉嘴村，农村\n2025 年以来没有走访记录`,
      )
    })

    it('lists several partial matches with their numbers', async () => {
      const [reply] = await say(t, 'boss', '对象 王')

      expect(reply).toMatch(
        /^名字含「王」的有 4 位：\n#\d+ 王建国 铁炉嘴村 残疾军人·五级\n#\d+ 王一 童家坝村 义务兵家庭\n/,
      )
      expect(reply).toMatch(/回复「查看 #编号」看某位的详情。$/)
    })

    it('shows last visits by occasion, payments by year and open needs on the card', async () => {
      await visit(t, town, '李一')
      await visit(t, town, '李一', {
        date: '2026-11-20',
        occasion: '日常',
        campaignYear: 2026,
        needs: '屋顶漏雨需修缮',
      })
      await payAll(t, town, 2025, ['李一'])
      await payAll(t, town, 2026, ['李一'])

      const [reply] = await say(t, 'li', '对象 李一')

      const lines = reply!.split('\n')
      expect(lines[0]).toBe(`#${town.people['李一']!.id} 李一（义务兵家庭）`)
      expect(lines[1]).toBe('铁炉嘴村，农村')
      expect(lines[2]).toMatch(/^电话 138\*+2222$/)
      expect(lines[3]).toMatch(/^身份证 \d{4}\*+\d{3}[\dX]$/)
      expect(lines.slice(4)).toEqual([
        '八一走访 2026-07-28',
        '日常走访 2026-11-20',
        '2026 年优待金 5,800 元',
        '2025 年优待金 5,500 元',
        expect.stringMatching(/^待办 #\d+ 屋顶漏雨需修缮$/),
      ])
    })

    it('in a group counts the open needs without saying them, on the card and in 查看', async () => {
      const { record: v } = await visit(t, town, '张三', { needs: '孙子看病需要医疗救助' })

      const [card] = await say(t, 'li', '对象 张三', { chat: 'village-group' })
      const [shown] = await say(t, 'li', `查看 #${v.id}`, { chat: 'village-group' })

      expect(card).toMatch(/\n待办 1 项（私聊查看）$/)
      expect(shown).toContain('\n发现需求 1 项（待办，私聊查看）\n')
      expect(`${card}${shown}`).not.toContain('医疗救助')
    })

    it('says a conscript family’s allowance is not paid this year', async () => {
      const [reply] = await say(t, 'li', '对象 李二')

      expect(reply).toMatch(/\n2026 年优待金未发放$/)
    })

    it('shows someone removed as removed, a person by number, and refuses a village written first (testers)', async () => {
      await say(t, 'admin', '撤销 #1 去世') // 张三
      const [removed] = await say(t, 'li', '对象 张三')
      const [numbered] = await say(t, 'li', '对象 #4')
      const [other] = await say(t, 'li', '对象 #2')
      const [village] = await say(t, 'li', '对象 童家坝村 赵六')

      expect(removed).toMatch(/^#1 张三（已移除）（残疾军人）\n移出原因：去世\n/)
      expect(numbered).toMatch(/^#4 李二（义务兵家庭）\n铁炉嘴村，农村\n/)
      expect(other).toBe('赵六在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。')
      expect(village).toBe('童家坝村不在您负责的村（铁炉嘴村），不能查看。')
    })

    it('says what a family paid part of its standard is still owed (a tester read it as paid)', async () => {
      await say(t, 'li', '发放优待金 李二 4000元 今天')
      await say(t, 'li', '确认')
      const [reply] = await say(t, 'li', '对象 李二')

      expect(reply).toMatch(/\n2026 年优待金 4,000 元，尚欠 1,800 元$/)
    })

    it('suggests the name a typo away', async () => {
      const [reply] = await say(t, 'li', '对象 王建果')

      expect(reply).toBe(
        '在您负责的村（铁炉嘴村）没有找到「王建果」。您是不是要找 王建国（铁炉嘴村）？',
      )
    })

    it('says how to look up when nothing is near', async () => {
      const [reply] = await say(t, 'boss', '对象 欧阳修')

      expect(reply).toBe('没有找到「欧阳修」。可只写名（如「对象 建国」），或写村名看花名册。')
    })

    it('keeps a cadre to their villages', async () => {
      const [other] = await say(t, 'li', '对象 赵六')
      const [roster] = await say(t, 'li', '对象 童家坝村')

      // Where 赵六 is, as 走访 赵六 says it: one answer to a cadre about another village's family.
      expect(other).toBe('赵六在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。')
      expect(roster).toBe('童家坝村不在您负责的村（铁炉嘴村），不能查看。')
    })

    it('lists a village’s roster, numbered', async () => {
      const [reply] = await say(t, 'li', '对象 铁炉嘴村')

      expect(reply).toBe(
        [
          '铁炉嘴村花名册共 5 人：',
          '1. 张三 残疾军人',
          '2. 李一 义务兵家庭·农村',
          '3. 李二 义务兵家庭·农村',
          '4. 李三 义务兵家庭·农村',
          '5. 王建国 残疾军人·五级·农村',
          '回复「对象 姓名」看某人详情。',
        ].join('\n'),
      )
    })

    it('answers a query longer than any name without scanning for it', async () => {
      const [reply] = await say(t, 'boss', `对象 ${'王'.repeat(40)}`)

      expect(reply).toBe(
        `没有找到「${'王'.repeat(40)}」。可只写名（如「对象 建国」），或写村名看花名册。`,
      )
    })

    it('asks for a name or a village when empty', async () => {
      const [reply] = await say(t, 'li', '对象')

      expect(reply).toBe('请写上要查的姓名或村名，如「对象 张三」「对象 建国」「对象 铁炉嘴村」。')
    })
  })

  describe('花名册', () => {
    it('lists the asker’s villages, grouped, paged at phone length', async () => {
      for (let i = 1; i <= 12; i++) {
        await t.bot.services.people.addPerson(
          {
            name: `周${'甲乙丙丁戊己庚辛壬癸子丑'[i - 1]}`,
            village: '新街社区',
            category: '烈士遗属',
          },
          adminMeta(),
        )
      }
      const [first] = await say(t, 'boss', '花名册')
      const [second] = await say(t, 'boss', '名册 2')
      const [past] = await say(t, 'boss', '花名册 9')

      const firstLines = first!.split('\n')
      expect(firstLines[0]).toBe('全镇花名册共 25 人：')
      expect(firstLines[1]).toBe('【铁炉嘴村】')
      expect(firstLines).toContain('【童家坝村】')
      expect(firstLines.filter((l) => /^\d+\. /.test(l))).toHaveLength(15)
      expect(firstLines.at(-2)).toBe('第 1/2 页，回复「花名册 2」看下一页。')
      expect(second).toMatch(/^全镇花名册共 25 人：\n【新街社区】\n16\. /)
      expect(second).toContain('第 2/2 页，已是最后一页。')
      expect(past).toBe('全镇花名册共 25 人，只有 2 页。回复「花名册」从第 1 页看。')
      for (const line of firstLines) expect([...line].length).toBeLessThanOrEqual(22)
    })

    it('for a cadre lists only their village, and refuses an unknown one', async () => {
      const [mine] = await say(t, 'li', '花名册')
      const [unknown] = await say(t, 'li', '花名册 黑石村')

      expect(mine).toMatch(/^铁炉嘴村花名册共 5 人：\n1\. 张三/)
      expect(unknown).toBe('没有「黑石村」这个村（社区）。请写「花名册」或「花名册 铁炉嘴村」。')
    })
  })

  it('花名册 for a cadre bound to no village says whom to ask', async () => {
    await t.bot.services.roles.set(
      'sandbox:none',
      { role: 'cadre', villages: [], setBy: 'test', setAt: '' },
      adminMeta(),
    )

    const [reply] = await say(t, 'none', '花名册')

    expect(reply).toBe('您还没有负责的村（社区），请管理员用「设置角色」绑定。')
  })

  describe('查看 #N', () => {
    it('describes a visit, a payment, an activity and a person as each reads', async () => {
      const { record: v } = await visit(t, town, '张三', { needs: '腿脚不便需修缮' })
      await payAll(t, town, 2026, ['李一'])
      const [activity] = await say(t, 'li', '活动 座谈会 今天 参加40人')
      const activityId = Number(/#(\d+)/.exec(activity!)![1])
      const paymentId = (await t.bot.services.records.idsLoggedBy('sandbox:admin')).at(-1)!

      const [shownVisit] = await say(t, 'li', `查看 #${v.id}`)
      const [shownPayment] = await say(t, 'li', `查看 ${paymentId}`)
      const [shownActivity] = await say(t, 'li', `查看 ＃${activityId}`)
      const [shownPerson] = await say(t, 'li', `查看 #${town.people['张三']!.id}`)

      expect(shownVisit).toBe(
        `#${v.id} 走访\n2026-07-28 八一走访 铁炉嘴村 张三\n慰问金 500 元；物品 米1袋\n需求：腿脚不便需修缮（待办）\n走访人 李书记`,
      )
      expect(shownPayment).toBe(
        `#${paymentId} 优待金发放\n2026-07-20 铁炉嘴村 李一 2026 年优待金 5,800 元（农村）`,
      )
      expect(shownActivity).toBe(`#${activityId} 活动\n2026-12-02 铁炉嘴村 座谈会，40 人`)
      expect(shownPerson).toMatch(
        new RegExp(`^#${town.people['张三']!.id} 张三（残疾军人）\n铁炉嘴村\n`),
      )
    })

    it('marks a withdrawn record', async () => {
      const { record: v } = await visit(t, town, '张三')
      await say(t, 'admin', `撤销 #${v.id}`)

      const [reply] = await say(t, 'li', `查看 #${v.id}`)

      expect(reply).toMatch(new RegExp(`^#${v.id}（已撤销） 走访\n`))
    })

    it('reads another village’s record, a missing one, and a bad number alike as not found or how to write it', async () => {
      const { record: v } = await visit(t, town, '赵六')

      const [other] = await say(t, 'li', `查看 #${v.id}`)
      const [missing] = await say(t, 'li', '查看 #99999')
      const [bad] = await say(t, 'li', '查看 张三')
      const [asSaid] = await say(t, 'li', `查看${v.id}号`)
      const [counted] = await say(t, 'li', `查看 第${v.id}条`)

      expect(other).toBe(`没有找到您能查看的记录 #${v.id}。回复「我的记录」看您登记的。`)
      expect(missing).toBe('没有找到您能查看的记录 #99999。回复「我的记录」看您登记的。')
      expect(bad).toBe('请写记录编号，如「查看 #191」。\n查对象请发「对象 张三」。')
      // 13号 and 第13条, as 撤销 and 修改 read them, name the record too.
      expect(asSaid).toBe(other)
      expect(counted).toBe(other)
    })
  })

  describe('我的记录', () => {
    it('lists what the asker logged today, newest first', async () => {
      await say(t, 'li', '走访 张三 今天 日常 慰问金200元')
      await say(t, 'li', '发放优待金 李一 今天')
      await say(t, 'boss', '走访 李二 今天 日常')

      const [reply] = await say(t, 'li', '我的记录')

      expect(reply).toMatch(
        /^您今天登记了 2 条：\n#\d+ 2026 年优待金 李一 5,800 元\n#\d+ 日常走访 张三 12-02\n回复「查看 #编号」看详情。$/,
      )
    })

    it('this week counts from Monday, by when it was logged', async () => {
      const monday = new Date('2026-11-30T02:00:00Z')
      const sunday = new Date('2026-11-29T02:00:00Z')
      const services = t.bot.services
      for (const at of [monday, sunday]) {
        await services.visits.addVisit(
          {
            date: '2026-11-20',
            occasion: '日常',
            campaignYear: 2026,
            personId: town.people['李三']!.id,
            visitors: ['李'],
            cashFen: 0,
            goods: [],
          },
          { actor: 'sandbox:li', at, idempotencyKey: `week-${at.toISOString()}` },
          { allowDuplicate: true },
        )
      }

      const [week] = await say(t, 'li', '我的记录 本周')
      const [today] = await say(t, 'li', '我的记录')
      const [month] = await say(t, 'li', '我的记录 本月')
      const [lastWeek] = await say(t, 'li', '我的记录 上周')
      const [bad] = await say(t, 'li', '我的记录 去年')

      expect(week).toMatch(/^您本周（11-30 起）登记了 1 条：\n#\d+ 日常走访 李三 11-20\n/)
      expect(today).toBe('您今天还没有登记记录。')
      // 本月, 上周, 昨天: the runs of days a question names (我这个月登记了几条), by when logged.
      expect(month).toBe('您本月（12-01 至 12-02）没有登记记录。')
      expect(lastWeek).toMatch(/^您上周（11-23 至 11-29）/)
      expect(bad).toBe(
        '请写「我的记录」（今天的），或加上时间，如「我的记录 本周」「我的记录 本月」「我的记录 昨天」。',
      )
    })

    it('past the 50 records its index keeps, says the count is at least that, not exactly', async () => {
      const services = t.bot.services
      for (let i = 0; i < 55; i++) {
        await services.activities.addActivity(
          { activityKind: '座谈会', date: '2026-12-01', year: 2026, count: 10 + i },
          { actor: 'sandbox:li', at: NOW, idempotencyKey: `many-${i}` },
          // The same 座谈会 55 times: stored as if each repeat had been confirmed.
          { allowDuplicate: true },
        )
      }

      const [reply] = await say(t, 'li', '我的记录')

      expect(reply).toMatch(/^您今天登记了至少 50 条（只列最近 50 条里的）：\n/)
    })
  })
})
