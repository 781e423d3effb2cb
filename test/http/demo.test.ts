import { afterEach, describe, expect, it } from 'vitest'
import { APOLOGY } from '../../src/bot/dispatch.js'
import { AuditLog } from '../../src/records/audit-log.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { WECOM_TEST_ENV, wecomDriver } from '../support/drivers.js'

const NOW = new Date('2026-12-02T02:00:00Z')
const now = () => NOW

/** Counts of what the stores hold, to compare before and after a second load. */
async function holdings(t: TestBot) {
  const s = t.bot.services
  const people = await s.people.listPeople()
  return {
    people: people.length,
    records: await t.redis.hlen(t.keys.records()),
    roles: (await s.roles.all()).size,
    villages: (await s.villages.listVillages()).length,
  }
}

describe('载入示范数据 (issue 12, part 7)', () => {
  let t: TestBot

  afterEach(async () => {
    await t.cleanup()
  })

  it('when the first user loads it, the township has 8 villages, 1 community, 77 people and 11 conscript families', async () => {
    t = await createTestBot({}, { now })
    await say(t, 'admin', '帮助')

    const [reply] = await say(t, 'admin', '载入示范数据')

    expect(reply).toMatch(/^已载入示范镇（2026 年）：\n9 个村（社区）、77 位优抚对象，/)
    expect(reply).toContain('· 王书记（镇领导）')
    const s = t.bot.services
    const villages = await s.villages.listVillages()
    expect(villages.filter((v) => v.endsWith('村'))).toHaveLength(8)
    expect(villages.filter((v) => v.endsWith('社区'))).toEqual(['新街社区'])
    const people = await s.people.listPeople()
    expect(people).toHaveLength(77)
    const families = people.filter((p) => p.category === '义务兵家庭')
    expect(families).toHaveLength(11)
    expect(families.every((f) => f.householdType !== undefined)).toBe(true)
    // Each with its soldier, so the 优待金发放表 shows 义务兵姓名 and 入伍时间 at once.
    expect(families.every((f) => f.soldierName && f.enlistedAt! < '2026-12-02')).toBe(true)
    expect(new Set(people.map((p) => p.category)).size).toBeGreaterThanOrEqual(10)
    expect(await s.allowances.getAllowanceStandard(2026)).toEqual({
      mode: 'split',
      ruralFen: 580_000,
      urbanFen: 860_000,
    })
    expect(await s.allowances.getAllowanceDeadline(2026)).toBe('2026-07-25')
  })

  it('registers the villages in the township’s order, so that order is on record', async () => {
    t = await createTestBot({}, { now })
    await say(t, 'admin', '帮助')

    await say(t, 'admin', '载入示范数据')

    const entries = await new AuditLog({ redis: t.redis, keys: t.keys }).latest(1000)
    const added = entries
      .filter((e) => e.action === 'village.add')
      .reverse()
      .map((e) => (JSON.parse(e.after!) as { village: string }).village)
    expect(added).toEqual([
      '铁炉嘴村',
      '童家坝村',
      '石门村',
      '柳树湾村',
      '青龙村',
      '白岩村',
      '龙潭村',
      '桃园村',
      '新街社区',
    ])
  })

  it('when loaded twice, nothing is doubled and the second reply says so', async () => {
    t = await createTestBot({}, { now })
    await say(t, 'admin', '帮助')
    await say(t, 'admin', '载入示范数据')
    const first = await holdings(t)

    const [again] = await say(t, 'admin', '载入示范数据')

    expect(again).toMatch(/^示范数据已经载入过，没有重复添加。/)
    expect(await holdings(t)).toEqual(first)
  })

  it('when a load was cut short before the leader’s role, the next load finishes it and adds nothing twice', async () => {
    t = await createTestBot({}, { now })
    await say(t, 'admin', '帮助')
    await say(t, 'admin', '载入示范数据')
    const full = await holdings(t)
    await t.bot.services.roles.remove('sandbox:王书记', {
      actor: 'sandbox:admin',
      at: NOW,
      idempotencyKey: 'cut-short',
    })

    const [finished] = await say(t, 'admin', '载入示范数据')

    expect(finished).toContain('走访 0 次、优待金 0 笔、活动 0 场，')
    expect(finished).toContain('1 个试用账号')
    expect(await holdings(t)).toEqual(full)
  })

  it('when the township already has its own people, refuses and writes nothing', async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now })
    await say(t, 'admin', '添加对象 孙大海 东风村 烈士遗属')
    const before = await holdings(t)

    const [refused] = await say(t, 'admin', '载入示范数据')

    expect(refused).toBe(
      '镇里已有 1 位优抚对象，未载入示范数据：\n示范数据只载入到空的系统，不和真实花名册混在一起。',
    )
    expect(await holdings(t)).toEqual(before)
  })

  it('when a cadre asks for it, it is refused as an admin command', async () => {
    t = await createTestBot({}, { now })
    await say(t, 'admin', '帮助')
    await say(t, 'admin', '载入示范数据')

    const [refused] = await say(t, '刘干事', '载入示范数据')

    expect(refused).toMatch(/^「载入示范数据」需要管理员权限，您当前是村干部。/)
  })

  it('when a WeCom admin asks for it, it is refused: the demo users are sandbox users', async () => {
    t = await createTestBot({ ...WECOM_TEST_ENV, ADMIN_USERS: 'wecom:zhangsan' }, { now })

    const [refused] = await wecomDriver(t, now).say('zhangsan', '载入示范数据')

    expect(refused).toBe(
      '示范数据只能在本地试用页（/sandbox）载入：示范镇的领导和村干部是试用账号。',
    )
    expect((await holdings(t)).people).toBe(0)
  })

  it('when written with more after it, says how to write it', async () => {
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now })

    const [reply] = await say(t, 'admin', '载入示范数据 2027')

    expect(reply).toBe('「载入示范数据」后面不用写别的，直接发「载入示范数据」。')
    expect((await holdings(t)).people).toBe(0)
  })

  it.each([
    ['2026-12-02T02:00:00Z', 'after 八一, before 元旦'],
    ['2027-01-01T02:00:00Z', '元旦 itself'],
    ['2027-01-28T02:00:00Z', 'inside the 春节 2027 campaign'],
    ['2027-07-20T02:00:00Z', 'inside the 八一 campaign, before the deadline'],
    ['2028-02-29T02:00:00Z', 'a leap day'],
  ])('when loaded on %s (%s), every record is dated on or before today', async (instant) => {
    const at = new Date(instant)
    t = await createTestBot({}, { now: () => at })
    await say(t, 'admin', '帮助')

    const [reply] = await say(t, 'admin', '载入示范数据')

    expect(reply).toMatch(/^已载入示范镇/)
    const today = instant.slice(0, 10)
    const raw = await t.redis.hvals(t.keys.records())
    const dates = raw.flatMap((r) => [...r.matchAll(/\d{4}-\d{2}-\d{2}(?!T)/g)].map((m) => m[0]))
    expect(dates.length).toBeGreaterThan(80)
    expect(dates.filter((d) => d > today)).toEqual([])
  })

  it('after loading, every example in the admin’s 帮助 answers without an apology or 没看懂', async () => {
    t = await createTestBot({}, { now })
    await say(t, 'admin', '帮助')
    await say(t, 'admin', '载入示范数据')
    const [help] = await say(t, 'admin', '帮助')
    const examples = help!
      .split('\n')
      .filter((l) => l.startsWith('· '))
      .map((l) => l.slice(2).split('，')[0]!)

    const answers: [string, string][] = []
    for (const example of examples) {
      const replies = await say(t, 'admin', example)
      answers.push([example, replies.join('\n')])
      await say(t, 'admin', '取消')
    }

    expect(examples.length).toBeGreaterThan(15)
    for (const [example, answer] of answers) {
      expect(answer, example).not.toContain(APOLOGY)
      expect(answer, example).not.toMatch(/没看懂|还未登记/)
      // A record number in an example (`查看 #191`) is the user's own: the demo need not hold it.
      if (!/#\d+/.test(example)) expect(answer, example).not.toMatch(/没有找到/)
    }
  })
})
