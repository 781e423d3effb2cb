import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UserFacingError } from '../../src/errors.js'
import { AllowanceStore } from '../../src/records/allowance-store.js'
import { AuditLog } from '../../src/records/audit-log.js'
import { PeopleStore } from '../../src/records/people-store.js'
import { Pii } from '../../src/records/pii.js'
import { Reconciler } from '../../src/records/reconciler.js'
import { RecordStore, type RecordStoreDeps } from '../../src/records/record-store.js'
import type { HouseholdType, Person, WriteMeta } from '../../src/records/schemas.js'
import { encodeRecord, parseStored, toRecord } from '../../src/records/stored-record.js'
import { TallyReader } from '../../src/records/tally-reader.js'
import { VillageStore } from '../../src/records/village-store.js'
import { useTestRedis } from '../support/redis.js'

let t: Awaited<ReturnType<typeof useTestRedis>>
let deps: RecordStoreDeps
let allowance: AllowanceStore
let people: PeopleStore
let tallies: TallyReader
let seq = 0
const meta = (idempotencyKey = `msg-${++seq}`): WriteMeta => ({
  actor: 'wecom:cadre',
  at: new Date('2027-07-15T02:00:00Z'),
  idempotencyKey,
})

async function conscriptFamily(
  name: string,
  village: string,
  type: HouseholdType,
): Promise<Person> {
  const input = { name, village, category: '义务兵家庭', householdType: type } as const
  return (await people.addPerson(input, meta())).record
}

beforeEach(async () => {
  t = await useTestRedis()
  deps = { redis: t.redis, keys: t.keys, pii: new Pii('test-secret-key-0123456789abcdef') }
  allowance = new AllowanceStore(deps)
  people = new PeopleStore(deps)
  tallies = new TallyReader(deps)
  const villages = new VillageStore(deps)
  await villages.addVillage('铁炉嘴村', meta())
  await villages.addVillage('城关社区', meta())
})

afterEach(async () => {
  await t.cleanup()
})

describe('AllowanceStore standards and deadlines', () => {
  it('setAllowanceStandard when set per year reads back each year’s own standard', async () => {
    await allowance.setAllowanceStandard(
      2026,
      { mode: 'split', ruralFen: 550_000, urbanFen: 830_000 },
      meta(),
    )
    await allowance.setAllowanceStandard(2027, { mode: 'unified', fen: 860_000 }, meta())

    expect(await allowance.getAllowanceStandard(2026)).toEqual({
      mode: 'split',
      ruralFen: 550_000,
      urbanFen: 830_000,
    })
    expect(await allowance.getAllowanceStandard(2027)).toEqual({ mode: 'unified', fen: 860_000 })
    expect(await allowance.getAllowanceStandard(2028)).toBeUndefined()
  })

  it('setAllowanceStandard when the amount is not integer fen refuses it', async () => {
    await expect(
      allowance.setAllowanceStandard(2027, { mode: 'unified', fen: 8600.5 }, meta()),
    ).rejects.toThrow()
  })

  it('setAllowanceDeadline when changed keeps the latest and audits both', async () => {
    await allowance.setAllowanceDeadline(2027, '2027-07-25', meta())
    await allowance.setAllowanceDeadline(2027, '2027-07-20', meta())

    expect(await allowance.getAllowanceDeadline(2027)).toBe('2027-07-20')
    const history = await new AuditLog(deps).historyOf('allowance|2027')
    expect(history.map((e) => [e.action, e.before, e.after])).toEqual([
      ['allowance.deadline', undefined, '2027-07-25'],
      ['allowance.deadline', '2027-07-25', '2027-07-20'],
    ])
  })
})

describe('AllowanceStore.addPayment', () => {
  it('when no standard is given pays against the year’s standard for the household type', async () => {
    await allowance.setAllowanceStandard(
      2027,
      { mode: 'split', ruralFen: 580_000, urbanFen: 860_000 },
      meta(),
    )
    const family = await conscriptFamily('王家', '城关社区', '城镇')

    const { record, created } = await allowance.addPayment(
      { personId: family.id, year: 2027, amountFen: 860_000, date: '2027-07-20' },
      meta(),
    )

    expect(created).toBe(true)
    expect(record).toMatchObject({
      kind: 'payment',
      personId: family.id,
      year: 2027,
      amountFen: 860_000,
      standardFen: 860_000,
      householdType: '城镇',
      village: '城关社区',
      date: '2027-07-20',
    })
  })

  it('when the family moved after the look-up read them the payment goes to the new village (issue 11)', async () => {
    await allowance.setAllowanceStandard(2027, { mode: 'unified', fen: 860_000 }, meta())
    const family = await conscriptFamily('王家', '城关社区', '城镇')
    const [snapshot] = await people.readPeopleByName('王家')
    await people.updatePerson(family.id, { village: '铁炉嘴村' }, meta())

    const { record } = await allowance.addPayment(
      { personId: family.id, year: 2027, amountFen: 860_000, date: '2027-07-20' },
      meta(),
      { snapshot },
    )

    // The stale snapshot lost the compare-and-set; the retry read the family afresh.
    expect(snapshot?.person.village).toBe('城关社区')
    expect(record.village).toBe('铁炉嘴村')
    expect((await tallies.readAllowanceTally(2027)).byVillage['铁炉嘴村']).toMatchObject({
      families: 1,
    })
  })

  it('when the snapshot passed is of another person reads the one paid', async () => {
    await allowance.setAllowanceStandard(2027, { mode: 'unified', fen: 860_000 }, meta())
    const wang = await conscriptFamily('王家', '城关社区', '城镇')
    const li = await conscriptFamily('李家', '铁炉嘴村', '农村')
    const [snapshot] = await people.readPeopleByName('王家')

    const { record } = await allowance.addPayment(
      { personId: li.id, year: 2027, amountFen: 860_000, date: '2027-07-20' },
      meta(),
      { snapshot },
    )

    expect(snapshot?.person.id).toBe(wang.id)
    expect(record).toMatchObject({ personId: li.id, village: '铁炉嘴村', householdType: '农村' })
  })

  it('when the person is not a conscript family refuses the payment', async () => {
    const veteran = (
      await people.addPerson({ name: '张三', village: '铁炉嘴村', category: '残疾军人' }, meta())
    ).record

    await expect(
      allowance.addPayment(
        { personId: veteran.id, year: 2027, amountFen: 1, date: '2027-07-20', standardFen: 1 },
        meta(),
      ),
    ).rejects.toThrow(UserFacingError)
  })

  it('when no standard is configured or given refuses with what to set', async () => {
    const family = await conscriptFamily('王家', '城关社区', '城镇')

    await expect(
      allowance.addPayment(
        { personId: family.id, year: 2027, amountFen: 860_000, date: '2027-07-20' },
        meta(),
      ),
    ).rejects.toThrow(/优待金标准/)
  })

  it('when the household type contradicts the family’s refuses it', async () => {
    const family = await conscriptFamily('王家', '城关社区', '城镇')

    await expect(
      allowance.addPayment(
        {
          personId: family.id,
          year: 2027,
          amountFen: 580_000,
          standardFen: 580_000,
          householdType: '农村',
          date: '2027-07-20',
        },
        meta(),
      ),
    ).rejects.toThrow(/城镇/)
  })

  it('when the same form is submitted twice pays once', async () => {
    const family = await conscriptFamily('王家', '城关社区', '城镇')
    const input = {
      personId: family.id,
      year: 2027,
      amountFen: 860_000,
      standardFen: 860_000,
      date: '2027-07-20',
    }

    await allowance.addPayment(input, meta('form-9'))
    const again = await allowance.addPayment(input, meta('form-9'))

    expect(again.created).toBe(false)
    expect((await tallies.readAllowanceTally(2027)).total).toMatchObject({
      families: 1,
      payments: 1,
      sumFen: 860_000,
    })
  })
})

describe('AllowanceStore.addPayment of a 补发 (topUpOf)', () => {
  const family = { village: '铁炉嘴村', householdType: '农村' } as const
  /** A 补发 of `amountFen`, or a plain payment when `plain`. */
  const paymentOf = (personId: number, amountFen: number, plain = false) =>
    Object.assign(
      { personId, year: 2027, amountFen, standardFen: 580_000, date: '2027-07-20' },
      plain ? {} : { topUp: true as const },
    )

  it('when the family’s sum is what the caller read, stores it without holding it as a repeat', async () => {
    const li = await conscriptFamily('李家', '铁炉嘴村', '农村')
    await allowance.addPayment(paymentOf(li.id, 30_000, true), meta())
    const paid = await allowance.familyPaidFen(
      2027,
      Object.assign({ personId: li.id }, family),
      580_000,
    )

    const { created } = await allowance.addPayment(paymentOf(li.id, 550_000), meta(), {
      topUpOf: paid,
    })

    expect(paid).toBe(30_000)
    expect(created).toBe(true)
    expect(
      await allowance.familyPaidFen(2027, Object.assign({ personId: li.id }, family), 580_000),
    ).toBe(580_000)
  })

  it('when another payment landed after the read, refuses it and stores nothing', async () => {
    const li = await conscriptFamily('李家', '铁炉嘴村', '农村')
    const paid = await allowance.familyPaidFen(
      2027,
      Object.assign({ personId: li.id }, family),
      580_000,
    )
    await allowance.addPayment(paymentOf(li.id, 580_000, true), meta())

    const late = allowance.addPayment(paymentOf(li.id, 580_000), meta(), { topUpOf: paid })

    await expect(late).rejects.toThrow(UserFacingError)
    expect((await tallies.readAllowanceTally(2027)).total).toMatchObject({ payments: 1 })
  })

  it('when the caller read no sum, stores the 补发 marked, not held as a repeat, its note its own', async () => {
    const li = await conscriptFamily('李家', '铁炉嘴村', '农村')
    await allowance.addPayment(paymentOf(li.id, 30_000, true), meta())

    const { record } = await allowance.addPayment(
      Object.assign(paymentOf(li.id, 550_000), { notes: '两年合发' }),
      meta(),
    )

    expect(await allowance.getPayment(record.id)).toMatchObject({
      topUp: true,
      notes: '两年合发',
    })
    expect((await tallies.readAllowanceTally(2027)).total).toMatchObject({ payments: 2 })
  })

  it('when topUpOf comes without topUp, throws: the guard is the 补发’s', async () => {
    const li = await conscriptFamily('李家', '铁炉嘴村', '农村')

    const add = allowance.addPayment(paymentOf(li.id, 30_000, true), meta(), { topUpOf: 0 })

    await expect(add).rejects.toThrow(/topUp: true/)
  })

  it.each(['补发', '补发；两年合发'])(
    'when a new note is the old 补发 mark (%s), refuses it: it would read back as a 补发',
    async (notes) => {
      const li = await conscriptFamily('李家', '铁炉嘴村', '农村')

      const add = allowance.addPayment(
        Object.assign(paymentOf(li.id, 30_000, true), { notes }),
        meta(),
      )

      await expect(add).rejects.toThrow()
    },
  )
})

describe('TallyReader.readAllowanceTally', () => {
  it('when four rural families get 5500 元 and six urban 8300 元 tallies 71,800 元 for ten families', async () => {
    await allowance.setAllowanceStandard(
      2026,
      { mode: 'split', ruralFen: 550_000, urbanFen: 830_000 },
      meta(),
    )
    const families = [
      ...(await Promise.all(
        [1, 2, 3, 4].map((i) => conscriptFamily(`农${i}`, '铁炉嘴村', '农村')),
      )),
      ...(await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) => conscriptFamily(`城${i}`, '城关社区', '城镇')),
      )),
    ]
    for (const f of families) {
      const amountFen = f.householdType === '农村' ? 550_000 : 830_000
      await allowance.addPayment(
        { personId: f.id, year: 2026, amountFen, date: '2026-07-20' },
        meta(),
      )
    }

    const tally = await tallies.readAllowanceTally(2026)

    expect(tally.total).toMatchObject({ due: 10, families: 10, payments: 10, sumFen: 7_180_000 })
    expect(tally.total.byHouseholdType).toEqual({
      农村: { due: 4, families: 4, payments: 4, sumFen: 2_200_000 },
      城镇: { due: 6, families: 6, payments: 6, sumFen: 4_980_000 },
    })
    expect(tally.byStandard).toEqual([
      { standardFen: 830_000, payments: 6, sumFen: 4_980_000 },
      { standardFen: 550_000, payments: 4, sumFen: 2_200_000 },
    ])
    expect(tally.byVillage['铁炉嘴村']).toMatchObject({ families: 4, sumFen: 2_200_000 })
    expect(tally.standard).toEqual({ mode: 'split', ruralFen: 550_000, urbanFen: 830_000 })
  })

  it('when a payment amount is corrected moves the sum by the difference', async () => {
    const family = await conscriptFamily('王家', '城关社区', '城镇')
    const { record } = await allowance.addPayment(
      {
        personId: family.id,
        year: 2027,
        amountFen: 86_000,
        standardFen: 860_000,
        date: '2027-07-20',
      },
      meta(),
    )

    await new RecordStore(deps).correct(record.id, { amountFen: 860_000 }, meta())
    const tally = await tallies.readAllowanceTally(2027)

    expect(tally.total).toMatchObject({ families: 1, payments: 1, sumFen: 860_000 })
    expect(tally.byStandard).toEqual([{ standardFen: 860_000, payments: 1, sumFen: 860_000 }])
  })

  it('when a family is paid twice counts one family and both payments', async () => {
    const family = await conscriptFamily('王家', '城关社区', '城镇')
    const pay = { personId: family.id, year: 2027, standardFen: 860_000, date: '2027-07-20' }

    await allowance.addPayment({ ...pay, amountFen: 430_000 }, meta())
    // A top-up the cadre confirmed (the store holds an unconfirmed repeat).
    await allowance.addPayment({ ...pay, amountFen: 430_000 }, meta(), { allowDuplicate: true })

    expect((await tallies.readAllowanceTally(2027)).total).toMatchObject({
      families: 1,
      payments: 2,
      sumFen: 860_000,
    })
  })
})

describe('TallyReader.unpaidFamilies', () => {
  it('when one of two families is paid names the other, and the paid one again once withdrawn', async () => {
    const paid = await conscriptFamily('王家', '城关社区', '城镇')
    const unpaid = await conscriptFamily('赵家', '铁炉嘴村', '农村')
    await people.addPerson({ name: '张三', village: '铁炉嘴村', category: '残疾军人' }, meta())
    const { record } = await allowance.addPayment(
      {
        personId: paid.id,
        year: 2027,
        amountFen: 860_000,
        standardFen: 860_000,
        date: '2027-07-20',
      },
      meta(),
    )

    expect((await tallies.unpaidFamilies(2027)).map((p) => p.id)).toEqual([unpaid.id])

    await new RecordStore(deps).withdraw(record.id, meta())

    // By village in the township's order: 铁炉嘴村 (赵家) was added before 城关社区 (王家).
    expect((await tallies.unpaidFamilies(2027)).map((p) => p.id)).toEqual([unpaid.id, paid.id])
  })
})

describe('AllowanceStore.paymentsOfYear', () => {
  it('when payments span two years lists only the year asked', async () => {
    const family = await conscriptFamily('王家', '城关社区', '城镇')
    const pay = { personId: family.id, amountFen: 860_000, standardFen: 860_000 }
    await allowance.addPayment({ ...pay, year: 2026, date: '2026-07-20' }, meta())
    const { record } = await allowance.addPayment(
      { ...pay, year: 2027, date: '2027-07-20' },
      meta(),
    )

    const listed = []
    for await (const p of allowance.paymentsOfYear(2027)) listed.push(p.id)

    expect(listed).toEqual([record.id])
  })
})

describe('TallyReader.readAllowanceTally: each family against one standard', () => {
  it('adds up a family’s payments, over and under apart, as they are added, corrected and withdrawn', async () => {
    await allowance.setAllowanceStandard(
      2027,
      { mode: 'split', ruralFen: 580_000, urbanFen: 860_000 },
      meta(),
    )
    const li = await conscriptFamily('李一', '铁炉嘴村', '农村')
    const wang = await conscriptFamily('王一', '城关社区', '城镇')
    const pay = (p: Person, amountFen: number) =>
      allowance.addPayment({ personId: p.id, year: 2027, amountFen, date: '2027-07-10' }, meta(), {
        allowDuplicate: true,
      })
    const records = new RecordStore(deps)
    const variance = async (villages?: string[]) => {
      const { repeats, over, under, underpaid, complete } = (
        await tallies.readAllowanceTally(2027, villages)
      ).variance
      return { repeats, over, under, underpaid: underpaid.map((u) => u.personId), complete }
    }

    await pay(li, 580_000)
    const topUp = await pay(li, 30_000)
    const urban = await pay(wang, 800_000)
    const both = await variance()
    const ofVillage = await variance(['铁炉嘴村'])
    await records.correct(urban.record.id, { amountFen: 860_000 }, meta())
    await records.withdraw(topUp.record.id, meta())

    // 李一 5,800 + 300 against 5,800: 300 over; 王一 8,000 against 8,600: 600 under. Never netted.
    expect(both).toEqual({
      repeats: 1,
      over: { families: 1, fen: 30_000 },
      under: { families: 1, fen: 60_000 },
      underpaid: [wang.id],
      complete: true,
    })
    expect(ofVillage).toMatchObject({ over: { families: 1, fen: 30_000 }, underpaid: [] })
    expect(await variance()).toEqual({
      repeats: 0,
      over: { families: 0, fen: 0 },
      under: { families: 0, fen: 0 },
      underpaid: [],
      complete: true,
    })
    expect((await new Reconciler(deps).recountFromRecords()).drift).toEqual([])
  })

  it('a partial payment and its 补发 of the rest make one family paid its standard', async () => {
    await allowance.setAllowanceStandard(2027, { mode: 'unified', fen: 580_000 }, meta())
    const li = await conscriptFamily('李一', '铁炉嘴村', '农村')
    await allowance.addPayment(
      { personId: li.id, year: 2027, amountFen: 30_000, date: '2027-07-10' },
      meta(),
    )
    const partly = (await tallies.readAllowanceTally(2027)).variance
    await allowance.addPayment(
      { personId: li.id, year: 2027, amountFen: 550_000, date: '2027-07-11' },
      meta(),
      { allowDuplicate: true },
    )
    const whole = (await tallies.readAllowanceTally(2027)).variance

    expect(partly.under).toEqual({ families: 1, fen: 550_000 })
    expect(partly.underpaid).toEqual([
      {
        personId: li.id,
        village: '铁炉嘴村',
        householdType: '农村',
        paidFen: 30_000,
        standardFen: 580_000,
      },
    ])
    expect(whole).toMatchObject({ repeats: 1, over: { families: 0 }, under: { families: 0 } })
  })
})

describe('payments stored before topUp was a field (the 补发 in their notes)', () => {
  const records = () => new RecordStore(deps)
  const paymentOf = (personId: number, amountFen: number) => ({
    personId,
    year: 2027,
    amountFen,
    standardFen: 580_000,
    date: '2027-07-20',
  })

  /** Stores the payment as the code before the field did: the 补发 as (the start of) its notes. */
  const storeInOldForm = async (id: number, notes: string | undefined) => {
    const stored = JSON.parse((await t.redis.hget(t.keys.records(), String(id)))!) as Record<
      string,
      unknown
    >
    delete stored.tu
    delete stored.nt
    if (notes !== undefined) stored.nt = notes
    await t.redis.hset(t.keys.records(), String(id), JSON.stringify(stored))
  }
  const storedJson = async (id: number) =>
    JSON.parse((await t.redis.hget(t.keys.records(), String(id)))!) as Record<string, unknown>
  /** Five payments to one family: a plain one, then four 补发. */
  const paymentsToOneFamily = async () => {
    const li = await conscriptFamily('李家', '铁炉嘴村', '农村')
    const ids = [(await allowance.addPayment(paymentOf(li.id, 10_000), meta())).record.id]
    for (let i = 0; i < 4; i++) {
      const topUp = Object.assign(paymentOf(li.id, 10_000), { topUp: true as const })
      ids.push((await allowance.addPayment(topUp, meta())).record.id)
    }
    return ids
  }

  it('a new 补发 stores tu and its own note, a plain payment neither', async () => {
    const li = await conscriptFamily('李家', '铁炉嘴村', '农村')
    const { record: plain } = await allowance.addPayment(paymentOf(li.id, 30_000), meta())
    const { record: topUp } = await allowance.addPayment(
      Object.assign(paymentOf(li.id, 30_000), { topUp: true as const, notes: '两年合发' }),
      meta(),
    )

    expect(await storedJson(topUp.id)).toMatchObject({ tu: 1, nt: '两年合发' })
    expect(await storedJson(plain.id)).not.toHaveProperty('tu')
    expect(await allowance.getPayment(topUp.id)).toMatchObject({ topUp: true, notes: '两年合发' })
    expect((await allowance.getPayment(plain.id))!.topUp).toBeUndefined()
  })

  it('an old one whose notes are 补发 or begin 补发； reads as a 补发 with the rest of its notes', async () => {
    const ids = await paymentsToOneFamily()
    const notes = ['补发', '补发；两年合发', '补发差额', '两年合发', undefined]
    await Promise.all(ids.map((id, i) => storeInOldForm(id, notes[i])))

    const read = await Promise.all(ids.map((id) => allowance.getPayment(id)))

    expect(read.map((p) => [p!.topUp ?? false, p!.notes])).toEqual([
      [true, undefined],
      [true, '两年合发'],
      // Typed by a cadre (`备注 补发差额`): a note as written, as the old mark never was.
      [false, '补发差额'],
      [false, '两年合发'],
      [false, undefined],
    ])
  })

  it('an old 补发 corrected or withdrawn is rewritten with tu, nothing lost, counters unmoved', async () => {
    const [, noted, bare] = await paymentsToOneFamily()
    await storeInOldForm(noted!, '补发；两年合发')
    await storeInOldForm(bare!, '补发')

    await records().correct(noted!, { notes: '差额' }, meta())
    await records().correct(bare!, { amountFen: 20_000 }, meta())
    await records().withdraw(bare!, meta())

    expect(await storedJson(noted!)).toMatchObject({ tu: 1, nt: '差额' })
    expect(await storedJson(bare!)).toMatchObject({ tu: 1, f: 20_000 })
    expect(await storedJson(bare!)).not.toHaveProperty('nt')
    expect((await new Reconciler(deps).recountFromRecords()).drift).toEqual([])
  })

  it('a 补发 read and written again round-trips, marked or old-form alike', async () => {
    const [plain, topUp, old] = await paymentsToOneFamily()
    await storeInOldForm(old!, '补发；两年合发')

    for (const id of [plain!, topUp!, old!]) {
      const read = (await allowance.getPayment(id))!
      const again = toRecord(id, parseStored(encodeRecord(read)))
      expect(again).toEqual(read)
    }
    expect(JSON.parse(encodeRecord((await allowance.getPayment(old!))!))).toMatchObject({
      tu: 1,
      nt: '两年合发',
    })
  })
})
