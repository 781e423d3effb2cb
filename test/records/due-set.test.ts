import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  campaignEndedAt,
  campaignLastDay,
  dueAtEnd,
  rosterInUseAt,
} from '../../src/records/due-set.js'
import { PeopleStore } from '../../src/records/people-store.js'
import { Pii } from '../../src/records/pii.js'
import type { RecordStoreDeps } from '../../src/records/record-store.js'
import { TallyReader } from '../../src/records/tally-reader.js'
import { VillageStore } from '../../src/records/village-store.js'
import { TEST_SECRET_KEY } from '../support/bot.js'
import { useTestRedis } from '../support/redis.js'

const TZ = 'Asia/Shanghai'

describe('campaignEndedAt', () => {
  it('is open through the campaign day and ended from local midnight after it', () => {
    expect(campaignEndedAt(2026, '八一', { today: '2026-08-01', timezone: TZ })).toBeUndefined()
    expect(campaignEndedAt(2026, '八一', { today: '2026-08-02', timezone: TZ })).toEqual(
      new Date('2026-08-01T16:00:00Z'),
    )
  })

  it('ends 春节 on 正月初一 and 日常 on 12-31', () => {
    expect(campaignLastDay(2027, '春节')).toBe('2027-02-06')
    expect(campaignLastDay(2026, '日常')).toBe('2026-12-31')
    expect(campaignEndedAt(2026, '日常', { today: '2026-12-31', timezone: TZ })).toBeUndefined()
  })
})

describe('dueAtEnd', () => {
  const end = new Date('2026-08-01T16:00:00Z')
  const before = '2026-07-01T02:00:00Z'

  it('keeps the roster and those removed after the end, not those removed before', () => {
    expect(dueAtEnd({ status: 'active', createdAt: before }, end, true)).toBe(true)
    expect(
      dueAtEnd(
        { status: 'withdrawn', createdAt: before, withdrawnAt: '2026-12-02T02:00:00Z' },
        end,
        true,
      ),
    ).toBe(true)
    expect(
      dueAtEnd(
        { status: 'withdrawn', createdAt: before, withdrawnAt: '2026-07-30T02:00:00Z' },
        end,
        true,
      ),
    ).toBe(false)
  })

  it('leaves out those entered after the end, unless nobody was entered before it', () => {
    const late = { status: 'active', createdAt: '2026-12-02T02:00:00Z' }
    expect(dueAtEnd(late, end, true)).toBe(false)
    expect(dueAtEnd(late, end, false)).toBe(true)
    expect(rosterInUseAt([late], end)).toBe(false)
    expect(rosterInUseAt([late, { createdAt: before }], end)).toBe(true)
  })
})

describe('TallyReader, a closed campaign', () => {
  let env: Awaited<ReturnType<typeof useTestRedis>>
  let deps: RecordStoreDeps
  let n = 0
  const meta = (at = '2026-07-01T02:00:00Z') => ({
    actor: 'sandbox:admin',
    at: new Date(at),
    idempotencyKey: `due-${++n}`,
  })
  const ended = { today: '2026-12-02', timezone: TZ }

  beforeEach(async () => {
    env = await useTestRedis()
    deps = { redis: env.redis, keys: env.keys, pii: new Pii(TEST_SECRET_KEY) }
    await new VillageStore(deps).addVillage('东村', meta())
  })
  afterEach(async () => {
    await env.cleanup()
  })

  it('when many read it at once, freezes one due set, which later roster changes leave alone', async () => {
    const people = new PeopleStore(deps)
    const a = await people.addPerson(
      { name: '张明', village: '东村', category: '残疾军人' },
      meta(),
    )
    await people.addPerson({ name: '王华', village: '东村', category: '烈士遗属' }, meta())
    // Removed before 八一 ended: not due.
    const gone = await people.addPerson(
      { name: '李强', village: '东村', category: '残疾军人' },
      meta(),
    )
    await people.removePerson(gone.record.id, meta('2026-07-20T02:00:00Z'))
    const tallies = new TallyReader(deps)

    const reads = await Promise.all(
      Array.from({ length: 5 }, () => tallies.readCampaignTally(2026, '八一', undefined, ended)),
    )
    await people.removePerson(a.record.id, meta('2026-12-02T02:00:00Z'))
    await people.addPerson({ name: '赵芳', village: '东村', category: '残疾军人' }, meta())
    const later = await tallies.readCampaignTally(2026, '八一', undefined, ended)
    const unvisited = await tallies.unvisitedPeople(2026, '八一', undefined, ended)

    for (const r of reads) expect(r.total.entitled).toBe(2)
    expect(later.total.entitled).toBe(2)
    expect(later.byCategory['残疾军人']).toEqual({ entitled: 1, households: 0 })
    expect(unvisited.map((p) => p.name)).toEqual(['张明', '王华'])
    expect(Object.keys(await env.redis.hgetall(env.keys.campaignDue(2026, '八一')))).toContain(
      `p|东村|${a.record.id}`,
    )
  })

  it('freezes the roster as it stood at the end, whatever day it is first read', async () => {
    const people = new PeopleStore(deps)
    await people.addPerson({ name: '张明', village: '东村', category: '残疾军人' }, meta())
    await people.addPerson({ name: '王华', village: '东村', category: '烈士遗属' }, meta())
    // Entered in December, before anyone asked about 八一 again (tester, 2026-12).
    await people.addPerson(
      { name: '刘桂兰', village: '东村', category: '烈士遗属' },
      meta('2026-12-02T01:00:00Z'),
    )
    const tallies = new TallyReader(deps)

    const read = await tallies.readCampaignTally(2026, '八一', undefined, ended)
    const unvisited = await tallies.unvisitedPeople(2026, '八一', undefined, ended)

    expect(read.total.entitled).toBe(2)
    expect(unvisited.map((p) => p.name)).toEqual(['张明', '王华'])
    // The coming 春节 is open: its due set is the roster now.
    const open = { today: '2026-12-02', timezone: TZ }
    expect((await tallies.readCampaignTally(2027, '春节', undefined, open)).total.entitled).toBe(3)
  })

  it('on a new install back-filling its roster after the end, everyone entered is due', async () => {
    const people = new PeopleStore(deps)
    await people.addPerson(
      { name: '张明', village: '东村', category: '残疾军人' },
      meta('2026-11-20T02:00:00Z'),
    )
    await people.addPerson(
      { name: '王华', village: '东村', category: '烈士遗属' },
      meta('2026-12-02T01:00:00Z'),
    )

    const read = await new TallyReader(deps).readCampaignTally(2026, '八一', undefined, ended)

    expect(read.total.entitled).toBe(2)
  })

  it('when nobody is on the roster yet, freezes nothing and reads the live roster', async () => {
    const tallies = new TallyReader(deps)
    expect((await tallies.readCampaignTally(2026, '八一', undefined, ended)).total.entitled).toBe(0)

    await new PeopleStore(deps).addPerson(
      { name: '张明', village: '东村', category: '残疾军人' },
      meta(),
    )

    expect((await tallies.readCampaignTally(2026, '八一', undefined, ended)).total.entitled).toBe(1)
    expect(await env.redis.exists(env.keys.campaignDue(2026, '八一'))).toBe(1)
  })
})
