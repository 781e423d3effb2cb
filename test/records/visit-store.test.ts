import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UserFacingError } from '../../src/errors.js'
import { AuditLog } from '../../src/records/audit-log.js'
import { PeopleStore } from '../../src/records/people-store.js'
import { Pii } from '../../src/records/pii.js'
import { RecordStore, type RecordStoreDeps } from '../../src/records/record-store.js'
import {
  TOWNSHIP,
  type Person,
  type VisitInput,
  type WriteMeta,
} from '../../src/records/schemas.js'
import { TallyReader } from '../../src/records/tally-reader.js'
import { VillageStore } from '../../src/records/village-store.js'
import { VisitStore } from '../../src/records/visit-store.js'
import { useTestRedis } from '../support/redis.js'

let t: Awaited<ReturnType<typeof useTestRedis>>
let deps: RecordStoreDeps
let visits: VisitStore
let records: RecordStore
let tallies: TallyReader
let zhang: Person
let li: Person
let seq = 0
const AT = new Date('2027-07-25T02:00:00Z')
const meta = (idempotencyKey = `msg-${++seq}`, actor = 'wecom:cadre'): WriteMeta => ({
  actor,
  at: AT,
  idempotencyKey,
})
const visitTo = (person: Person, extra: Partial<VisitInput> = {}): VisitInput => ({
  date: '2027-07-28',
  occasion: '八一',
  campaignYear: 2027,
  personId: person.id,
  visitors: ['李书记'],
  cashFen: 50_000,
  goods: [
    { name: '米', quantity: 1, unit: '袋' },
    { name: '油', quantity: 1, unit: '桶' },
  ],
  ...extra,
})

/** Every counter and membership hash of the 2027 八一 campaign, as stored. */
async function campaignCounters() {
  const { keys, redis } = t
  return {
    tally: await redis.hgetall(keys.campaignTally(2027, '八一')),
    visited: await redis.hgetall(keys.campaignVisited(2027, '八一', '铁炉嘴村')),
  }
}

beforeEach(async () => {
  t = await useTestRedis()
  deps = { redis: t.redis, keys: t.keys, pii: new Pii('test-secret-key-0123456789abcdef') }
  visits = new VisitStore(deps)
  records = new RecordStore(deps)
  tallies = new TallyReader(deps)
  const villages = new VillageStore(deps)
  await villages.addVillage('铁炉嘴村', meta())
  await villages.addVillage('城关社区', meta())
  const people = new PeopleStore(deps)
  zhang = (
    await people.addPerson({ name: '张三', village: '铁炉嘴村', category: '残疾军人' }, meta())
  ).record
  li = (await people.addPerson({ name: '李四', village: '铁炉嘴村', category: '烈士遗属' }, meta()))
    .record
})

afterEach(async () => {
  await t.cleanup()
})

describe('VisitStore.addVisit', () => {
  it('when given a household visit stores it with the person’s village and category', async () => {
    const { record, created } = await visits.addVisit(visitTo(zhang, { needs: '危房' }), meta())

    expect(created).toBe(true)
    expect(record).toMatchObject({
      kind: 'visit',
      status: 'active',
      createdBy: 'wecom:cadre',
      date: '2027-07-28',
      occasion: '八一',
      campaignYear: 2027,
      personId: zhang.id,
      village: '铁炉嘴村',
      category: '残疾军人',
      visitors: ['李书记'],
      cashFen: 50_000,
      goods: [
        { name: '米', quantity: 1, unit: '袋' },
        { name: '油', quantity: 1, unit: '桶' },
      ],
      needs: '危房',
    })
    expect(record.id).toBeGreaterThan(li.id)
    expect(await records.getRecord(record.id)).toEqual(record)
  })

  it('when the input has padded text and a unit, returns exactly what a later read decodes', async () => {
    const { record } = await visits.addVisit(
      {
        date: '2027-07-30',
        occasion: '八一',
        campaignYear: 2027,
        unitName: ' 武警中队 ',
        visitors: [' 李书记 ', '王主任'],
        cashFen: 0,
        goods: [{ name: ' 米 ', quantity: 2, unit: '袋' }],
        needs: '  营房漏雨  ',
      },
      meta(),
    )

    expect(await records.getRecord(record.id)).toEqual(record)
  })

  it('when stored keeps one compact JSON value in the records hash', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())

    const raw = await t.redis.hget(t.keys.records(), String(record.id))

    expect(JSON.parse(raw!)).toEqual({
      k: 'v',
      b: 'wecom:cadre',
      a: AT.getTime(),
      d: '2027-07-28',
      o: '八一',
      y: 2027,
      p: zhang.id,
      l: '铁炉嘴村',
      c: '残疾军人',
      w: ['李书记'],
      f: 50_000,
      g: [
        ['米', 1, '袋'],
        ['油', 1, '桶'],
      ],
    })
  })

  it('when the same message is delivered twice stores one visit and counts it once', async () => {
    const first = await visits.addVisit(visitTo(zhang), meta('wecom-msg-42'))

    const second = await visits.addVisit(visitTo(zhang), meta('wecom-msg-42'))
    const tally = await tallies.readCampaignTally(2027, '八一')

    expect(second).toMatchObject({ record: first.record, created: false })
    expect(second.person).toMatchObject({ id: zhang.id, village: zhang.village })
    expect(tally.total).toMatchObject({ visits: 1, households: 1, cashFen: 50_000, goodsLines: 2 })
    expect(await t.redis.llen(t.keys.campaignVisits(2027, '八一'))).toBe(1)
    expect(await new AuditLog(deps).historyOf(first.record.id)).toHaveLength(1)
  })

  it('when a redelivery arrives days later with a new receive time still returns the first visit', async () => {
    const first = await visits.addVisit(visitTo(zhang), meta('wecom-msg-7'))

    const later = { ...meta('wecom-msg-7'), at: new Date(AT.getTime() + 6 * 86_400_000) }
    const second = await visits.addVisit(visitTo(zhang), later)

    expect(second.created).toBe(false)
    expect(second.record.id).toBe(first.record.id)
  })

  it('when five deliveries of one message race stores exactly one visit', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => visits.addVisit(visitTo(zhang), meta('wecom-msg-race'))),
    )

    expect(new Set(results.map((r) => r.record.id)).size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect((await tallies.readCampaignTally(2027, '八一')).total.visits).toBe(1)
  })

  it('when the idempotency marker is checked keeps it with a TTL so markers do not pile up', async () => {
    await visits.addVisit(visitTo(zhang), meta('wecom-msg-ttl'))

    const generation = Math.floor(AT.getTime() / (7 * 86_400_000))
    const ttl = await t.redis.ttl(t.keys.idempotency(generation))

    expect(ttl).toBeGreaterThan(14 * 86_400)
    expect(ttl).toBeLessThanOrEqual(21 * 86_400)
  })

  it('when the village given is not the person’s refuses with a reason', async () => {
    await expect(visits.addVisit(visitTo(zhang, { village: '城关社区' }), meta())).rejects.toThrow(
      UserFacingError,
    )
  })

  it('when a campaign visit is stored the village progress counts it', async () => {
    await visits.addVisit(visitTo(li), meta())

    await visits.addVisit(visitTo(zhang), meta())

    expect(await tallies.readVillageProgress(2027, '八一', '铁炉嘴村')).toEqual({
      households: 2,
      entitled: 2,
    })
  })

  it('when the person lives outside the villages allowed refuses and stores nothing', async () => {
    await expect(
      visits.addVisit(visitTo(zhang), meta(), { villages: ['城关社区'] }),
    ).rejects.toThrow('张三在铁炉嘴村，不在您负责的村，未登记。')

    expect(await t.redis.llen(t.keys.campaignVisits(2027, '八一'))).toBe(0)
  })

  it('when the person moved after the look-up read them stores the visit under the new village', async () => {
    const people = new PeopleStore(deps)
    const [snapshot] = await people.readPeopleByName('张三')
    expect(snapshot?.person).toMatchObject({ village: '铁炉嘴村' })
    await people.updatePerson(zhang.id, { village: '城关社区' }, meta())

    const { record } = await visits.addVisit(visitTo(zhang), meta(), { snapshot })

    expect(record.village).toBe('城关社区')
    const tally = await tallies.readCampaignTally(2027, '八一')
    expect(tally.byVillage['城关社区']).toMatchObject({ households: 1 })
    expect(tally.byVillage['铁炉嘴村']).toMatchObject({ households: 0 })
  })

  it('when a redelivery finds the person removed since answers with the first visit', async () => {
    const first = await visits.addVisit(visitTo(zhang), meta('wecom-msg-7'))
    await new PeopleStore(deps).removePerson(zhang.id, meta())

    const again = await visits.addVisit(visitTo(zhang), meta('wecom-msg-7'))

    expect(again).toMatchObject({ record: first.record, created: false })
  })

  it('when the person was removed refuses the visit', async () => {
    await new PeopleStore(deps).removePerson(zhang.id, meta())

    await expect(visits.addVisit(visitTo(zhang), meta())).rejects.toThrow(/已移除/)
  })

  it('when visiting a unit counts a visit and cash but no household', async () => {
    await visits.addVisit(
      {
        date: '2027-07-30',
        occasion: '八一',
        campaignYear: 2027,
        unitName: '武警中队',
        visitors: ['镇长'],
        cashFen: 300_000,
      },
      meta(),
    )

    const tally = await tallies.readCampaignTally(2027, '八一')

    expect(tally.byVillage[TOWNSHIP]).toMatchObject({
      visits: 1,
      unitVisits: 1,
      households: 0,
      cashFen: 300_000,
    })
    expect(tally.total).toMatchObject({ visits: 1, households: 0, cashFen: 300_000 })
  })
})

describe('VisitStore distinct households', () => {
  it('when one household is visited twice in a campaign counts one household and two visits', async () => {
    await visits.addVisit(visitTo(zhang), meta())
    await visits.addVisit(visitTo(zhang, { date: '2027-07-30', cashFen: 20_000 }), meta())

    const tally = await tallies.readCampaignTally(2027, '八一')

    expect(tally.byVillage['铁炉嘴村']).toMatchObject({
      entitled: 2,
      households: 1,
      visits: 2,
      cashFen: 70_000,
    })
    expect(tally.byCategory['残疾军人']).toEqual({ entitled: 1, households: 1 })
  })

  it('when one of two visits to a household is withdrawn the household stays visited', async () => {
    const first = await visits.addVisit(visitTo(zhang), meta())
    await visits.addVisit(visitTo(zhang, { cashFen: 20_000 }), meta(), { allowDuplicate: true })

    await records.withdraw(first.record.id, meta())
    const tally = await tallies.readCampaignTally(2027, '八一')

    expect(tally.total).toMatchObject({ households: 1, visits: 1, cashFen: 20_000 })
    expect((await tallies.unvisitedPeople(2027, '八一')).map((p) => p.id)).toEqual([li.id])
  })

  it('when the same household is visited in another campaign counts it there separately', async () => {
    await visits.addVisit(visitTo(zhang), meta())
    await visits.addVisit(
      visitTo(zhang, { occasion: '春节', campaignYear: 2028, date: '2028-01-20' }),
      meta(),
    )

    expect((await tallies.readCampaignTally(2027, '八一')).total.households).toBe(1)
    expect((await tallies.readCampaignTally(2028, '春节')).total.households).toBe(1)
  })
})

describe('RecordStore.withdraw on a visit', () => {
  it('when a visit is withdrawn puts every counter back exactly as before', async () => {
    await visits.addVisit(visitTo(li), meta())
    const before = await campaignCounters()

    const { record } = await visits.addVisit(visitTo(zhang), meta())
    await records.withdraw(record.id, meta())

    expect(await campaignCounters()).toEqual(before)
  })

  it('when a visit is withdrawn keeps it readable and attributes the withdrawal in the audit log', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())

    const result = await records.withdraw(record.id, meta(undefined, 'wecom:leader'))
    const history = await new AuditLog(deps).historyOf(record.id)

    expect(result.changed).toBe(true)
    expect(await records.getRecord(record.id)).toMatchObject({
      status: 'withdrawn',
      withdrawnBy: 'wecom:leader',
      withdrawnAt: AT.toISOString(),
    })
    expect(history.map((e) => [e.action, e.actor])).toEqual([
      ['visit.add', 'wecom:cadre'],
      ['visit.withdraw', 'wecom:leader'],
    ])
    expect(JSON.parse(history[1]!.after!)).toMatchObject({ x: ['wecom:leader', AT.getTime()] })
  })

  it('when a visit is withdrawn with a reason stores it on the record and in the audit entry', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())

    await records.withdraw(record.id, meta(undefined, 'wecom:leader'), undefined, ' 重复登记 ')
    const history = await new AuditLog(deps).historyOf(record.id)

    expect(await records.getRecord(record.id)).toMatchObject({
      status: 'withdrawn',
      withdrawReason: '重复登记',
    })
    expect(JSON.parse(history[1]!.after!)).toMatchObject({
      x: ['wecom:leader', AT.getTime(), '重复登记'],
    })
  })

  it('when a withdrawal’s reason is too long or not one line refuses it and withdraws nothing', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())

    for (const reason of ['长'.repeat(101), '重复\n登记', '   ']) {
      await expect(records.withdraw(record.id, meta(), undefined, reason)).rejects.toThrow()
    }
    await records.withdraw(record.id, meta(), undefined, '长'.repeat(100))

    expect(await records.getRecord(record.id)).toMatchObject({
      withdrawReason: '长'.repeat(100),
    })
    expect(await new AuditLog(deps).historyOf(record.id)).toHaveLength(2)
  })

  it('when a visit is withdrawn twice changes nothing the second time', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())
    await records.withdraw(record.id, meta())
    const counters = await campaignCounters()

    const again = await records.withdraw(record.id, meta())

    expect(again.changed).toBe(false)
    expect(await campaignCounters()).toEqual(counters)
    expect(await new AuditLog(deps).historyOf(record.id)).toHaveLength(2)
  })

  it('when the record does not exist refuses with a user-facing reason', async () => {
    await expect(records.withdraw(9999, meta())).rejects.toThrow(UserFacingError)
  })
})

describe('RecordStore.correct on a visit', () => {
  it('when the cash is corrected moves the campaign sum by the difference', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())
    await visits.addVisit(visitTo(li, { cashFen: 10_000 }), meta())

    const result = await records.correct(record.id, { cashFen: 30_000 }, meta())
    const tally = await tallies.readCampaignTally(2027, '八一')

    expect(result).toMatchObject({ changed: true, record: { cashFen: 30_000 } })
    expect(tally.total).toMatchObject({ cashFen: 40_000, visits: 2, households: 2 })
  })

  it('when the goods are corrected replaces the goods lines and quantities', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())

    await records.correct(record.id, { goods: [{ name: '米', quantity: 3, unit: '袋' }] }, meta())
    const tally = await tallies.readCampaignTally(2027, '八一')

    expect(tally.total.goodsLines).toBe(1)
    expect(tally.goods).toEqual([{ name: '米', unit: '袋', quantity: 3 }])
  })

  it('when notes are cleared with null removes them and audits before and after', async () => {
    const { record } = await visits.addVisit(visitTo(zhang, { notes: '腿脚不便' }), meta())

    const { record: corrected } = await records.correct(record.id, { notes: null }, meta())
    const history = await new AuditLog(deps).historyOf(record.id)

    expect(corrected).not.toHaveProperty('notes', '腿脚不便')
    expect(history.at(-1)).toMatchObject({ action: 'visit.correct' })
    expect(JSON.parse(history.at(-1)!.before!)).toMatchObject({ nt: '腿脚不便' })
  })

  it('when the visit was withdrawn refuses the correction', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())
    await records.withdraw(record.id, meta())

    await expect(records.correct(record.id, { cashFen: 1 }, meta())).rejects.toThrow(/已撤销/)
  })

  it('when the change names a field a visit cannot change refuses it', async () => {
    const { record } = await visits.addVisit(visitTo(zhang), meta())

    await expect(
      records.correct(record.id, { amountFen: 1 } as unknown as { cashFen: number }, meta()),
    ).rejects.toThrow()
  })
})

describe('VisitStore.recordsOfCampaign', () => {
  it('when a campaign has more visits than one page lists them all in order, skipping withdrawn', async () => {
    const ids: number[] = []
    for (let i = 0; i < 205; i++) {
      ids.push(
        (await visits.addVisit(visitTo(i % 2 ? zhang : li), meta(), { allowDuplicate: true }))
          .record.id,
      )
    }
    await records.withdraw(ids[3]!, meta())

    const listed: number[] = []
    for await (const v of visits.recordsOfCampaign(2027, '八一')) listed.push(v.id)

    expect(listed).toEqual(ids.filter((_, i) => i !== 3))
  })
})

describe('TallyReader.unvisitedPeople', () => {
  it('when one of two households is visited lists the other, limited to the villages asked', async () => {
    await visits.addVisit(visitTo(zhang), meta())

    expect((await tallies.unvisitedPeople(2027, '八一')).map((p) => p.name)).toEqual(['李四'])
    expect(await tallies.unvisitedPeople(2027, '八一', ['城关社区'])).toEqual([])
  })
})
