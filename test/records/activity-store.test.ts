import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ActivityStore } from '../../src/records/activity-store.js'
import { activityTitle } from '../../src/records/activity-title.js'
import { DuplicateRecordError } from '../../src/records/duplicate-error.js'
import { Pii } from '../../src/records/pii.js'
import { Reconciler } from '../../src/records/reconciler.js'
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

describe('the same activity logged again (held for 「确认」, as a same-day repeat visit is)', () => {
  const forum = { activityKind: '座谈会', date: '2027-07-30', year: 2027, count: 40 } as const
  const heldBy = async (write: Promise<unknown>) => {
    const err: unknown = await write.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(DuplicateRecordError)
    return (err as DuplicateRecordError).earlier
  }

  it('refuses a second one of the same village, date and title, naming the first', async () => {
    const { record: first } = await activities.addActivity(forum, meta())

    const earlier = await heldBy(activities.addActivity({ ...forum, count: 45 }, meta()))

    expect(earlier).toMatchObject({ id: first.id, kind: 'activity', count: 40 })
    expect((await tallies.readActivityTally(2027)).total.byKind['座谈会'].activities).toBe(1)
  })

  it('stores it when allowed (the user confirmed), and counts both', async () => {
    await activities.addActivity(forum, meta())

    const { created } = await activities.addActivity(forum, meta(), { allowDuplicate: true })

    expect(created).toBe(true)
    expect((await tallies.readActivityTally(2027)).total.byKind['座谈会']).toEqual({
      activities: 2,
      people: 80,
    })
  })

  it('stores at once another date, kind, village, site kind or unit', async () => {
    await activities.addActivity(forum, meta())
    await activities.addActivity(
      { activityKind: '共建点', date: '2027-07-30', year: 2027, siteKind: '学校' },
      meta(),
    )
    await activities.addActivity(
      {
        activityKind: '慰问部队',
        date: '2027-07-30',
        year: 2027,
        unitName: '武警中队',
        notes: '送春联',
      },
      meta(),
    )

    const others = [
      { ...forum, date: '2027-07-29' },
      { ...forum, activityKind: '表彰会' },
      { ...forum, village: '铁炉嘴村' },
      { activityKind: '共建点', date: '2027-07-30', year: 2027, siteKind: '村' },
      { activityKind: '慰问部队', date: '2027-07-30', year: 2027, unitName: '消防救援站' },
    ] as const
    for (const input of others) {
      expect((await activities.addActivity(input, meta())).created).toBe(true)
    }
    // The unit is the title, whatever note follows it.
    await heldBy(
      activities.addActivity(
        { activityKind: '慰问部队', date: '2027-07-30', year: 2027, unitName: '武警中队' },
        meta(),
      ),
    )
  })

  it('a withdrawn one holds nothing, and a redelivered write is answered from the first', async () => {
    const { record } = await activities.addActivity(forum, meta('msg-forum'))

    const again = await activities.addActivity(forum, meta('msg-forum'))
    await new RecordStore(deps).withdraw(record.id, meta())
    const after = await activities.addActivity(forum, meta())

    expect(again).toMatchObject({ created: false, record: { id: record.id } })
    expect(after.created).toBe(true)
  })

  it('when two are sent at the same moment stores one and holds the other', async () => {
    const outcomes = await Promise.allSettled([
      activities.addActivity(forum, meta()),
      activities.addActivity(forum, meta()),
    ])

    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = outcomes.find((o) => o.status === 'rejected')!
    expect(refused.reason).toBeInstanceOf(DuplicateRecordError)
  })

  it('follows a corrected date, and the recount agrees with every step', async () => {
    const { record } = await activities.addActivity(forum, meta())
    const records = new RecordStore(deps)

    await records.correct(record.id, { date: '2027-07-29' }, meta())
    const today = await activities.addActivity(forum, meta())
    await heldBy(activities.addActivity({ ...forum, date: '2027-07-29' }, meta()))
    await records.withdraw(today.record.id, meta())

    expect((await new Reconciler(deps).recountFromRecords()).drift).toEqual([])
  })

  it('refuses a correction onto a day that has the same activity, and moves nothing', async () => {
    const { record: first } = await activities.addActivity(forum, meta())
    const { record: other } = await activities.addActivity({ ...forum, date: '2027-07-29' }, meta())

    const earlier = await heldBy(
      new RecordStore(deps).correct(other.id, { date: '2027-07-30' }, meta()),
    )

    expect(earlier.id).toBe(first.id)
    expect(await activities.getActivity(other.id)).toMatchObject({ date: '2027-07-29' })
    expect((await new Reconciler(deps).recountFromRecords()).drift).toEqual([])
  })

  it('names a 共建点 by its site kind and a 慰问部队 by its unit', () => {
    expect(activityTitle({ activityKind: '座谈会' })).toBe('座谈会')
    expect(activityTitle({ activityKind: '共建点', siteKind: '学校' })).toBe('共建点 学校')
    expect(activityTitle({ activityKind: '慰问部队', unitName: '武警中队' })).toBe(
      '慰问部队 武警中队',
    )
    expect(activityTitle({ activityKind: '晚会' })).toBe('晚会')
  })
})

describe('activities stored before unitName and title were fields', () => {
  const records = () => new RecordStore(deps)
  const troopVisit = {
    activityKind: '慰问部队',
    date: '2027-07-30',
    year: 2027,
    unitName: '武警中队',
    notes: '送春联',
  } as const

  /** Stores the activity as the code before the fields did: its unit or name in its notes. */
  const storeInOldForm = async (id: number, notes: string | undefined) => {
    const stored = JSON.parse((await t.redis.hget(t.keys.records(), String(id)))!) as Record<
      string,
      unknown
    >
    delete stored.u
    delete stored.ti
    delete stored.nt
    if (notes !== undefined) stored.nt = notes
    await t.redis.hset(t.keys.records(), String(id), JSON.stringify(stored))
  }
  const storedJson = async (id: number) =>
    JSON.parse((await t.redis.hget(t.keys.records(), String(id)))!) as Record<string, unknown>

  it('a new one stores its unit and name in their own fields, the notes without them', async () => {
    const { record: troops } = await activities.addActivity(troopVisit, meta())
    const { record: gala } = await activities.addActivity(
      { activityKind: '晚会', date: '2027-07-30', year: 2027, title: '双拥晚会', notes: '很成功' },
      meta(),
    )

    expect(await storedJson(troops.id)).toMatchObject({ u: '武警中队', nt: '送春联' })
    expect(await storedJson(gala.id)).toMatchObject({ ti: '双拥晚会', nt: '很成功' })
    expect(await activities.getActivity(troops.id)).toMatchObject({
      unitName: '武警中队',
      notes: '送春联',
    })
    expect(await activities.getActivity(gala.id)).toMatchObject({
      title: '双拥晚会',
      notes: '很成功',
    })
  })

  it('an old 慰问部队 reads its unit and note out of its notes, and still holds its day', async () => {
    const { record: withNote } = await activities.addActivity(troopVisit, meta())
    const { record: unitOnly } = await activities.addActivity(
      { activityKind: '慰问部队', date: '2027-07-29', year: 2027, unitName: '消防救援站' },
      meta(),
    )
    await storeInOldForm(withNote.id, '武警中队；送春联')
    await storeInOldForm(unitOnly.id, '消防救援站')

    const read = await activities.getActivity(withNote.id)

    expect(read).toMatchObject({ unitName: '武警中队', notes: '送春联' })
    expect(read!.title).toBeUndefined()
    expect(await activities.getActivity(unitOnly.id)).toMatchObject({
      unitName: '消防救援站',
      notes: undefined,
    })
    await expect(activities.addActivity(troopVisit, meta())).rejects.toBeInstanceOf(
      DuplicateRecordError,
    )
    expect((await new Reconciler(deps).recountFromRecords()).drift).toEqual([])
  })

  it('an old activity of another kind reads its written name; notes without 「；」 stay notes', async () => {
    const gala = { activityKind: '晚会', date: '2027-07-30', year: 2027 } as const
    const ids = await Promise.all(
      [1, 2, 3].map(async (day) => {
        const input = Object.assign({}, gala, { date: `2027-07-2${day}` })
        return (await activities.addActivity(input, meta())).record.id
      }),
    )
    await storeInOldForm(ids[0]!, '双拥晚会；很成功')
    await storeInOldForm(ids[1]!, '迎春晚会；')
    await storeInOldForm(ids[2]!, '演出很成功')

    const [named, nameOnly, plain] = await Promise.all(ids.map((id) => activities.getActivity(id)))

    expect(named).toMatchObject({ title: '双拥晚会', notes: '很成功' })
    expect(nameOnly).toMatchObject({ title: '迎春晚会', notes: undefined })
    expect(plain).toMatchObject({ title: undefined, notes: '演出很成功' })
  })

  it('an old one withdrawn or corrected is rewritten in the new form, nothing lost', async () => {
    const { record: troops } = await activities.addActivity(troopVisit, meta())
    const { record: gala } = await activities.addActivity(
      { activityKind: '晚会', date: '2027-07-30', year: 2027, count: 300 },
      meta(),
    )
    await storeInOldForm(troops.id, '武警中队；送春联')
    await storeInOldForm(gala.id, '双拥晚会；很成功')

    await records().correct(gala.id, { count: 320 }, meta())
    await records().withdraw(troops.id, meta())

    expect(await storedJson(gala.id)).toMatchObject({ ti: '双拥晚会', nt: '很成功', n: 320 })
    expect(await storedJson(troops.id)).toMatchObject({ u: '武警中队', nt: '送春联' })
    expect((await new Reconciler(deps).recountFromRecords()).drift).toEqual([])
    // The withdrawal freed the day the old record held.
    expect((await activities.addActivity(troopVisit, meta())).created).toBe(true)
  })

  it('refuses a 慰问部队 without a unit, a title on one, and a note holding 「；」', async () => {
    const refused = [
      { activityKind: '慰问部队', date: '2027-07-30', year: 2027 },
      Object.assign({}, troopVisit, { title: '八一慰问' }),
      { activityKind: '座谈会', date: '2027-07-30', year: 2027, notes: '迎春座谈会；' },
      { activityKind: '座谈会', date: '2027-07-30', year: 2027, unitName: '武警中队' },
    ] as const
    for (const input of refused) {
      await expect(activities.addActivity(input, meta())).rejects.toThrow()
    }
  })
})
