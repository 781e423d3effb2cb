import { performance } from 'node:perf_hooks'
import { ActivityStore } from '../../src/records/activity-store.js'
import { AllowanceStore } from '../../src/records/allowance-store.js'
import { PeopleStore } from '../../src/records/people-store.js'
import { Pii } from '../../src/records/pii.js'
import { Reconciler } from '../../src/records/reconciler.js'
import type { RecordStoreDeps } from '../../src/records/record-store.js'
import type { Category, HouseholdType } from '../../src/records/schemas.js'
import { TallyReader } from '../../src/records/tally-reader.js'
import { VillageStore } from '../../src/records/village-store.js'
import { VisitStore } from '../../src/records/visit-store.js'
import { TEST_SECRET_KEY } from '../support/bot.js'
import { useTestRedis } from '../support/redis.js'
import { benchLine } from './support.js'

/** Visit counts to measure at; BENCH_TALLY_SIZES=10000,100000 overrides. */
export const DEFAULT_TALLY_SIZES = [10_000, 100_000, 1_000_000]

const VILLAGES = 30
const PEOPLE = 3_000
const CONCURRENCY = 64
const SAMPLES = 500
const YEAR = 2027
const CATEGORIES: Category[] = ['在乡复员军人', '残疾军人', '烈士遗属', '义务兵家庭']

function sizes(): number[] {
  const raw = process.env.BENCH_TALLY_SIZES
  if (!raw) return DEFAULT_TALLY_SIZES
  return raw
    .split(',')
    .map((s) => Number(s.trim().replace(/_/g, '')))
    .filter((n) => Number.isInteger(n) && n > 0)
}

/** Runs `task(i)` for i in [0, n) with `concurrency` in flight. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await task(next++)
    }),
  )
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/**
 * A township at county scale: VILLAGES villages, PEOPLE people (a quarter conscript families,
 * half of them paid), then `visits` 八一 visits with cash and goods, written through the real
 * stores (one idempotent Lua script each) with CONCURRENCY writes in flight.
 */
async function seed(deps: RecordStoreDeps, visits: number): Promise<number> {
  const started = performance.now()
  const meta = (key: string) => ({ actor: 'sandbox:bench', at: new Date(), idempotencyKey: key })
  const villageNames = Array.from({ length: VILLAGES }, (_, v) => `第${v}村`)
  const villageStore = new VillageStore(deps)
  for (const name of villageNames) await villageStore.addVillage(name, meta(`v-${name}`))
  const allowances = new AllowanceStore(deps)
  await allowances.setAllowanceStandard(
    YEAR,
    { mode: 'split', ruralFen: 580_000, urbanFen: 860_000 },
    meta('std'),
  )
  const people = new PeopleStore(deps)
  const ids: number[] = new Array<number>(PEOPLE)
  await pool(PEOPLE, CONCURRENCY, async (p) => {
    const category = CATEGORIES[p % CATEGORIES.length]!
    const householdType: HouseholdType | undefined =
      category === '义务兵家庭' ? (p % 8 < 4 ? '农村' : '城镇') : undefined
    const { record } = await people.addPerson(
      {
        name: `对象${p}`,
        village: villageNames[p % VILLAGES]!,
        category,
        ...(householdType && { householdType }),
      },
      meta(`p-${p}`),
    )
    ids[p] = record.id
  })
  const families = ids.filter((_, p) => CATEGORIES[p % CATEGORIES.length] === '义务兵家庭')
  await pool(Math.floor(families.length / 2), CONCURRENCY, (i) =>
    allowances.addPayment(
      {
        personId: families[i]!,
        year: YEAR,
        amountFen: i % 2 === 0 ? 580_000 : 860_000,
        date: `${YEAR}-07-20`,
      },
      meta(`pay-${i}`),
    ),
  )
  await new ActivityStore(deps).addActivity(
    { activityKind: '座谈会', date: `${YEAR}-07-30`, year: YEAR, count: 40 },
    meta('act'),
  )
  const visitStore = new VisitStore(deps)
  await pool(visits, CONCURRENCY, (n) =>
    visitStore.addVisit(
      {
        date: `${YEAR}-07-28`,
        occasion: '八一',
        campaignYear: YEAR,
        personId: ids[n % PEOPLE]!,
        visitors: ['李干部'],
        cashFen: 50_000,
        goods: n % 3 === 0 ? [{ name: '米', quantity: 1, unit: '袋' }] : [],
      },
      meta(`visit-${n}`),
      // Repeat visits on one day are the load here, not slips to hold for 「确认」.
      { allowDuplicate: true },
    ),
  )
  return performance.now() - started
}

/**
 * `tally-<n>`: the latency of a leader's 统计 (readCampaignTally and readAllowanceTally for
 * every village, read concurrently as tally.ts does) over SAMPLES runs, against one full
 * recount from the records (the reconciler without fix) at the same size: the counters' cost
 * must stay flat while the recount grows. Keys are deleted after each size.
 */
export async function benchTally(): Promise<string[]> {
  const lines: string[] = []
  for (const n of sizes()) {
    const env = await useTestRedis()
    try {
      const deps: RecordStoreDeps = {
        redis: env.redis,
        keys: env.keys,
        pii: new Pii(TEST_SECRET_KEY),
      }
      const seedMs = await seed(deps, n)
      const tallies = new TallyReader(deps)
      // Warm-up: JIT and connection, so the samples measure the steady state.
      for (let i = 0; i < 100; i++) {
        await Promise.all([
          tallies.readCampaignTally(YEAR, '八一'),
          tallies.readAllowanceTally(YEAR),
        ])
      }
      const samples: number[] = []
      for (let i = 0; i < SAMPLES; i++) {
        const t0 = performance.now()
        // What plain 统计 reads for a leader, at the same time (tally.ts).
        const [campaign] = await Promise.all([
          tallies.readCampaignTally(YEAR, '八一'),
          tallies.readAllowanceTally(YEAR),
        ])
        samples.push(performance.now() - t0)
        if (campaign.total.visits !== n)
          throw new Error(`tally says ${campaign.total.visits}, not ${n}`)
      }
      samples.sort((a, b) => a - b)
      const t0 = performance.now()
      const report = await new Reconciler(deps).recountFromRecords()
      const recountMs = performance.now() - t0
      if (report.drift.length > 0) throw new Error(`drift after seeding: ${report.drift.length}`)
      const p50 = percentile(samples, 50)
      lines.push(
        benchLine(
          `tally-${n}`,
          `p50 ${p50.toFixed(2)} ms p99 ${percentile(samples, 99).toFixed(2)} ms`,
          `full recount ${Math.round(recountMs)} ms`,
          recountMs / p50,
        ),
      )
      console.error(`  (tally-${n}: seeded ${n} visits in ${(seedMs / 1000).toFixed(1)} s)`)
    } finally {
      await env.cleanup()
    }
  }
  return lines
}
