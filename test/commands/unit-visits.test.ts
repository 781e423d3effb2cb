import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Reconciler } from '../../src/records/reconciler.js'
import { REPLY_WIDTH, displayWidth } from '../../src/replies/display-width.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-12-30 10:00 in Asia/Shanghai, in the 2027 元旦 campaign.
const NOW = new Date('2026-12-30T02:00:00Z')

// Visits to units (驻地部队): how a line names one, the same-day guard, 修改 of the unit.
describe('visits to units (docs/lookups.md "Units")', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])
  const unitVisits = async () => {
    const found: { id: number; unitName?: string; cashFen: number }[] = []
    for await (const v of t.bot.services.visits.recordsOfCampaign(2027, '元旦')) {
      found.push({ id: v.id, unitName: v.unitName, cashFen: v.cashFen })
    }
    return found
  }
  const drift = async () =>
    (await new Reconciler({ redis: t.redis, keys: t.keys }).recountFromRecords()).drift
  const fitsPhone = (reply: string) =>
    reply.split('\n').every((line) => displayWidth(line) <= REPLY_WIDTH)

  describe('naming a unit', () => {
    it('慰问部队 武警中队 stores a visit to 武警中队, not to 部队武警中队', async () => {
      const [reply] = await say(t, 'li', '慰问部队 武警中队 今天 元旦 慰问金2000元')

      expect(reply).toMatch(/^已登记 #\d+：2026-12-30 元旦走访（2027 元旦）武警中队\n/)
      expect(reply).toContain('慰问金 2,000 元')
      expect(await unitVisits()).toEqual([
        { id: idOf(reply), unitName: '武警中队', cashFen: 200_000 },
      ])
    })

    it('慰问部队武警中队 written together is read the same way', async () => {
      const [reply] = await say(t, 'li', '慰问部队武警中队 今天 元旦')

      expect(reply).toMatch(/^已登记 #\d+：2026-12-30 元旦走访（2027 元旦）武警中队\n/)
    })

    it('消防救援站 and 驻军某部 are units for 慰问 and 走访, as 帮助 shows', async () => {
      const [fire] = await say(t, 'li', '慰问 消防救援站 今天 元旦 慰问金800元')
      const [garrison] = await say(t, 'li', '走访 驻军某部 今天 元旦')

      expect(fire).toMatch(/^已登记 #\d+：2026-12-30 元旦走访（2027 元旦）消防救援站\n/)
      expect(garrison).toMatch(/^已登记 #\d+：2026-12-30 元旦走访（2027 元旦）驻军某部\n/)
    })

    it('a unit named after its lead word keeps its whole name (武警中队 一排)', async () => {
      const [reply] = await say(t, 'li', '走访 武警中队 一排 今天 元旦')

      expect(reply).toMatch(/（2027 元旦）武警中队一排\n/)
    })

    it('two people written with spaces are still two people, not a unit (张三 李连)', async () => {
      const replies = await say(t, 'li', '走访 张三 李连 今天 元旦')

      expect(replies.join('\n')).not.toMatch(/ 张三李连\n/)
    })

    it('慰问部队 without the unit asks for its name and stores nothing', async () => {
      const [reply] = await say(t, 'li', '慰问部队 今天 元旦')

      expect(reply).toBe(
        '请写上部队名称，如\n「慰问部队 武警中队 今天 八一」\n「走访 消防救援站 今天 春节」。',
      )
      expect(await unitVisits()).toEqual([])
    })
  })

  describe('a same-day repeat', () => {
    it('is held for 「确认」 with the earlier visit shown, and stored once confirmed', async () => {
      const [first] = await say(t, 'li', '慰问部队 武警中队 今天 元旦 慰问金2000元')
      const [held] = await say(t, 'li', '慰问部队 武警中队 今天 元旦 慰问金2000元')
      const whileHeld = await unitVisits()
      const [confirmed] = await say(t, 'li', '确认')

      expect(held).toBe(
        [
          `武警中队 2026-12-30 已登记过元旦走访（#${idOf(first)}，li，慰问金 2,000 元），这次未登记。`,
          '确是又一次走访请回复「确认」，否则不用回复。',
        ].join('\n'),
      )
      expect(whileHeld).toHaveLength(1)
      expect(confirmed).toMatch(/^已登记 #\d+：2026-12-30 元旦走访（2027 元旦）武警中队\n/)
      expect(await unitVisits()).toHaveLength(2)
      expect(await drift()).toEqual([])
    })

    it('another unit, day or occasion is stored at once', async () => {
      await say(t, 'li', '走访 武警中队 今天 元旦')

      const [other] = await say(t, 'li', '走访 消防救援站 今天 元旦')
      const [yesterday] = await say(t, 'li', '走访 武警中队 昨天 元旦')
      const [daily] = await say(t, 'li', '走访 武警中队 今天 日常')

      expect(other).toMatch(/^已登记 /)
      expect(yesterday).toMatch(/^已登记 #\d+：2026-12-29 /)
      expect(daily).toMatch(/^已登记 #\d+：2026-12-30 日常走访 武警中队/)
    })

    it('is stored at once after the earlier visit is withdrawn', async () => {
      const [first] = await say(t, 'li', '走访 武警中队 今天 元旦')
      await say(t, 'li', `撤销 #${idOf(first)}`)

      const [again] = await say(t, 'li', '走访 武警中队 今天 元旦')

      expect(again).toMatch(/^已登记 /)
      expect(await drift()).toEqual([])
    })
  })

  describe('修改 of a unit visit', () => {
    it('修改 #N 部队 renames the unit and says so; the guard moves with it', async () => {
      const [first] = await say(t, 'li', '走访 武警中队 今天 元旦')
      const id = idOf(first)

      const [reply] = await say(t, 'li', `修改 #${id} 部队 武警中队一排`)
      const [free] = await say(t, 'li', '走访 武警中队 今天 元旦')
      const [held] = await say(t, 'li', '走访 武警中队一排 今天 元旦')

      expect(reply).toBe(`已修改 #${id} 武警中队 元旦走访：部队 武警中队 → 武警中队一排`)
      expect(free).toMatch(/^已登记 /)
      expect(held).toContain(`已登记过元旦走访（#${id}，`)
      expect(await drift()).toEqual([])
    })

    it('修改 上一条 部队, 名称 and 对象 with a unit name work too', async () => {
      const [first] = await say(t, 'li', '走访 武警中队 今天 元旦')
      const id = idOf(first)

      const [last] = await say(t, 'li', '修改 上一条 部队 消防救援站')
      const [named] = await say(t, 'li', `修改 #${id} 名称 武警中队`)
      const [object] = await say(t, 'li', `修改 #${id} 对象 驻军某部`)

      expect(last).toBe(`已修改 #${id} 武警中队 元旦走访：部队 武警中队 → 消防救援站`)
      expect(named).toMatch(/部队 消防救援站 → 武警中队$/)
      expect(object).toMatch(/部队 武警中队 → 驻军某部$/)
      expect((await unitVisits())[0]!.unitName).toBe('驻军某部')
    })

    it('a repeat made by 修改 is refused, as a person visit is', async () => {
      await say(t, 'li', '走访 武警中队 今天 元旦')
      const [second] = await say(t, 'li', '走访 消防救援站 今天 元旦')

      const [reply] = await say(t, 'li', `修改 #${idOf(second)} 部队 武警中队`)

      expect(reply).toMatch(/^改后会与 #\d+ 重复，#\d+ 未修改：/)
      expect((await unitVisits()).map((v) => v.unitName)).toEqual(['武警中队', '消防救援站'])
    })

    it('部队 on a person visit, and a person as a unit visit 对象, say what to do in short lines', async () => {
      const [person] = await say(t, 'li', '走访 张三 今天 元旦')
      const [unit] = await say(t, 'li', '走访 武警中队 今天 元旦')

      const [asUnit] = await say(t, 'li', `修改 #${idOf(person)} 部队 武警中队`)
      const [asPerson] = await say(t, 'li', `修改 #${idOf(unit)} 对象 李一`)

      expect(asUnit).toBe(
        [
          `#${idOf(person)} 是对个人的走访，未修改。`,
          `改对象如「修改 #${idOf(person)} 对象 李四」；`,
          '改成对单位的请撤销后重新登记。',
        ].join('\n'),
      )
      expect(asPerson).toBe(
        [
          `#${idOf(unit)} 是对单位的走访，未修改。`,
          `改部队名称如「修改 #${idOf(unit)} 部队 武警中队」；`,
          '改成对个人的请撤销后重新登记。',
        ].join('\n'),
      )
    })

    it('a field a record does not have is refused with what it has, in phone-width lines', async () => {
      const [unit] = await say(t, 'li', '走访 武警中队 今天 元旦')

      const [reply] = await say(t, 'li', `修改 #${idOf(unit)} 人数 40`)

      expect(reply).toMatch(
        new RegExp(
          `^#${idOf(unit)} 不能修改「人数」。\n这条可改：\n金额 日期 场合 部队\n物品 陪同 需求 跟进 备注$`,
        ),
      )
      expect(fitsPhone(reply!)).toBe(true)
    })
  })

  describe('a question about a unit', () => {
    it("lists the unit's visits of this campaign, or says it has none", async () => {
      const [first] = await say(t, 'li', '慰问部队 武警中队 今天 元旦 慰问金2000元')

      const [visited] = await say(t, 'boss', '武警中队慰问了吗')
      const [none] = await say(t, 'boss', '消防救援站慰问了吗')

      expect(visited).toBe(
        [
          `武警中队 2027 元旦已走访 1 次：`,
          `#${idOf(first)} 2026-12-30 慰问金 2,000 元（li）`,
        ].join('\n'),
      )
      expect(none).toBe('消防救援站 2027 元旦还没有走访记录。\n登记如「走访 消防救援站 今天 元旦」')
    })
  })
})
