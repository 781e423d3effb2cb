import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-07-28 10:00 in Shanghai, in the 八一 campaign.
const NOW = new Date('2026-07-28T02:00:00Z')

describe('活动 as a tester typed it (session 7)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('refuses a 慰问部队 with cash and gives the 走访 line that stores it', async () => {
    const [reply] = await say(t, 'boss', '活动 慰问部队 武警中队 今天 慰问金2000元')

    expect(reply).toBe(
      [
        '活动不记慰问金 2,000 元，未登记。',
        '慰问金和物品请按走访登记：走访 武警中队 2026-07-28 慰问金2000元',
        '活动本身请去掉金额和物品再发一次。',
      ].join('\n'),
    )
    const [tally] = await say(t, 'boss', '统计 活动')
    expect(tally).toContain('还没有登记活动')

    const [visit] = await say(t, 'boss', '走访 武警中队 2026-07-28 慰问金2000元')
    expect(visit).toMatch(/已登记 #\d+：2026-07-28 八一走访 武警中队\n慰问金 2,000 元/)
  })

  it('refuses goods on an activity too, in traditional text', async () => {
    const [reply] = await say(t, 'boss', '活動 慰問部隊 消防救援站 今天 米2袋')

    expect(reply).toMatch(
      /^活动不记物品 米2袋，未登记。\n慰问金和物品请按走访登记：走访 消防救援站 2026-07-28 米2袋/,
    )
  })

  it('reads 学生300人 and 学生 300 as the students of a 军训', async () => {
    const [a] = await say(t, 'boss', '活动 军训 今天 学生300人')
    const [b] = await say(t, 'boss', '活动 军训 昨天 学生 300')
    const [c] = await say(t, 'boss', '活動 軍訓 7月20日 參訓學生 120')

    expect(a).toMatch(/^已登记 #\d+：2026-07-28 全镇 军训，300 人。/)
    expect(b).toMatch(/^已登记 #\d+：2026-07-27 全镇 军训，300 人。/)
    expect(c).toMatch(/^已登记 #\d+：2026-07-20 全镇 军训，120 人。/)
  })

  it('reads a number alone as the head count, not as cash, and leaves the note as written', async () => {
    const [a] = await say(t, 'boss', '活动 军训 今天 5259')
    const [b] = await say(t, 'boss', '活动 座谈会 今天 40 备注 到了 3 个村')

    expect(a).toMatch(/^已登记 #\d+：2026-07-28 全镇 军训，5259 人。/)
    expect(b).toMatch(/^已登记 #\d+：2026-07-28 全镇 座谈会，40 人，备注：到了 3 个村。/)
  })

  it('prints only 次 in 统计 活动 for a kind logged without a head count', async () => {
    await say(t, 'boss', '活动 慰问部队 武警中队 今天')
    await say(t, 'boss', '活动 座谈会 今天 人数40')

    const [tally] = await say(t, 'boss', '统计 活动')
    expect(tally).toMatch(/慰问部队\s+1 次\s*$/m)
    expect(tally).not.toMatch(/慰问部队.*0 人/)
    expect(tally).toMatch(/座谈会\s+1 次\s+40 人/)
  })
})

describe('活动 keeps the name written (session 7)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

  it('stores 双拥晚会 under 晚会 and shows the name written', async () => {
    const [reply] = await say(t, 'boss', '活动 双拥晚会 今天 观众300人 备注 很成功')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 全镇 双拥晚会，300 人，备注：很成功。/)
    const stored = await t.bot.services.records.getRecord(idOf(reply))
    expect(stored).toMatchObject({ activityKind: '晚会', title: '双拥晚会', notes: '很成功' })
    const [tally] = await say(t, 'boss', '统计 活动')
    expect(tally).toMatch(/晚会\s+1 次\s+300 人/)
  })

  it('reads 迎春座谈会 and 迎春座談會 as a 座谈会, kept by name; 座谈 stays 座谈会', async () => {
    const [named] = await say(t, 'li', '活動 迎春座談會 今天 人數40')
    const [short] = await say(t, 'li', '活动 座谈 昨天 人数20')

    expect(named).toMatch(/^已登记 #\d+：2026-07-28 铁炉嘴村 迎春座谈会，40 人。/)
    expect(short).toMatch(/^已登记 #\d+：2026-07-27 铁炉嘴村 座谈会，20 人。/)
    expect(await t.bot.services.records.getRecord(idOf(named))).toMatchObject({
      activityKind: '座谈会',
      title: '迎春座谈会',
      notes: undefined,
    })
  })

  it('holds a 双拥晚会 sent twice, and keeps the name through 修改 备注', async () => {
    const [first] = await say(t, 'boss', '活动 双拥晚会 今天')
    const [again] = await say(t, 'boss', '活动 晚会 今天')
    const id = idOf(first)

    expect(again).toMatch(/^全镇 2026-07-28 已登记过双拥晚会（#\d+，boss）/)
    const [note] = await say(t, 'boss', `修改 #${id} 备注 送春联`)
    expect(note).toBe(`已修改 #${id} 全镇 双拥晚会：备注 无 → 送春联`)
    expect(await t.bot.services.records.getRecord(id)).toMatchObject({
      title: '双拥晚会',
      notes: '送春联',
    })
    const [cleared] = await say(t, 'boss', `修改 #${id} 备注 无`)
    expect(cleared).toBe(`已修改 #${id} 全镇 双拥晚会：备注 送春联 → 无`)
  })

  it('keeps the name given as the form’s answer', async () => {
    await say(t, 'boss', '活动 今天 人数50')
    const [reply] = await say(t, 'boss', '表彰大会')

    expect(reply).toMatch(/^已登记 #\d+：2026-07-28 全镇 表彰大会，50 人。/)
  })
})

describe('修改 of an activity’s name and unit', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])

  it('changes the name written, keeping the note, and back to the kind’s own name', async () => {
    const id = idOf((await say(t, 'boss', '活动 双拥晚会 今天 备注 很成功'))[0])

    const [renamed] = await say(t, 'boss', `修改 #${id} 名称 迎春晚会`)
    expect(renamed).toBe(`已修改 #${id} 全镇 双拥晚会：名称 双拥晚会 → 迎春晚会`)
    expect(await t.bot.services.records.getRecord(id)).toMatchObject({
      activityKind: '晚会',
      title: '迎春晚会',
      notes: '很成功',
    })
    const [plain] = await say(t, 'boss', `修改 #${id} 名称 晚会`)
    expect(plain).toBe(`已修改 #${id} 全镇 迎春晚会：名称 迎春晚会 → 晚会`)
    expect((await t.bot.services.records.getRecord(id))!).not.toHaveProperty('title', '迎春晚会')
    const [shown] = await say(t, 'boss', `查看 #${id}`)
    expect(shown).toBe(`#${id} 活动\n2026-07-28 全镇 晚会，备注：很成功`)
  })

  it('refuses a name of another kind, and a name for a 共建点', async () => {
    const gala = idOf((await say(t, 'boss', '活动 双拥晚会 今天'))[0])
    const site = idOf((await say(t, 'boss', '活动 共建点 学校 今天'))[0])

    const [kind] = await say(t, 'boss', `修改 #${gala} 名称 迎春座谈会`)
    const [named] = await say(t, 'boss', `修改 #${site} 名称 国防教育基地`)

    expect(kind).toMatch(new RegExp(`^「迎春座谈会」不是晚会的名称，#${gala} 未修改。`))
    expect(named).toMatch(new RegExp(`^#${site} 不能修改「名称」。`))
    expect(await t.bot.services.records.getRecord(gala)).toMatchObject({ title: '双拥晚会' })
  })

  it('changes a 慰问部队’s unit, and the day it held takes the old unit again', async () => {
    const id = idOf((await say(t, 'boss', '活动 慰问部队 武警中队 今天 备注 送春联'))[0])

    const [moved] = await say(t, 'boss', `修改 #${id} 部队 消防救援站`)
    const [again] = await say(t, 'boss', '活动 慰问部队 武警中队 今天')
    const [cleared] = await say(t, 'boss', `修改 #${id} 部队 无`)

    expect(moved).toBe(`已修改 #${id} 全镇 慰问部队：部队 武警中队 → 消防救援站`)
    expect(again).toMatch(/^已登记 #\d+：2026-07-28 全镇 慰问部队 武警中队。/)
    expect(cleared).toBe(`慰问部队要写明部队名称，#${id} 未修改。如「修改 #${id} 部队 武警中队」。`)
    // A word for units in general is no unit's name, whichever of them is written.
    for (const word of ['部队', '军营', '驻军', '部队单位']) {
      const [general] = await say(t, 'boss', `修改 #${id} 部队 ${word}`)
      expect(general).toBe(
        `「${word}」不是某支部队的名称，#${id} 未修改。\n如「修改 #${id} 部队 武警中队」。`,
      )
    }
    expect(await t.bot.services.records.getRecord(id)).toMatchObject({
      unitName: '消防救援站',
      notes: '送春联',
    })
  })
})
