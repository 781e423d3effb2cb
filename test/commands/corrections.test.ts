import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readRecordNumbers } from '../../src/commands/corrections.js'
import { Reconciler } from '../../src/records/reconciler.js'
import type { Occasion } from '../../src/records/schemas.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-31 10:00 in Asia/Shanghai, the day before 八一.
const NOW = new Date('2026-07-31T02:00:00Z')

describe('修改 and 撤销 say what changed (issue 11, part 7)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
    await say(t, 'admin', '设置角色 sandbox:wang 村干部 铁炉嘴村')
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const tally = async (year: number, occasion: Occasion) =>
    (await t.bot.services.tallies.readCampaignTally(year, occasion)).total
  const drift = async () =>
    (await new Reconciler({ redis: t.redis, keys: t.keys }).recountFromRecords()).drift
  const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])
  const visit = async (user: string, line: string) => idOf((await say(t, user, line))[0])
  const listed = async (year: number, occasion: Occasion) => {
    const ids: number[] = []
    for await (const v of t.bot.services.visits.recordsOfCampaign(year, occasion)) ids.push(v.id)
    return ids
  }

  describe('修改', () => {
    it('names the person and shows the cash before and after; the sum moves by the difference', async () => {
      const id = await visit('li', '走访 张三 今天 八一 慰问金500元')

      const [reply] = await say(t, 'li', `修改 #${id} 金额 300元。`)

      expect(reply).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：慰问金 500 元 → 300 元`)
      expect(await tally(2026, '八一')).toMatchObject({ visits: 1, households: 1, cashFen: 30_000 })
      expect(await drift()).toEqual([])
    })

    it('changes who went along (陪同, 走访人); whoever logged it stays the first visitor', async () => {
      const id = await visit('li', '走访 张三 今天 八一 陪同 王五')

      const [replaced] = await say(t, 'li', `修改 #${id} 陪同 刘镇长、陈书记`)
      const [cleared] = await say(t, 'li', `修改 #${id} 走访人 无`)
      const [payment] = await say(
        t,
        'li',
        `修改 #${await visit('li', '发放优待金 李一 今天')} 陪同 王五`,
      )

      expect(replaced).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：陪同 王五 → 刘镇长、陈书记`)
      expect(cleared).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：陪同 刘镇长、陈书记 → 无`)
      expect(await t.bot.services.records.getRecord(id)).toMatchObject({ visitors: ['li'] })
      expect(payment).toMatch(/^#\d+ 不能修改「陪同」。\n这条可改：\n金额 日期 备注$/)
      // A payment to the wrong family says how to put it right, in a few lines.
      const [otherFamily] = await say(t, 'li', `修改 上一条 对象 李三`)
      expect(otherFamily).toMatch(
        /^#(\d+) 不能修改「对象」。\n这条可改：\n金额 日期 备注\n发错了户请「撤销 #\1」后重新登记。$/,
      )
      expect(await drift()).toEqual([])
    })

    it('shows goods and notes as they were and as they are', async () => {
      const id = await visit('li', '走访 张三 今天 八一 米1袋')

      const [goods] = await say(t, 'li', `修改 #${id} 物品 米2袋 油1桶`)
      const [notes] = await say(t, 'li', `修改 #${id} 备注 已修缮`)
      const [cleared] = await say(t, 'li', `修改 #${id} 物品 无`)

      expect(goods).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：物品 米1袋 → 米2袋、油1桶`)
      expect(notes).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：备注 无 → 已修缮`)
      expect(cleared).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：物品 米2袋、油1桶 → 无`)
      expect(await tally(2026, '八一')).toMatchObject({ goodsLines: 0 })
      expect(await drift()).toEqual([])
    })

    it('moves a visit to another occasion, filed by the season rule, and back without listing it twice', async () => {
      const id = await visit('li', '走访 张三 今天 八一 慰问金500元')

      const [moved] = await say(t, 'li', `修改 #${id} 场合 春节`)
      const afterMove = { bayi: await tally(2026, '八一'), chunjie: await tally(2026, '春节') }
      const listedAfterMove = {
        bayi: await listed(2026, '八一'),
        chunjie: await listed(2026, '春节'),
      }
      const driftAfterMove = await drift()
      const [back] = await say(t, 'li', `修改 #${id} 场合 建军节`)

      // On 07-31 the nearest 春节 is 2026-02-17 (164 days back), not 2027-02-06 (190 ahead).
      expect(moved).toBe(
        [`已修改 #${id} 铁炉嘴村 张三 八一走访：`, '场合 八一 → 春节', '计入 2026 春节走访'].join(
          '\n',
        ),
      )
      expect(afterMove.bayi).toMatchObject({ visits: 0, households: 0, cashFen: 0 })
      expect(afterMove.chunjie).toMatchObject({ visits: 1, households: 1, cashFen: 50_000 })
      expect(listedAfterMove).toEqual({ bayi: [], chunjie: [id] })
      expect(driftAfterMove).toEqual([])
      expect(back).toContain('场合 春节 → 八一')
      expect(await listed(2026, '八一')).toEqual([id])
      expect(await tally(2026, '八一')).toMatchObject({ visits: 1, households: 1 })
      expect(await drift()).toEqual([])
    })

    it('a new date recomputes the season year: a 元旦 visit moved from 12-28 to 01-02 counts in the earlier 元旦', async () => {
      const id = await visit('li', '走访 张三 2025-12-28 元旦 慰问金200元')

      const [reply] = await say(t, 'li', `修改 #${id} 日期 2025-01-02`)

      expect(reply).toBe(
        [
          `已修改 #${id} 铁炉嘴村 张三 元旦走访：`,
          '日期 2025-12-28 → 2025-01-02',
          '计入 2025 元旦走访',
        ].join('\n'),
      )
      expect(await tally(2026, '元旦')).toMatchObject({ visits: 0, households: 0 })
      expect(await tally(2025, '元旦')).toMatchObject({ visits: 1, households: 1, cashFen: 20_000 })
      expect(await drift()).toEqual([])
    })

    it('a date after today, an impossible date or a far-back date without its year is refused and nothing moves', async () => {
      const id = await visit('li', '走访 张三 今天 八一')

      const [tomorrow] = await say(t, 'li', `修改 #${id} 日期 明天`)
      const [impossible] = await say(t, 'li', `修改 #${id} 日期 6月31日`)
      const [ahead] = await say(t, 'li', `修改 #${id} 日期 8月30日`)
      const [farBack] = await say(t, 'li', `修改 #${id} 日期 10月5日`)
      const [unreadable] = await say(t, 'li', `修改 #${id} 日期 前些天`)
      const [earlier] = await say(t, 'li', `修改 #${id} 日期 7月29日`)

      expect(tomorrow).toBe(
        `2026-08-01 在今天之后，还没到，#${id} 未修改。已经做过的请写实际日期，如「昨天」「7月27日」。`,
      )
      expect(impossible).toMatch(new RegExp(`^6月31日 不存在（.*），#${id} 未修改。`))
      // 8月30日 on 07-31 is the coming one (NEAR_AHEAD_DAYS), so it is not yet; 10月5日 (66
      // days ahead) is last year's, and far back.
      expect(ahead).toBe(
        [
          `2026-08-30 在今天之后，还没到，#${id} 未修改。已经做过的请写实际日期，如「昨天」「7月27日」。`,
          `若是 2025-08-30，请写上年份，如「修改 #${id} 日期 2025-08-30」。`,
        ].join('\n'),
      )
      expect(farBack).toBe(
        `「10月5日」按 2025-10-05 算，是 10 个月前，#${id} 未修改。确是这一天请写上年份，如「修改 #${id} 日期 2025-10-05」。`,
      )
      expect(unreadable).toBe(`没看懂日期「前些天」，如「修改 #${id} 日期 7月29日」。`)
      expect(earlier).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：日期 2026-07-31 → 2026-07-29`)
      expect(await drift()).toEqual([])
    })

    it('changes the person: households move between categories exactly', async () => {
      const id = await visit('li', '走访 张三 今天 八一 慰问金500元')
      const before = await t.bot.services.tallies.readCampaignTally(2026, '八一')

      const [reply] = await say(t, 'li', `修改 #${id} 对象 李一`)
      const after = await t.bot.services.tallies.readCampaignTally(2026, '八一')

      expect(reply).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：对象 铁炉嘴村 张三 → 铁炉嘴村 李一`)
      expect(JSON.stringify(before)).toContain('残疾军人')
      expect(after.total).toMatchObject({ visits: 1, households: 1, cashFen: 50_000 })
      expect(await t.bot.services.records.getRecord(id)).toMatchObject({
        personId: expect.any(Number),
        category: '义务兵家庭',
        village: '铁炉嘴村',
      })
      expect(await drift()).toEqual([])
    })

    it('a leader may move a visit to a person of another village; its village follows the person', async () => {
      const id = await visit('li', '走访 张三 今天 八一 慰问金500元')

      const [reply] = await say(t, 'boss', `修改 #${id} 对象 童家坝村 赵六`)

      expect(reply).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：对象 铁炉嘴村 张三 → 童家坝村 赵六`)
      expect(await t.bot.services.records.getRecord(id)).toMatchObject({ village: '童家坝村' })
      expect(await drift()).toEqual([])
    })

    it('a cadre cannot move a visit to a person outside their villages', async () => {
      const id = await visit('li', '走访 张三 今天 八一')

      const [reply] = await say(t, 'li', `修改 #${id} 对象 赵六`)
      const [byNumber] = await say(t, 'li', `修改 #${id} 对象 #999999`)

      expect(reply).toContain('赵六在童家坝村，不在您负责的村')
      expect(byNumber).toBe('没有找到对象 #999999，请核对。')
      expect(await t.bot.services.records.getRecord(id)).toMatchObject({ village: '铁炉嘴村' })
    })

    it('a correction that would repeat another visit (same person, day, occasion) is refused, showing it', async () => {
      const zhang = await visit('li', '走访 张三 今天 八一 慰问金500元')
      const li = await visit('wang', '走访 李一 今天 八一')
      const yesterday = await visit('wang', '走访 张三 昨天 八一')
      const counters = await tally(2026, '八一')

      const [byPerson] = await say(t, 'wang', `修改 #${li} 对象 张三`)
      const [byDate] = await say(t, 'wang', `修改 #${yesterday} 日期 今天`)

      expect(byPerson).toBe(
        [
          `改后会与 #${zhang} 重复，#${li} 未修改：`,
          `#${zhang} 2026-07-31 八一走访 铁炉嘴村 张三，慰问金 500 元（li 登记）`,
          `如 #${li} 是重复登记，请回复「撤销 #${li}」。`,
        ].join('\n'),
      )
      expect(byDate).toContain(`改后会与 #${zhang} 重复，#${yesterday} 未修改`)
      expect(await tally(2026, '八一')).toEqual(counters)
      expect(await drift()).toEqual([])
    })

    it('in a group, a need is recorded but its text is not echoed', async () => {
      const id = await visit('li', '走访 张三 今天 八一')

      const [inGroup] = await say(t, 'li', `修改 #${id} 需求 孙子看病`, { chat: 'g1' })
      const [inPrivate] = await say(t, 'li', `修改 #${id} 需求 孙子看病需要救助`)

      expect(inGroup).toBe(
        `已修改 #${id} 铁炉嘴村 张三 八一走访：需求已更新（群里不显示内容，私聊回复「待办」查看）`,
      )
      expect(inPrivate).toBe(
        `已修改 #${id} 铁炉嘴村 张三 八一走访：需求 孙子看病 → 孙子看病需要救助`,
      )
    })

    it('a payment and an activity show their field before and after', async () => {
      const payment = idOf((await say(t, 'li', '发放优待金 李一 5800元 7月20日'))[0])
      const activity = idOf((await say(t, 'li', '活动 座谈会 7月30日 人数40'))[0])

      const [paid] = await say(t, 'li', `修改 #${payment} 金额 5000元`)
      const [count] = await say(t, 'li', `修改 #${activity} 人数 50`)
      const [wrongField] = await say(t, 'li', `修改 #${payment} 场合 春节`)

      expect(paid).toBe(`已修改 #${payment} 铁炉嘴村 李一 2026 年优待金：金额 5,800 元 → 5,000 元`)
      expect(count).toMatch(new RegExp(`^已修改 #${activity} .*座谈会：人数 40 → 50$`))
      expect(wrongField).toMatch(
        new RegExp(`^#${payment} 不能修改「场合」。\n这条可改：\n金额 日期 备注$`),
      )
      expect(await say(t, 'li', `修改 #${payment} 日期 2025-12-30`)).toEqual([
        `#${payment} 计在 2026 年，改成 2025-12-30 会换到 2025 年，未修改。请撤销后重新登记。`,
      ])
      expect(await drift()).toEqual([])
    })

    it('an amount that looks like a slip is held as when it was recorded, and goes with 确认', async () => {
      const id = await visit('li', '走访 张三 今天 八一 慰问金500元')
      const payment = idOf((await say(t, 'li', '发放优待金 李一 5800元 7月20日'))[0])

      const [cash] = await say(t, 'li', `修改 #${id} 金额 50000元`)
      const [allowance] = await say(t, 'li', `修改 #${payment} 金额 58000元`)
      const [confirmed] = await say(t, 'li', `修改 #${payment} 金额 58000元 确认`)

      expect(cash).toBe(
        `慰问金 50,000 元 超过 10,000 元，未修改。如确有此事请发送「修改 #${id} 金额 50000元 确认」。`,
      )
      expect(allowance).toBe(
        `金额 58,000 元 是标准 5,800 元 的 10 倍，未修改。如确有此事请发送「修改 #${payment} 金额 58000元 确认」。`,
      )
      expect(confirmed).toBe(
        `已修改 #${payment} 铁炉嘴村 李一 2026 年优待金：金额 5,800 元 → 58,000 元`,
      )
      expect(await drift()).toEqual([])
    })

    it('bad input gets a reply saying what was wrong and how to write it', async () => {
      const id = await visit('li', '走访 张三 今天 八一')

      expect(await say(t, 'li', '修改')).toEqual([expect.stringMatching(/^格式：修改 #记录号/)])
      expect(await say(t, 'li', `修改 #${id} 颜色 红`)).toEqual([
        expect.stringMatching(/^格式：修改 #记录号/),
      ])
      expect(await say(t, 'li', `修改 #${id} 场合 中秋`)).toEqual([
        `没看懂场合「中秋」，请写八一、春节、元旦、日常 或 困难帮扶，如「修改 #${id} 场合 春节」。`,
      ])
      expect(await say(t, 'li', `修改 #${id} 对象`)).toEqual([
        `请写上新的对象，如「修改 #${id} 对象 李四」。`,
      ])
      expect(await say(t, 'li', '修改 #999999 金额 1元')).toEqual([
        '没有找到记录 #999999，请核对记录号。',
      ])
      expect(await say(t, 'tong', `修改 #${id} 金额 1元`)).not.toContain('已修改')
    })
  })

  it('类型 and 走访类型 are the occasion, as the visit form calls it', async () => {
    const id = await visit('li', '走访 张三 今天 八一 慰问金500元')

    const [reply] = await say(t, 'li', `修改 #${id} 类型 日常`)
    const [again] = await say(t, 'li', `修改 #${id} 走访类型 八一`)

    expect(reply).toMatch(new RegExp(`^已修改 #${id} 铁炉嘴村 张三 [^]*八一 → 日常`))
    expect(again).toMatch(new RegExp(`^已修改 #${id} 铁炉嘴村 张三 [^]*日常 → 八一`))
    expect(await drift()).toEqual([])
  })

  it("a person's number sent to 修改 or 撤销 names the person and where the record numbers are", async () => {
    const person = Object.values(
      (await t.bot.services.people.listPeople({})) as { id: number; name: string }[],
    ).find((p) => p.name === '张三')!.id

    const [corrected] = await say(t, 'li', `修改 #${person} 慰问金 500元`)
    const [withdrawn] = await say(t, 'li', `撤销 #${person}`)
    const [byAdmin] = await say(t, 'admin', `修改 #${person} 慰问金 500元`)

    expect(corrected).toBe(
      `#${person} 是花名册上的对象张三，不是登记记录；修改对象信息需要领导或管理员权限。` +
        '要修改您的登记，请回复「我的记录」查看编号。',
    )
    expect(withdrawn).toBe(
      `#${person} 是花名册上的对象张三，不是登记记录；移除对象需要领导或管理员权限。` +
        '要撤销您的登记，请回复「我的记录」查看编号。',
    )
    expect(byAdmin).toBe(
      [
        `#${person} 是花名册上的对象张三，`,
        '可改：姓名 户口（未注明时） 电话，',
        `如「修改 #${person} 户口 农村」`,
        `「修改 #${person} 电话 13800000000」。`,
        '村、类别、身份证号有误，',
        '请撤销后重新添加。',
      ].join('\n'),
    )
  })

  it('a leader or admin adds a missing 户口 and changes a 电话; the family can then be paid', async () => {
    const [added] = await say(t, 'admin', '添加对象 钱七 新街社区 义务兵家庭')
    const id = idOf(added)
    const [unpaid] = await say(t, 'boss', '发放优待金 钱七 今天')

    const [typed] = await say(t, 'boss', `修改 #${id} 户口 农村`)
    const [phone] = await say(t, 'admin', `修改 #${id} 电话 139 0000 2222`)
    const [moved] = await say(t, 'admin', `修改 #${id} 村 童家坝`)
    const [retyped] = await say(t, 'admin', `修改 #${id} 户口 城镇`)
    const [badPhone] = await say(t, 'admin', `修改 #${id} 电话 12345`)
    const [paid] = await say(t, 'boss', '发放优待金 钱七 今天')

    expect(unpaid).toBe(
      [
        `钱七（#${id}）的户口是农村还是城镇，`,
        '花名册上没有注明，未登记。',
        '请领导或管理员先补上，',
        `如「修改 #${id} 户口 农村」。`,
      ].join('\n'),
    )
    expect(typed).toBe(`已修改 #${id} 新街社区 钱七（义务兵家庭）：户口 未注明 → 农村`)
    expect(phone).toBe(`已修改 #${id} 新街社区 钱七（义务兵家庭）：电话 无 → 139****2222`)
    // A move or a new type would leave the year's paid and visited households behind (a
    // tester: a paid family listed unpaid, then paid twice without a hold).
    expect(moved).toMatch(
      new RegExp(`^#${id} 是花名册上的对象钱七，\n可改：姓名 户口（未注明时） 电话，`),
    )
    expect(retyped).toBe(
      [
        `#${id} 钱七已登记为农村户口，未修改：`,
        '今年的发放按原户口统计，改了会对不上。',
        '确实登记错了，请撤销后重新添加。',
      ].join('\n'),
    )
    expect(badPhone).toMatch(/^电话 …2345 是 5 位，不像电话号码.*，#\d+ 未修改。$/)
    expect(paid).toMatch(
      /^已登记 #\d+：2026-07-31 发放 2026 年优待金 新街社区 钱七（农村）5,800 元/,
    )
    expect(await t.bot.services.people.getPerson(id)).toMatchObject({
      householdType: '农村',
      village: '新街社区',
      phoneMasked: '139****2222',
    })
    expect(await drift()).toEqual([])
  })

  it("an administrator corrects a name in place, and the family's payments stay its own", async () => {
    const [added] = await say(t, 'admin', '添加对象 钱七 新街社区 义务兵家庭 农村')
    const id = idOf(added)
    await say(t, 'boss', '发放优待金 钱七 今天')

    const [renamed] = await say(t, 'admin', `修改 #${id} 姓名 钱柒`)
    // A tester's 撤销 then 添加对象 cut the family off from its payment: paid twice, no hold.
    const [again] = await say(t, 'boss', '发放优待金 钱柒 今天')
    const [byLeader] = await say(t, 'boss', `修改 #${id} 姓名 钱七`)
    const [namesake] = await say(t, 'admin', '添加对象 钱八 新街社区 烈士遗属')
    const [clash] = await say(t, 'admin', `修改 #${id} 姓名 钱八`)

    expect(renamed).toBe(`已修改 #${id} 新街社区 钱七（义务兵家庭）：姓名 钱七 → 钱柒`)
    expect(again).toMatch(/^钱柒 2026 年优待金已于 07-31 发放 5,800 元（#\d+），这次未登记。/)
    expect(byLeader).toBe(`改姓名需要管理员：请管理员发「修改 #${id} 姓名 钱七」。`)
    expect(namesake).toMatch(/^已添加 #\d+/)
    expect(clash).toMatch(new RegExp(`^新街社区已有一位钱八（#\\d+），#${id} 未修改。$`))
    expect(await t.bot.services.people.findPeopleByName('钱七')).toEqual([])
    expect(await drift()).toEqual([])
  })

  it('帮助 修改 and 帮助 撤销 explain the fields, several records and 上一条', async () => {
    const [correct] = await say(t, 'li', '帮助 修改')
    const [withdraw] = await say(t, 'li', '帮助 撤销')

    expect(correct).toContain('修改 #128 场合 春节')
    expect(correct).toContain('修改 #128 对象 李四')
    expect(correct).toContain('修改 #130 名称 迎春晚会')
    expect(correct).toContain('修改 #131 部队 消防救援站')
    expect(withdraw).toContain('撤销 #128 #130')
    expect(withdraw).toContain('撤销上一条')
  })

  describe('撤销', () => {
    it('names the person of the one record withdrawn', async () => {
      const id = await visit('li', '走访 张三 今天 八一 慰问金500元')

      const [reply] = await say(t, 'li', `撤销 #${id}`)

      expect(reply).toBe(
        `已撤销 #${id}：2026-07-31 八一走访 铁炉嘴村 张三，慰问金 500 元。\n统计中已扣除，原记录保留在审计日志中。`,
      )
    })

    it('withdraws several records in one message and says which', async () => {
      const a = await visit('li', '走访 张三 今天 八一 慰问金500元')
      const b = await visit('li', '走访 李一 今天 八一')

      const [reply] = await say(t, 'li', `撤销 #${a} #${b}`)

      expect(reply).toBe(
        [
          '已撤销 2 条：',
          `#${a} 2026-07-31 八一走访 铁炉嘴村 张三，慰问金 500 元`,
          `#${b} 2026-07-31 八一走访 铁炉嘴村 李一`,
          '统计中已扣除，原记录保留在审计日志中。',
        ].join('\n'),
      )
      expect(await tally(2026, '八一')).toMatchObject({ visits: 0, households: 0, cashFen: 0 })
      expect(await drift()).toEqual([])
    })

    it('withdraws what it may and gives each refusal its reason', async () => {
      const own = await visit('li', '走访 张三 今天 八一')
      const others = await visit('wang', '走访 李一 今天 八一')
      const gone = await visit('li', '走访 李二 今天 八一')
      await say(t, 'li', `撤销 #${gone}`)

      const [reply] = await say(t, 'li', `撤销 ${own}、${others}、${gone}、999999`)

      expect(reply).toBe(
        [
          '已撤销 1 条：',
          `#${own} 2026-07-31 八一走访 铁炉嘴村 张三`,
          '统计中已扣除，原记录保留在审计日志中。',
          '未撤销 3 条：',
          `#${others} 不是您登记的，只有登记人、领导或管理员可以撤销或修改`,
          `#${gone} 此前已撤销，未作改动`,
          '#999999 没有这条记录，请核对记录号',
        ].join('\n'),
      )
      expect(await tally(2026, '八一')).toMatchObject({ visits: 1, households: 1 })
      expect(await drift()).toEqual([])
    })

    it('撤销上一条 withdraws the author’s own newest active record, then the one before', async () => {
      const first = await visit('li', '走访 张三 今天 八一')
      const second = await visit('li', '走访 李一 今天 八一')
      const wangs = await visit('wang', '走访 李二 今天 八一')

      const [last] = await say(t, 'li', '撤销上一条')
      const [before] = await say(t, 'li', '撤销 上一条')
      const [none] = await say(t, 'li', '撤销上一条。')

      expect(last).toBe(
        `您的上一条登记：已撤销 #${second}：2026-07-31 八一走访 铁炉嘴村 李一。\n统计中已扣除，原记录保留在审计日志中。`,
      )
      expect(before).toContain(`已撤销 #${first}：2026-07-31 八一走访 铁炉嘴村 张三`)
      expect(none).toBe(
        '没有找到您登记且未撤销的记录。要撤销别人登记的，请写记录号，如「撤销 #128」。',
      )
      expect(await t.bot.services.records.getRecord(wangs)).toMatchObject({ status: 'active' })
      expect(await drift()).toEqual([])
    })

    it('a redelivered 撤销上一条 names the record it withdrew and withdraws no other', async () => {
      const first = await visit('li', '走访 张三 今天 八一')
      const second = await visit('li', '走访 李一 今天 八一')
      const [reply] = await say(t, 'li', '撤销上一条', { id: 'undo-1' })
      // As if the attempt had died after its write and before answering: the platform retries.
      await t.redis.del(t.keys.seenMessage('sandbox', 'undo-1'))

      const [again] = await say(t, 'li', '撤销上一条', { id: 'undo-1' })

      expect(again).toBe(reply)
      expect(again).toContain(`已撤销 #${second}：`)
      expect(await t.bot.services.records.getRecord(first)).toMatchObject({ status: 'active' })
    })

    it('a 撤销 of several records retried after part of it landed answers as the first attempt would have', async () => {
      const a = await visit('li', '走访 张三 今天 八一')
      const b = await visit('li', '走访 李一 今天 八一')
      // The first attempt withdrew #a under its key and died before #b.
      await t.bot.services.records.withdraw(a, {
        actor: 'sandbox:li',
        at: NOW,
        idempotencyKey: `sandbox:undo-2|${a}`,
      })

      const [reply] = await say(t, 'li', `撤销 #${a} #${b}`, { id: 'undo-2' })

      expect(reply).toMatch(new RegExp(`^已撤销 2 条：\n#${a} .*\n#${b} `))
      expect(await tally(2026, '八一')).toMatchObject({ visits: 0, households: 0 })
    })

    it('撤销上一条 skips a record already withdrawn by number', async () => {
      const first = await visit('li', '走访 张三 今天 八一')
      const second = await visit('li', '发放优待金 李一 7月20日')
      await say(t, 'li', `撤销 #${second}`)

      const [reply] = await say(t, 'li', '撤销上一条')

      expect(reply).toContain(`已撤销 #${first}：`)
    })

    it('bad input withdraws nothing and says how to write it', async () => {
      const id = await visit('li', '走访 张三 今天 八一')
      const many = Array.from({ length: 21 }, (_, i) => `#${i + 1}`).join(' ')

      const [word] = await say(t, 'li', `撤销 #${id} 张三`)
      const [empty] = await say(t, 'li', '撤销')
      const [tooMany] = await say(t, 'li', `撤销 ${many}`)

      expect(word).toMatch(/^「张三」不是记录号，未撤销任何记录。请写上记录号/)
      expect(empty).toMatch(/^请写上记录号，如「撤销 #128」/)
      expect(tooMany).toBe('一次最多撤销 20 条，未撤销任何记录。请分几次发送。')
      expect(await t.bot.services.records.getRecord(id)).toMatchObject({ status: 'active' })
    })
  })
})

describe('readRecordNumbers', () => {
  it('reads the ways record numbers are written, once each, in order', () => {
    expect(readRecordNumbers('#165 #167')).toEqual([165, 167])
    expect(readRecordNumbers('165、167')).toEqual([165, 167])
    expect(readRecordNumbers('#165#167，#165')).toEqual([165, 167])
    expect(readRecordNumbers(' 165,167;168 ')).toEqual([165, 167, 168])
  })
})
