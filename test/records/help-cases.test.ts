import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PeopleStore } from '../../src/records/people-store.js'
import { Pii } from '../../src/records/pii.js'
import { Reconciler } from '../../src/records/reconciler.js'
import { RecordStore, type RecordStoreDeps } from '../../src/records/record-store.js'
import type { Person, WriteMeta } from '../../src/records/schemas.js'
import { TallyReader } from '../../src/records/tally-reader.js'
import { VillageStore } from '../../src/records/village-store.js'
import { VisitStore } from '../../src/records/visit-store.js'
import { useTestRedis } from '../support/redis.js'

/** Several visits to one person on one day, as a cadre who confirmed each would store them. */
const SAME_DAY = { allowDuplicate: true }

let t: Awaited<ReturnType<typeof useTestRedis>>
let deps: RecordStoreDeps
let seq = 0
const meta = (): WriteMeta => ({
  actor: 'wecom:cadre',
  at: new Date('2027-07-25T02:00:00Z'),
  idempotencyKey: `msg-${++seq}`,
})

describe('help cases (visits that found a need) in the campaign tally (issue 4)', () => {
  let person: Person

  beforeEach(async () => {
    t = await useTestRedis()
    deps = { redis: t.redis, keys: t.keys, pii: new Pii('test-secret-key-0123456789abcdef') }
    await new VillageStore(deps).addVillage('铁炉嘴村', meta())
    person = (
      await new PeopleStore(deps).addPerson(
        { name: '张三', village: '铁炉嘴村', category: '残疾军人' },
        meta(),
      )
    ).record
  })
  afterEach(async () => {
    await t.cleanup()
  })

  const needsOf = async () =>
    (await new TallyReader(deps).readCampaignTally(2027, '八一')).total.needs

  it('when a visit notes a need, counts it; a correction clearing it and a withdrawal uncount it', async () => {
    const visits = new VisitStore(deps)
    const input = {
      date: '2027-07-28',
      occasion: '八一' as const,
      campaignYear: 2027,
      personId: person.id,
      visitors: ['李书记'],
    }
    const withNeed = await visits.addVisit({ ...input, needs: '危房需修缮' }, meta())
    const other = await visits.addVisit({ ...input, needs: '医疗费用' }, meta(), SAME_DAY)
    await visits.addVisit(input, meta(), SAME_DAY)
    const counted = await needsOf()

    await new RecordStore(deps).correct(withNeed.record.id, { needs: null }, meta())
    const afterCorrection = await needsOf()
    await new RecordStore(deps).withdraw(other.record.id, meta())

    expect(counted).toBe(2)
    expect(afterCorrection).toBe(1)
    expect(await needsOf()).toBe(0)
    expect((await new Reconciler(deps).recountFromRecords()).drift).toEqual([])
  })
})
