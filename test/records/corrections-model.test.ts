import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UserFacingError } from '../../src/errors.js'
import { seasonYear } from '../../src/occasions.js'
import { DuplicateRecordError } from '../../src/records/duplicate-error.js'
import { Reconciler } from '../../src/records/reconciler.js'
import { OCCASIONS, type Occasion, type Person, type Visit } from '../../src/records/schemas.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { adminMeta, seedTown } from '../support/town.js'

// Random visits, corrections of occasion, date, person and cash, and withdrawals: whatever the
// order, the counters equal a recount and each campaign lists exactly its active visits once.

const DATES = ['2025-12-28', '2026-01-10', '2026-02-10', '2026-07-20', '2026-07-31']
const AT = new Date('2026-07-31T02:00:00Z')

type Step =
  | { t: 'visit'; person: number; date: number; occasion: number; cash: number }
  | { t: 'occasion'; visit: number; occasion: number }
  | { t: 'date'; visit: number; date: number }
  | { t: 'person'; visit: number; person: number }
  | { t: 'cash'; visit: number; cash: number }
  | { t: 'withdraw'; visit: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('visit' as const),
      person: fc.nat(5),
      date: fc.nat(DATES.length - 1),
      occasion: fc.nat(OCCASIONS.length - 1),
      cash: fc.constantFrom(0, 20_000, 50_000),
    }),
  },
  fc.record({
    t: fc.constant('occasion' as const),
    visit: fc.nat(30),
    occasion: fc.nat(OCCASIONS.length - 1),
  }),
  fc.record({ t: fc.constant('date' as const), visit: fc.nat(30), date: fc.nat(DATES.length - 1) }),
  fc.record({ t: fc.constant('person' as const), visit: fc.nat(30), person: fc.nat(5) }),
  fc.record({ t: fc.constant('cash' as const), visit: fc.nat(30), cash: fc.nat(100_000) }),
  fc.record({ t: fc.constant('withdraw' as const), visit: fc.nat(30) }),
)

describe('corrections of occasion, date and person keep the figures exact', () => {
  let t: TestBot
  let people: Person[]
  const visits: number[] = []

  beforeAll(async () => {
    t = await createTestBot({}, { now: () => AT })
    people = Object.values((await seedTown(t)).people).slice(0, 6)
  })
  afterAll(async () => {
    await t.cleanup()
  })

  async function run(step: Step): Promise<void> {
    const s = t.bot.services
    const target = () => visits[step.t === 'visit' ? 0 : step.visit % Math.max(1, visits.length)]
    try {
      if (step.t === 'visit') {
        const occasion = OCCASIONS[step.occasion]!
        const date = DATES[step.date]!
        const { record } = await s.visits.addVisit(
          {
            personId: people[step.person]!.id,
            date,
            occasion,
            campaignYear: seasonYear(occasion, date),
            visitors: ['李书记'],
            cashFen: step.cash,
          },
          adminMeta(AT),
        )
        visits.push(record.id)
        return
      }
      const id = target()
      if (id === undefined) return
      if (step.t === 'withdraw') await s.records.withdraw(id, adminMeta(AT))
      else if (step.t === 'occasion')
        await s.records.correct(id, { occasion: OCCASIONS[step.occasion] }, adminMeta(AT))
      else if (step.t === 'date')
        await s.records.correct(id, { date: DATES[step.date] }, adminMeta(AT))
      else if (step.t === 'person')
        await s.records.correct(id, { personId: people[step.person]!.id }, adminMeta(AT))
      else await s.records.correct(id, { cashFen: step.cash }, adminMeta(AT))
    } catch (err) {
      // Refusals (a duplicate, a withdrawn record) are part of the model; anything else is not.
      if (!(err instanceof DuplicateRecordError) && !(err instanceof UserFacingError)) throw err
    }
  }

  async function campaignsListExactly(): Promise<void> {
    const all = (await t.bot.services.records.getRecords(visits)) as Visit[]
    for (const year of [2025, 2026, 2027]) {
      for (const occasion of OCCASIONS as readonly Occasion[]) {
        const listed: number[] = []
        for await (const v of t.bot.services.visits.recordsOfCampaign(year, occasion)) {
          listed.push(v.id)
        }
        const expected = all
          .filter(
            (v) => v.status === 'active' && v.campaignYear === year && v.occasion === occasion,
          )
          .map((v) => v.id)
        expect([...listed].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b))
      }
    }
    // Nothing was confirmed, so neither an add nor a correction may leave a same-day repeat.
    const days = all
      .filter((v) => v.status === 'active')
      .map((v) => `${v.personId}|${v.date}|${v.campaignYear}|${v.occasion}`)
    expect(new Set(days).size).toBe(days.length)
  }

  it('after any sequence, reconcile finds no drift and each campaign lists its visits once', async () => {
    const reconciler = new Reconciler({ redis: t.redis, keys: t.keys })
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const step of steps) await run(step)
        expect((await reconciler.recountFromRecords()).drift).toEqual([])
        await campaignsListExactly()
      }),
      { numRuns: 25 },
    )
    // 25 random runs on real Redis: 4 s alone, past 15 s on a loaded two-core machine.
  }, 120_000)
})
