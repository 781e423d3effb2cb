import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { inTownshipOrder } from '../../src/records/village-order.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { unwrapped } from '../support/reply-width.js'
import { adminMeta } from '../support/town.js'

// 2026-07-28 10:00 in Shanghai: during the 八一 campaign.
const NOW = new Date('2026-07-28T02:00:00Z')

// Added in this order, which is not pinyin order (白岩村 铁炉嘴村 新街社区 would be).
const ADDED = ['新街社区', '铁炉嘴村', '白岩村']

describe('inTownshipOrder', () => {
  it('puts names in the given order, and the ones it lacks after them in pinyin order', () => {
    expect(inTownshipOrder(['白岩村', '新街社区', '柳树湾村', '铁炉嘴村'], ADDED)).toEqual([
      '新街社区',
      '铁炉嘴村',
      '白岩村',
      '柳树湾村',
    ])
    expect(inTownshipOrder(['白岩村'], ADDED)).toEqual(['白岩村'])
    expect(inTownshipOrder(['石门村', '白岩村'], [])).toEqual(['白岩村', '石门村'])
  })
})

describe('villages in the township’s order (issue 12, part 5)', () => {
  let t: TestBot

  beforeEach(async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: () => NOW })
    const s = t.bot.services
    for (const v of ADDED) await s.villages.addVillage(v, adminMeta())
    // A village registered before the order was kept: in the set, not in the order.
    await t.redis.sadd(t.keys.villages(), '柳树湾村')
    for (const [name, village] of [
      ['孙一', '新街社区'],
      ['张三', '铁炉嘴村'],
      ['程一', '白岩村'],
      ['韩一', '柳树湾村'],
    ] as const) {
      await s.people.addPerson({ name, village, category: '烈士遗属' }, adminMeta())
    }
    await s.roles.set(
      'sandbox:boss',
      { role: 'leader', villages: [], setBy: 'test', setAt: '' },
      adminMeta(),
    )
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const ORDER = [...ADDED, '柳树湾村']

  it('lists the villages in the order they were added, older ones after them', async () => {
    expect(await t.bot.services.villages.listVillages()).toEqual(ORDER)
  })

  it('gives 统计 its rows in that order', async () => {
    const [reply] = await say(t, 'boss', '统计 八一')

    const rows = reply!.split('\n').filter((l) => l.includes('\u3000'))
    expect(rows.map((l) => l.split('\u3000')[0])).toEqual(ORDER)
  })

  it('gives 未走访 and 花名册 their villages in that order', async () => {
    const [unvisited] = await say(t, 'boss', '未走访 八一')
    const [roster] = await say(t, 'boss', '花名册')

    const headings = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1])
    expect(headings(unvisited!, /^(\S+) \d+ 户：$/gm)).toEqual(ORDER)
    expect(headings(roster!, /^【(\S+)】$/gm)).toEqual(ORDER)
  })

  it('gives 统计 活动 the same order', async () => {
    const s = t.bot.services
    for (const village of ADDED) {
      await s.activities.addActivity(
        { activityKind: '座谈会', date: '2026-07-20', year: 2026, village, count: 10 },
        adminMeta(),
      )
    }

    const [activities] = await say(t, 'boss', '统计 活动')

    expect(unwrapped(activities!)).toContain(`按村：${ADDED.map((v) => `${v} 1 次`).join('、')}`)
  })
})
