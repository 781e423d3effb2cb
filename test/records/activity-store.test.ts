import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ActivityStore } from '../../src/records/activity-store.js'
import { Pii } from '../../src/records/pii.js'
import { RecordStore, type RecordStoreDeps } from '../../src/records/record-store.js'
import { TOWNSHIP, type WriteMeta } from '../../src/records/schemas.js'
import { TallyReader } from '../../src/records/tally-reader.js'
import { VillageStore } from '../../src/records/village-store.js'
import { useTestRedis } from '../support/redis.js'

let t: Awaited<ReturnType<typeof useTestRedis>>
let deps: RecordStoreDeps
let activities: ActivityStore
let tallies: TallyReader
let seq = 0
const meta = (idempotencyKey = `msg-${++seq}`): WriteMeta => ({
  actor: 'dingtalk:0123',
  at: new Date('2027-07-30T08:00:00Z'),
  idempotencyKey,
})

beforeEach(async () => {
  t = await useTestRedis()
  deps = { redis: t.redis, keys: t.keys, pii: new Pii('test-secret-key-0123456789abcdef') }
  activities = new ActivityStore(deps)
  tallies = new TallyReader(deps)
  await new VillageStore(deps).addVillage('铁炉嘴村', meta())
})

afterEach(async () => {
  await t.cleanup()
})

describe('ActivityStore.addActivity', () => {
  it('when a forum is logged stores it and counts the activity and its people', async () => {
    const { record, created } = await activities.addActivity(
      { activityKind: '座谈会', date: '2027-07-30', year: 2027, count: 40 },
      meta(),
    )

    const tally = await tallies.readActivityTally(2027)

    expect(created).toBe(true)
    expect(record).toMatchObject({
      kind: 'activity',
      activityKind: '座谈会',
      count: 40,
      year: 2027,
    })
    expect(tally.total.byKind['座谈会']).toEqual({ activities: 1, people: 40 })
    expect(tally.byVillage[TOWNSHIP]!.byKind['座谈会']).toEqual({ activities: 1, people: 40 })
  })

  it('when student training is logged counts the students as people reached', async () => {
    await activities.addActivity(
      { activityKind: '军训', date: '2027-09-01', year: 2027, count: 5259 },
      meta(),
    )

    expect((await tallies.readActivityTally(2027)).total.byKind['军训']).toEqual({
      activities: 1,
      people: 5259,
    })
  })

  it('when a co-building site is logged counts it by site kind and village', async () => {
    await activities.addActivity(
      {
        activityKind: '共建点',
        date: '2027-05-01',
        year: 2027,
        village: '铁炉嘴村',
        siteKind: '学校',
      },
      meta(),
    )

    const tally = await tallies.readActivityTally(2027, ['铁炉嘴村'])

    expect(tally.total.sitesByKind).toEqual({ 村: 0, 学校: 1, 社区: 0, 企业: 0 })
    expect(Object.keys(tally.byVillage)).toEqual(['铁炉嘴村'])
  })

  it('when a 共建点 has no site kind refuses it', async () => {
    await expect(
      activities.addActivity({ activityKind: '共建点', date: '2027-05-01', year: 2027 }, meta()),
    ).rejects.toThrow()
  })

  it('when a gala is withdrawn drops it from the tally and the year list', async () => {
    const { record } = await activities.addActivity(
      { activityKind: '晚会', date: '2027-01-20', year: 2027, count: 300 },
      meta(),
    )

    await new RecordStore(deps).withdraw(record.id, meta())
    const listed = []
    for await (const a of activities.activitiesOfYear(2027)) listed.push(a)

    expect((await tallies.readActivityTally(2027)).total.byKind['晚会']).toEqual({
      activities: 0,
      people: 0,
    })
    expect(listed).toEqual([])
  })

  it('when the count is corrected moves people reached by the difference', async () => {
    const { record } = await activities.addActivity(
      { activityKind: '慰问团', date: '2027-07-28', year: 2027, count: 12 },
      meta(),
    )

    await new RecordStore(deps).correct(record.id, { count: 15 }, meta())

    expect((await tallies.readActivityTally(2027)).total.byKind['慰问团']).toEqual({
      activities: 1,
      people: 15,
    })
  })
})
