import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UNIT_WORDS } from '../../src/commands/people-lookup.js'
import { isAnyUnit, unitOfQuestion } from '../../src/commands/question-units.js'
import { Reconciler } from '../../src/records/reconciler.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { seedTown } from '../support/town.js'

// 2026-12-30 10:00 in Asia/Shanghai, in the 2027 元旦 campaign.
const NOW = new Date('2026-12-30T02:00:00Z')

// The words that name units in general are one list (UNIT_WORDS) that record lines and
// questions both read; `武警中队慰问了吗` answers from the unit's own same-day entries.
describe('units: one vocabulary, and a question answered from the unit’s own entries', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])
  const reader = () => t.bot.services.activities.units
  const unitVisitsStored = async () => {
    const names: (string | undefined)[] = []
    for await (const v of t.bot.services.visits.recordsOfCampaign(2027, '元旦')) {
      names.push(v.unitName)
    }
    return names
  }

  describe('the unit words', () => {
    it.each(UNIT_WORDS)('a question reads %s as every unit, never as one unit’s name', (word) => {
      expect(isAnyUnit(word)).toBe(true)
      expect(unitOfQuestion(word)).toBeUndefined()
    })

    it.each(['驻军', '军营', '营区', '军队', '部队单位'])(
      'a visit to %s alone asks for the unit’s name, as 部队 alone does, and stores nothing',
      async (word) => {
        const [reply] = await say(t, 'li', `走访 ${word} 今天 元旦`)

        expect(reply).toBe(
          '请写上部队名称，如\n「慰问部队 武警中队 今天 八一」\n「走访 消防救援站 今天 春节」。',
        )
        expect(await unitVisitsStored()).toEqual([])
      },
    )

    it('部队单位 before a unit’s name says a unit follows, as 部队 and 单位 do', async () => {
      const [reply] = await say(t, 'li', '走访 部队单位 武警中队 今天 元旦')

      expect(reply).toMatch(/^已登记 #\d+：2026-12-30 元旦走访（2027 元旦）武警中队\n/)
    })

    it('驻军 and 军营 still begin a unit’s name (驻军某部, 军营三连)', async () => {
      const [garrison] = await say(t, 'li', '走访 驻军某部 今天 元旦')
      const [company] = await say(t, 'li', '走访 军营三连 今天 元旦')

      expect(garrison).toMatch(/（2027 元旦）驻军某部\n/)
      expect(company).toMatch(/（2027 元旦）军营三连\n/)
    })

    it('驻军慰问了吗 counts every unit, as 部队慰问了几次 does', async () => {
      await say(t, 'boss', '慰问部队 武警中队 今天 元旦')

      const [garrison] = await say(t, 'boss', '驻军慰问了吗')
      const [units] = await say(t, 'boss', '部队慰问了几次')

      expect(garrison).toBe(units)
      expect(garrison).toMatch(/走访部队（单位）/)
    })
  })

  describe('武警中队慰问了吗', () => {
    it('lists the unit’s visits in the order logged, and no other unit’s, occasion’s or withdrawn', async () => {
      const [first] = await say(t, 'boss', '慰问部队 武警中队 12月20日 元旦 慰问金2000元')
      const [second] = await say(t, 'boss', '走访 武警中队 今天 元旦')
      await say(t, 'boss', '走访 武警中队一排 今天 元旦')
      await say(t, 'boss', '走访 武警中队 今天 日常')
      await say(t, 'boss', '走访 张三 今天 元旦')
      const [withdrawn] = await say(t, 'boss', '走访 武警中队 12月25日 元旦')
      await say(t, 'boss', `撤销 #${idOf(withdrawn)}`)

      const [reply] = await say(t, 'boss', '武警中队慰问了吗')

      expect(reply).toBe(
        [
          '武警中队 2027 元旦已走访 2 次：',
          `#${idOf(first)} 2026-12-20 慰问金 2,000 元（boss）`,
          `#${idOf(second)} 2026-12-30（boss）`,
        ].join('\n'),
      )
    })

    it('says when it was last visited and how often, from the same-day entries', async () => {
      await say(t, 'boss', '走访 武警中队 12月20日 元旦')
      await say(t, 'boss', '走访 武警中队 今天 元旦')
      await say(t, 'boss', '走访 武警中队 今天 元旦')
      await say(t, 'boss', '确认')

      const days = await reader().visitDays('武警中队', 2027, '元旦')
      const none = await reader().visitDays('消防救援站', 2027, '元旦')

      expect(days).toEqual({
        days: new Map([
          ['2026-12-20', 1],
          ['2026-12-30', 2],
        ]),
        visits: 3,
        last: '2026-12-30',
      })
      expect(none).toEqual({ days: new Map(), visits: 0, last: undefined })
    })

    it('follows a 修改 of the date or the unit, as the guard moves with it', async () => {
      const [moved] = await say(t, 'boss', '走访 武警中队 今天 元旦')
      const [renamed] = await say(t, 'boss', '走访 消防救援站 12月21日 元旦')
      await say(t, 'boss', `修改 #${idOf(moved)} 日期 12月22日`)
      await say(t, 'boss', `修改 #${idOf(renamed)} 部队 武警中队`)

      const visits = await reader().visitsOf('武警中队', 2027, '元旦')

      expect(visits.map((v) => [v.id, v.date])).toEqual([
        [idOf(moved), '2026-12-22'],
        [idOf(renamed), '2026-12-21'],
      ])
      expect(await reader().visitsOf('消防救援站', 2027, '元旦')).toEqual([])
    })

    it('does not read the campaign’s list of visits', async () => {
      const [first] = await say(t, 'boss', '走访 武警中队 今天 元旦')
      await t.redis.del(t.keys.campaignVisits(2027, '元旦'))

      const [reply] = await say(t, 'boss', '武警中队慰问了吗')

      expect(reply).toBe(`武警中队 2027 元旦已走访 1 次：\n#${idOf(first)} 2026-12-30（boss）`)
    })

    it('when a day set misses a visit the guard counts (before reconcile), reads the list', async () => {
      const [first] = await say(t, 'boss', '走访 武警中队 今天 元旦')
      await t.redis.del(t.keys.visitsOnDate('2026-12-30'))

      const [reply] = await say(t, 'boss', '武警中队慰问了吗')
      const { drift } = await new Reconciler({ redis: t.redis, keys: t.keys }).recountFromRecords()

      expect(reply).toBe(`武警中队 2027 元旦已走访 1 次：\n#${idOf(first)} 2026-12-30（boss）`)
      expect(drift).not.toEqual([])
    })

    it('a unit whose name holds a glob mark is matched as written', async () => {
      const [star] = await say(t, 'boss', '走访 武警*中队 今天 元旦')
      await say(t, 'boss', '走访 武警中队 今天 元旦')

      const visits = await reader().visitsOf('武警*中队', 2027, '元旦')

      expect(visits.map((v) => v.id)).toEqual([idOf(star)])
    })

    it('a cadre sees the visits of their village and none of the township’s by others', async () => {
      await say(t, 'boss', '慰问部队 武警中队 今天 元旦')
      const [before] = await say(t, 'li', '武警中队慰问了吗')
      const [own] = await say(t, 'li', '慰问部队 武警中队 铁炉嘴村 昨天 元旦')

      const [after] = await say(t, 'li', '武警中队慰问了吗')

      expect(before).toBe(
        '武警中队 2027 元旦没有您能查看的走访。\n登记如「走访 武警中队 今天 元旦」',
      )
      expect(after).toBe(`武警中队 2027 元旦已走访 1 次：\n#${idOf(own)} 2026-12-29（li）`)
    })
  })
})
