import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AllowanceStore } from '../../src/records/allowance-store.js'
import { PeopleStore } from '../../src/records/people-store.js'
import { Pii } from '../../src/records/pii.js'
import { RecordStore, type RecordStoreDeps } from '../../src/records/record-store.js'
import {
  OCCASIONS,
  paymentInputSchema,
  visitInputSchema,
  type Person,
  type WriteMeta,
} from '../../src/records/schemas.js'
import { parseStored } from '../../src/records/stored-record.js'
import { VillageStore } from '../../src/records/village-store.js'
import { VisitStore } from '../../src/records/visit-store.js'
import { useTestRedis } from '../support/redis.js'

// The visit and payment adds write their record without parsing it again with the stored
// schema (encodeAdded): what their input schemas accept must read back through parseStored.
// Any input the input schema takes is tried, odd text included; what it refuses is skipped.

let t: Awaited<ReturnType<typeof useTestRedis>>
let deps: RecordStoreDeps
let visits: VisitStore
let allowance: AllowanceStore
let records: RecordStore
let family: Person
let seq = 0
const meta = (): WriteMeta => ({
  actor: 'wecom:cadre',
  at: new Date('2027-07-25T02:00:00Z'),
  idempotencyKey: `added-${++seq}`,
})

beforeAll(async () => {
  t = await useTestRedis()
  deps = { redis: t.redis, keys: t.keys, pii: new Pii('test-secret-key-0123456789abcdef') }
  visits = new VisitStore(deps)
  allowance = new AllowanceStore(deps)
  records = new RecordStore(deps)
  await new VillageStore(deps).addVillage('铁炉嘴村', meta())
  family = (
    await new PeopleStore(deps).addPerson(
      { name: '张三', village: '铁炉嘴村', category: '义务兵家庭', householdType: '农村' },
      meta(),
    )
  ).record
  await allowance.setAllowanceStandard(2027, { mode: 'unified', fen: 860_000 }, meta())
})

afterAll(async () => {
  await t.cleanup()
})

// Text as cadres and broken clients send it: Han, padding, marks, emoji, lone surrogates,
// separators and over-long strings, so the input schemas' refusals are exercised too.
const oddText = (max: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: max + 5 }),
    fc.string({
      unit: fc.constantFrom('米', '油', ' ', '　', '|', ':', '\uD800', '😀', 'a'),
      maxLength: max + 5,
    }),
    { arbitrary: fc.constantFrom('张三', ' 李书记 ', '武警中队', '米', '袋'), weight: 4 },
  )

async function storedJson(id: number): Promise<string> {
  return (await t.redis.hget(t.keys.records(), String(id)))!
}

describe('records added without a second parse', () => {
  it('a visit its input schema accepts reads back through the stored schema as written', async () => {
    const visitInput = fc.record({
      date: fc.constantFrom('2027-07-20', '2027-07-28', '2026-12-31'),
      occasion: fc.constantFrom(...OCCASIONS),
      campaignYear: fc.constant(2027),
      person: fc.boolean(),
      unitName: oddText(40),
      visitors: fc.array(oddText(30), { minLength: 1, maxLength: 3 }),
      cashFen: fc.oneof(fc.constant(0), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
      goods: fc.array(
        fc.record({
          name: oddText(20),
          quantity: fc.oneof(
            fc.integer({ min: 1, max: 9 }),
            fc.integer({ min: -1, max: 1_000_001 }),
          ),
          unit: oddText(10),
        }),
        { maxLength: 3 },
      ),
      needs: fc.option(oddText(500), { nil: undefined }),
      notes: fc.option(oddText(500), { nil: undefined }),
    })
    await fc.assert(
      fc.asyncProperty(visitInput, async ({ person, unitName, ...rest }) => {
        const input = Object.assign({}, rest, person ? { personId: family.id } : { unitName })
        if (!visitInputSchema.safeParse(input).success) return
        const { record } = await visits.addVisit(input, meta(), { allowDuplicate: true })
        const stored = parseStored(await storedJson(record.id))
        expect(stored.k).toBe('v')
        expect(await records.getRecord(record.id)).toEqual(record)
      }),
      { numRuns: 150 },
    )
  })

  it('a payment its input schema accepts reads back through the stored schema as written', async () => {
    const paymentInput = fc.record({
      personId: fc.constant(0),
      year: fc.constant(2027),
      amountFen: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
      date: fc.constantFrom('2027-07-20', '2027-02-29', '2027-07-01'),
      householdType: fc.option(fc.constant('农村' as const), { nil: undefined }),
      standardFen: fc.option(fc.nat(), { nil: undefined }),
      topUp: fc.option(fc.constant(true as const), { nil: undefined }),
      // The old 补发 mark among them: a note in that form would read back as a 补发.
      notes: fc.option(
        fc.oneof(
          oddText(500),
          fc.constantFrom(
            '补发',
            ' 补发 ',
            '补发；',
            '补发；两年合发',
            '补发差额',
            '补发;两年合发',
          ),
        ),
        { nil: undefined },
      ),
    })
    await fc.assert(
      fc.asyncProperty(paymentInput, async (drawn) => {
        const input = Object.assign({}, drawn, { personId: family.id })
        if (!paymentInputSchema.safeParse(input).success) return
        const { record } = await allowance.addPayment(input, meta(), { allowDuplicate: true })
        const stored = parseStored(await storedJson(record.id))
        expect(stored.k).toBe('m')
        expect(record.topUp).toBe(input.topUp)
        expect(await records.getRecord(record.id)).toEqual(record)
      }),
      { numRuns: 100 },
    )
  })
})
