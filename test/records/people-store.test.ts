import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UserFacingError } from '../../src/errors.js'
import { AuditLog } from '../../src/records/audit-log.js'
import { PeopleStore } from '../../src/records/people-store.js'
import { Pii } from '../../src/records/pii.js'
import type { RecordStoreDeps } from '../../src/records/record-store.js'
import type { WriteMeta } from '../../src/records/schemas.js'
import { TallyReader } from '../../src/records/tally-reader.js'
import { VillageStore } from '../../src/records/village-store.js'
import { useTestRedis } from '../support/redis.js'

let t: Awaited<ReturnType<typeof useTestRedis>>
let deps: RecordStoreDeps
let people: PeopleStore
let seq = 0
const meta = (idempotencyKey = `msg-${++seq}`): WriteMeta => ({
  actor: 'wecom:admin',
  at: new Date('2027-07-10T02:00:00Z'),
  idempotencyKey,
})

beforeEach(async () => {
  t = await useTestRedis()
  deps = { redis: t.redis, keys: t.keys, pii: new Pii('test-secret-key-0123456789abcdef') }
  people = new PeopleStore(deps)
  const villages = new VillageStore(deps)
  await villages.addVillage('铁炉嘴村', meta())
  await villages.addVillage('城关社区', meta())
})

afterEach(async () => {
  await t.cleanup()
})

describe('VillageStore', () => {
  it('addVillage when the village is registered already reports it as not created', async () => {
    const villages = new VillageStore(deps)

    const again = await villages.addVillage('铁炉嘴村', meta())

    expect(again).toEqual({ village: '铁炉嘴村', created: false })
    // In the order they were added (the township's), not pinyin; the second add adds nothing.
    expect(await villages.listVillages()).toEqual(['铁炉嘴村', '城关社区'])
  })

  it('addVillage when the name lacks its 村/社区 suffix refuses it', async () => {
    await expect(new VillageStore(deps).addVillage('铁炉嘴', meta())).rejects.toThrow()
  })
})

describe('PeopleStore.addPerson', () => {
  it('when given full details stores them with a record number and masked contacts', async () => {
    const { record, created } = await people.addPerson(
      {
        name: '张三',
        village: '铁炉嘴村',
        category: '残疾军人',
        disability: { legacyLabel: '二等乙级' },
        phone: '13800001111',
        idNumber: '320102199001011234',
        notes: '腿脚不便',
      },
      meta(),
    )

    expect(created).toBe(true)
    expect(record).toMatchObject({
      id: expect.any(Number),
      kind: 'person',
      status: 'active',
      createdBy: 'wecom:admin',
      createdAt: '2027-07-10T02:00:00.000Z',
      name: '张三',
      village: '铁炉嘴村',
      category: '残疾军人',
      disability: { legacyLabel: '二等乙级' },
      phoneMasked: '138****1111',
      idNumberMasked: '3201**********1234',
      notes: '腿脚不便',
    })
    expect(await people.getPerson(record.id)).toEqual(record)
  })

  it('when the same message arrives twice stores one person and counts them once', async () => {
    const m = meta('wecom-msg-1')
    const input = { name: '李四', village: '铁炉嘴村', category: '烈士遗属' } as const

    const first = await people.addPerson(input, m)
    const second = await people.addPerson(input, m)

    expect(second).toEqual({ record: first.record, created: false })
    expect((await new TallyReader(deps).readRosterCounts()).total).toBe(1)
    expect(await people.findPeopleByName('李四')).toHaveLength(1)
  })

  it('when the village is not registered refuses with a user-facing reason', async () => {
    await expect(
      people.addPerson({ name: '王五', village: '不存在村', category: '其他' }, meta()),
    ).rejects.toThrow(UserFacingError)
  })

  it('when another active person holds the ID number refuses it', async () => {
    await people.addPerson(
      { name: '张三', village: '铁炉嘴村', category: '残疾军人', idNumber: '320102199001011234' },
      meta(),
    )

    await expect(
      people.addPerson(
        { name: '张三', village: '城关社区', category: '其他', idNumber: '320102199001011234' },
        meta(),
      ),
    ).rejects.toThrow(/已登记/)
  })
})

describe('PeopleStore privacy', () => {
  it('when a person has a phone and ID number no Redis value holds them in clear', async () => {
    await people.addPerson(
      {
        name: '张三',
        village: '铁炉嘴村',
        category: '残疾军人',
        phone: '13800001111',
        idNumber: '320102199001011234',
      },
      meta(),
    )

    const dump: string[] = []
    let cursor = '0'
    do {
      const [next, found] = await t.redis.scan(cursor, 'MATCH', `${t.prefix}*`, 'COUNT', 1000)
      cursor = next
      for (const key of found) {
        dump.push(key)
        const type = await t.redis.type(key)
        if (type === 'hash') dump.push(JSON.stringify(await t.redis.hgetall(key)))
        if (type === 'set') dump.push(JSON.stringify(await t.redis.smembers(key)))
        if (type === 'string') dump.push((await t.redis.get(key)) ?? '')
        if (type === 'stream') dump.push(JSON.stringify(await t.redis.xrange(key, '-', '+')))
      }
    } while (cursor !== '0')
    const everything = dump.join('\n')

    expect(everything).toContain('张三')
    expect(everything).not.toContain('13800001111')
    expect(everything).not.toContain('320102199001011234')
    expect(everything).not.toContain('00001111')
    expect(everything).not.toContain('19900101')
  })

  it('findPersonByIdNumber when typed with spaces and a full-width digit finds the person', async () => {
    const { record } = await people.addPerson(
      { name: '赵六', village: '城关社区', category: '退役士兵', idNumber: '32010219900101123X' },
      meta(),
    )

    const found = await people.findPersonByIdNumber('320102 19900101123x'.replace('3', '３'))

    expect(found?.id).toBe(record.id)
  })

  it('findPeopleByPhone when two family members share a phone finds both', async () => {
    const a = await people.addPerson(
      { name: '孙七', village: '城关社区', category: '现役军人家属', phone: '13900002222' },
      meta(),
    )
    const b = await people.addPerson(
      { name: '孙八', village: '城关社区', category: '现役军人家属', phone: '139 0000 2222' },
      meta(),
    )

    const found = await people.findPeopleByPhone('+8613900002222')

    expect(found.map((p) => p.id)).toEqual([a.record.id, b.record.id])
  })

  it('revealPii when asked for a person gives the clear phone and ID number', async () => {
    const { record } = await people.addPerson(
      {
        name: '张三',
        village: '铁炉嘴村',
        category: '残疾军人',
        phone: '13800001111',
        idNumber: '320102199001011234',
      },
      meta(),
    )

    expect(await people.revealPii(record.id)).toEqual({
      phone: '13800001111',
      idNumber: '320102199001011234',
    })
  })
})

describe('PeopleStore look-ups', () => {
  it('findPeopleByName when two people share a name returns both, narrowed by village on request', async () => {
    const a = await people.addPerson(
      { name: '张伟', village: '铁炉嘴村', category: '退役士兵' },
      meta(),
    )
    const b = await people.addPerson(
      { name: '张伟', village: '城关社区', category: '义务兵家庭', householdType: '城镇' },
      meta(),
    )

    expect((await people.findPeopleByName('张伟')).map((p) => p.id)).toEqual([
      a.record.id,
      b.record.id,
    ])
    expect((await people.findPeopleByName('张伟', ['城关社区'])).map((p) => p.id)).toEqual([
      b.record.id,
    ])
  })

  it('a record’s look-up leaves the phone and ID number sealed; the card’s look-up masks them', async () => {
    await people.addPerson(
      {
        name: '王五',
        village: '铁炉嘴村',
        category: '残疾军人',
        phone: '13912345678',
        idNumber: '320102195001011234',
      },
      meta(),
    )

    const [forCard] = await people.readPeopleByName('王五')
    const [forRecord] = await people.readPeopleByName('王五', { withContact: false })

    expect(forCard?.person).toMatchObject({ phoneMasked: '139****5678' })
    expect(forCard?.person.idNumberMasked).toMatch(/1234$/)
    expect(forRecord?.person).toMatchObject({ name: '王五', village: '铁炉嘴村' })
    expect(forRecord?.person.phoneMasked).toBeUndefined()
    expect(forRecord?.person.idNumberMasked).toBeUndefined()
    expect(forRecord?.raw).toBe(forCard?.raw)
  })

  it('listPeople when filtered by category lists only that category, by village', async () => {
    await people.addPerson({ name: '甲', village: '铁炉嘴村', category: '义务兵家庭' }, meta())
    await people.addPerson({ name: '乙', village: '城关社区', category: '义务兵家庭' }, meta())
    await people.addPerson({ name: '丙', village: '城关社区', category: '其他' }, meta())

    const conscripts = await people.listPeople({ category: '义务兵家庭' })

    // By village in the township's order: 铁炉嘴村 was added before 城关社区.
    expect(conscripts.map((p) => p.name)).toEqual(['甲', '乙'])
  })
})

describe('PeopleStore.updatePerson', () => {
  it('when the village and category change moves the person in the roster counts', async () => {
    const { record } = await people.addPerson(
      { name: '张三', village: '铁炉嘴村', category: '退役士兵' },
      meta(),
    )

    const { changed } = await people.updatePerson(
      record.id,
      { village: '城关社区', category: '义务兵家庭', householdType: '城镇' },
      meta(),
    )
    const counts = await new TallyReader(deps).readRosterCounts()

    expect(changed).toBe(true)
    expect(counts.byVillage['铁炉嘴村']).toMatchObject({ total: 0 })
    expect(counts.byVillage['城关社区']).toMatchObject({
      total: 1,
      byCategory: { 义务兵家庭: 1, 退役士兵: 0 },
      conscriptsByHouseholdType: { 城镇: 1, 农村: 0 },
    })
    expect(await people.listPeople({ villages: ['铁炉嘴村'] })).toEqual([])
  })

  it('when the phone is cleared and the ID number replaced keeps only the new one', async () => {
    const { record } = await people.addPerson(
      {
        name: '张三',
        village: '铁炉嘴村',
        category: '残疾军人',
        phone: '13800001111',
        idNumber: '320102199001011234',
      },
      meta(),
    )

    await people.updatePerson(record.id, { phone: null, idNumber: '320102199001015678' }, meta())

    expect(await people.revealPii(record.id)).toEqual({ idNumber: '320102199001015678' })
    expect(await people.findPersonByIdNumber('320102199001011234')).toBeUndefined()
    expect((await people.findPersonByIdNumber('320102199001015678'))?.id).toBe(record.id)
  })

  it('when nothing actually changes writes nothing', async () => {
    const { record } = await people.addPerson(
      { name: '张三', village: '铁炉嘴村', category: '残疾军人', phone: '13800001111' },
      meta(),
    )

    const result = await people.updatePerson(
      record.id,
      { name: '张三', phone: '138 0000 1111' },
      meta(),
    )

    expect(result.changed).toBe(false)
    expect(await new AuditLog(deps).historyOf(record.id)).toHaveLength(1)
  })
})

describe('PeopleStore.removePerson', () => {
  it('when a person is removed keeps the record but drops them from roster and look-ups', async () => {
    const { record } = await people.addPerson(
      { name: '张三', village: '铁炉嘴村', category: '残疾军人', idNumber: '320102199001011234' },
      meta(),
    )

    const removed = await people.removePerson(record.id, { ...meta(), actor: 'wecom:leader' })

    expect(removed.record).toMatchObject({ status: 'withdrawn', withdrawnBy: 'wecom:leader' })
    expect(await people.getPerson(record.id)).toMatchObject({ status: 'withdrawn' })
    expect(await people.findPeopleByName('张三')).toEqual([])
    expect(await people.findPersonByIdNumber('320102199001011234')).toBeUndefined()
    expect((await new TallyReader(deps).readRosterCounts()).total).toBe(0)
  })

  it('when the removed person’s ID number is registered again accepts it for the new record', async () => {
    const { record } = await people.addPerson(
      { name: '张三', village: '铁炉嘴村', category: '残疾军人', idNumber: '320102199001011234' },
      meta(),
    )
    await people.removePerson(record.id, meta())

    const again = await people.addPerson(
      { name: '张三', village: '城关社区', category: '残疾军人', idNumber: '320102199001011234' },
      meta(),
    )

    expect((await people.findPersonByIdNumber('320102199001011234'))?.id).toBe(again.record.id)
  })
})

describe('PeopleStore.likelyDuplicates', () => {
  it('finds the ID holder, those with the phone and namesakes in the village, not elsewhere', async () => {
    const { record: zhang } = await people.addPerson(
      {
        name: '张三',
        village: '铁炉嘴村',
        category: '残疾军人',
        phone: '13800001111',
        idNumber: '320102199001011232',
      },
      meta(),
    )
    await people.addPerson({ name: '张三', village: '城关社区', category: '烈士遗属' }, meta())

    const found = await people.likelyDuplicates({
      name: '张三',
      village: '铁炉嘴村',
      category: '烈士遗属',
      phone: '138 0000 1111',
      idNumber: '320102199001011232',
    })

    expect(found.idHolder?.id).toBe(zhang.id)
    expect(found.samePhone.map((p) => p.id)).toEqual([zhang.id])
    expect(found.sameName.map((p) => p.id)).toEqual([zhang.id])
  })

  it('when nothing matches finds nobody', async () => {
    await people.addPerson({ name: '张三', village: '铁炉嘴村', category: '残疾军人' }, meta())

    const found = await people.likelyDuplicates({
      name: '李四',
      village: '铁炉嘴村',
      category: '烈士遗属',
    })

    expect(found).toEqual({ idHolder: undefined, samePhone: [], sameName: [] })
  })
})

describe('PeopleStore.sealPending', () => {
  it('seals phone and ID number so the draft holds neither in clear, and opens them again', () => {
    const input = {
      name: '张三',
      village: '铁炉嘴村',
      category: '残疾军人' as const,
      phone: '13800001111',
      idNumber: '320102199001011232',
    }

    const sealed = people.sealPending(input)

    expect(JSON.stringify(sealed)).not.toMatch(/13800001111|320102199001011232/)
    expect(people.openPending(sealed)).toEqual(input)
  })
})
