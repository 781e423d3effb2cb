import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { adminMeta } from '../support/town.js'

// 2026-07-31 10:00 in Shanghai: inside the 八一 campaign window.
const NOW = new Date('2026-07-31T02:00:00Z')

describe('record commands through the sandbox', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    // Registered up front: a village new to 添加对象 waits for 「确认」 (issue 11).
    for (const v of ['铁炉嘴村', '童家坝村'])
      await t.bot.services.villages.addVillage(v, adminMeta())
    const seed = [
      '添加对象 张三 铁炉嘴村 残疾军人 二等乙级 电话13800001111',
      '添加对象 张伟 铁炉嘴村 烈士遗属',
      '添加对象 张伟 童家坝村 带病回乡退伍军人',
      '添加对象 李四 铁炉嘴村 义务兵家庭 农村 身份证320102199001011232',
      '添加对象 王五 童家坝村 义务兵家庭 城镇',
      '设置角色 sandbox:li 村干部 铁炉嘴村',
      '设置角色 sandbox:tong 村干部 童家坝村',
      '设置角色 sandbox:boss 领导',
      '优待金标准 2026 农村5800 城镇8600',
    ]
    for (const line of seed) {
      const [reply] = await say(t, 'admin', line)
      expect(reply).toMatch(/^(已添加|已设置)/)
    }
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const visitsOf = async (year: number) =>
    (await t.bot.services.tallies.readCampaignTally(year, '八一')).total

  it('when a cadre logs a visit in one line, stores it once and echoes it with its number and progress', async () => {
    const [reply] = await say(
      t,
      'li',
      '走访 张三 7月28日 八一 慰问金500元 米一袋 油一桶 备注 腿脚不便需修缮',
    )

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三（残疾军人·二等乙级）/)
    expect(reply).toContain('慰问金 500 元；物品 米1袋、油1桶；需求：腿脚不便需修缮（已记为待办）')
    expect(reply).toContain('铁炉嘴村八一走访进度 1/3 户。撤销请回复「撤销 #')
    expect(await visitsOf(2026)).toMatchObject({ visits: 1, households: 1, cashFen: 50000 })
  })

  it('when the same visit is written in traditional script, reads it the same', async () => {
    const [reply] = await say(t, 'li', '登記走訪 張三，７月２８日，八一，慰問金５００元')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/)
    expect(await visitsOf(2026)).toMatchObject({ visits: 1, cashFen: 50000 })
  })

  it('when a visit message is redelivered, stores one record', async () => {
    await say(t, 'li', '走访 张三 7月28日 八一 慰问金500元', { id: 'msg-1' })
    const again = await say(t, 'li', '走访 张三 7月28日 八一 慰问金500元', { id: 'msg-1' })

    expect(again).toEqual([expect.stringMatching(/^这条消息已处理过（记录 #\d+）/)])
    expect(await visitsOf(2026)).toMatchObject({ visits: 1 })
  })

  it('when fields are missing, asks for them over several turns and resolves a namesake by number', async () => {
    const turns = ['走访', '张伟', '2', '昨天', '二百']
    const replies: string[] = []
    for (const text of turns) replies.push(...(await say(t, 'boss', text)))

    expect(replies[0]).toBe(
      '走访谁？请回复姓名（可加村名），如「张三」或「铁炉嘴村 张三」。回复「取消」退出。',
    )
    expect(replies[1]).toBe(
      '有 2 位张伟，请回复序号：\n1. 张伟 铁炉嘴村 烈士遗属\n2. 张伟 童家坝村 带病回乡退伍军人',
    )
    expect(replies[2]).toBe('走访日期？如「今天」「7月30日」。')
    expect(replies[3]).toBe(
      '2026-07-30 在八一走访期间，按八一走访登记。慰问金多少？没有请回复「无」。',
    )
    expect(replies[4]).toMatch(
      /^已登记 #\d+：2026-07-30 八一走访 童家坝村 张伟（带病回乡退伍军人）\n慰问金 200 元/,
    )
  })

  it('when a date answer does not parse, re-asks with an example and keeps the form', async () => {
    await say(t, 'li', '走访 张三')

    const [bad] = await say(t, 'li', '前几天吧')
    const [ok] = await say(t, 'li', '7月29日')

    expect(bad).toBe(
      '没看懂日期「前几天吧」，请回复如「今天」「昨天」「7月30日」。\n回复「取消」退出。',
    )
    expect(ok).toMatch(/按八一走访登记。慰问金多少？/)
  })

  it('reads a date answered in a sentence (a tester: 昨天走访的 was no date)', async () => {
    // Also those that read as questions (11月30号走访的 was answered 「…没有走访」, a tester).
    const answers = [
      '昨天走访的',
      '是7月29日去的。',
      '前天上门了',
      '昨天看的',
      '7月29号走访的',
      '我们昨天去的',
    ]
    for (const answer of answers) {
      await say(t, 'li', '走访 张三')
      const [reply] = await say(t, 'li', answer)
      await say(t, 'li', '取消')

      expect(reply, answer).toMatch(/^2026-07-(29|30) 在八一走访期间，按八一走访登记。慰问金多少？/)
    }
  })

  it('takes an occasion answering the date question as the occasion, and asks the date again', async () => {
    await say(t, 'li', '走访 张三')
    const [occasion] = await say(t, 'li', '八一')
    const [cash] = await say(t, 'li', '7月28日')
    const [stored] = await say(t, 'li', '无')

    expect(occasion).toBe('好的，按八一走访登记。\n走访日期？如「今天」「7月30日」。')
    expect(cash).toBe('慰问金多少？没有请回复「无」。')
    expect(stored).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/)
  })

  it('when a cadre names someone in another village, refuses and stores nothing', async () => {
    const [reply] = await say(t, 'li', '走访 王五 7月28日 八一')

    expect(reply).toBe('王五在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。')
    expect(await visitsOf(2026)).toMatchObject({ visits: 0 })
  })

  it('when a cadre of two villages names the wrong one of them, says who is not there, not "outside your villages"', async () => {
    await say(t, 'admin', '设置角色 sandbox:both 村干部 铁炉嘴村 童家坝村')

    const [reply] = await say(t, 'both', '走访 铁炉嘴村 王五 7月28日 八一')

    expect(reply).toBe(
      '没有找到铁炉嘴村的「王五」。请核对姓名（可加村名，如「铁炉嘴村 张三」），或请管理员先「添加对象」。',
    )
    expect(await visitsOf(2026)).toMatchObject({ visits: 0 })
  })

  it('when a payment gives no amount, pays the year standard for the household type', async () => {
    const [reply] = await say(t, 'li', '发放优待金 李四 7月20日')

    expect(reply).toMatch(
      /^已登记 #\d+：2026-07-20 发放 2026 年优待金 铁炉嘴村 李四（农村）5,800 元（按 2026 年农村标准）/,
    )
    expect(reply).toContain('铁炉嘴村已发 1/1 户')
  })

  it('when a payment amount looks like a 万 slip, asks for confirmation and stores nothing until then', async () => {
    const [slip] = await say(t, 'tong', '发放优待金 王五 71800万元 7月21日')
    const before = (await t.bot.services.tallies.readAllowanceTally(2026)).total.payments
    const [fixed] = await say(t, 'tong', '8600元')

    expect(slip).toBe(
      '金额 718,000,000 元 是 2026 年城镇标准 8,600 元 的 83,488 倍，未登记。\n如确有此事请回复「确认」；金额有误请回复正确金额，如「8600元」。',
    )
    expect(before).toBe(0)
    expect(fixed).toMatch(
      /^已登记 #\d+：2026-07-21 发放 2026 年优待金 童家坝村 王五（城镇）8,600 元/,
    )
  })

  it('records an activity and asks for the head count of a 军训', async () => {
    const [forum] = await say(t, 'boss', '活动 座谈会 7月30日 人数40')
    const [ask] = await say(t, 'boss', '活动 军训 7月20日')
    const [done] = await say(t, 'boss', '5259')

    expect(forum).toMatch(/^已登记 #\d+：2026-07-30 全镇 座谈会，40 人。/)
    expect(ask).toBe('参训学生多少人？如「5259」。')
    expect(done).toMatch(/^已登记 #\d+：2026-07-20 全镇 军训，5259 人。/)
  })

  it('lets the author withdraw a visit, refuses another cadre, and takes it out of the tally', async () => {
    const [stored] = await say(t, 'li', '走访 张三 7月28日 八一 慰问金500元')
    const id = /#(\d+)/.exec(stored!)![1]

    const [refused] = await say(t, 'tong', `撤销 #${id}`)
    const [withdrawn] = await say(t, 'li', `撤销 #${id}`)
    const [again] = await say(t, 'li', `撤销 #${id}`)

    expect(refused).toBe(`#${id} 不是您登记的，只有登记人、领导或管理员可以撤销或修改。`)
    expect(withdrawn).toMatch(new RegExp(`^已撤销 #${id}：2026-07-28 八一走访`))
    expect(again).toBe(`#${id} 此前已撤销，未作改动。`)
    expect(await visitsOf(2026)).toMatchObject({ visits: 0, cashFen: 0 })
  })

  it('corrects an amount with 修改 and moves the tally by the difference', async () => {
    const [stored] = await say(t, 'li', '走访 张三 7月28日 八一 慰问金500元')
    const id = /#(\d+)/.exec(stored!)![1]

    const [reply] = await say(t, 'li', `修改 #${id} 金额 300元`)

    expect(reply).toBe(`已修改 #${id} 铁炉嘴村 张三 八一走访：慰问金 500 元 → 300 元`)
    expect(await visitsOf(2026)).toMatchObject({ cashFen: 30000 })
  })

  it('shows people with phone and ID masked, and in full to an admin in a private chat', async () => {
    const [cadre] = await say(t, 'li', '对象 李四')
    const [admin] = await say(t, 'admin', '对象 李四')
    const [group] = await say(t, 'admin', '对象 李四', { chat: 'township-group' })

    expect(cadre).toContain('身份证 3201**********1232')
    expect(admin).toContain('身份证 320102199001011232')
    expect(group).toContain('身份证 3201**********1232')
  })

  it('sets an allowance deadline', async () => {
    const [reply] = await say(t, 'admin', '优待金截止 2027-07-25')

    expect(reply).toBe(
      '已设置 2027 年优待金发放截止日期：2027-07-25（周日）。截止前会提醒未发放的户。',
    )
  })
})
