import { Pii } from '../../src/records/pii.js'
import { PeopleStore } from '../../src/records/people-store.js'
import { VillageStore } from '../../src/records/village-store.js'
import { VisitStore } from '../../src/records/visit-store.js'
import { TEST_SECRET_KEY } from '../support/bot.js'
import { useTestRedis } from '../support/redis.js'
import { benchLine } from './support.js'

const VISITS = 10_000
const VILLAGES = 30
const PEOPLE = 600
const TARGET_BYTES = 300

/**
 * Redis memory per visit: record, indexes and counters, then with the audit stream and the
 * idempotency markers (which expire), measured with MEMORY USAGE over every key of a fresh
 * prefix before and after writing 10,000 visits through the real store.
 */
export async function benchVisitMemory(): Promise<string[]> {
  const env = await useTestRedis()
  try {
    const deps = { redis: env.redis, keys: env.keys, pii: new Pii(TEST_SECRET_KEY) }
    const villages = new VillageStore(deps)
    const people = new PeopleStore(deps)
    const visits = new VisitStore(deps)
    const meta = (key: string) => ({ actor: 'sandbox:bench', at: new Date(), idempotencyKey: key })
    const villageNames = Array.from(
      { length: VILLAGES },
      (_, v) => `第${'一二三四五六七八九十'[v % 10]}${v}村`,
    )
    for (const name of villageNames) await villages.addVillage(name, meta(`v-${name}`))
    const ids: number[] = []
    for (let p = 0; p < PEOPLE; p++) {
      const { record } = await people.addPerson(
        { name: `对象${p}`, village: villageNames[p % VILLAGES]!, category: '在乡复员军人' },
        meta(`p-${p}`),
      )
      ids.push(record.id)
    }
    const before = await usageByKind(env)
    const occasions = ['八一', '春节'] as const
    for (let i = 0; i < VISITS; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => {
          const n = i + j
          return visits.addVisit(
            {
              date: '2026-07-28',
              occasion: occasions[n % 2]!,
              campaignYear: 2026 + (n % 10 === 0 ? 1 : 0),
              personId: ids[n % PEOPLE]!,
              visitors: ['李干部'],
              cashFen: 50000,
              goods: n % 3 === 0 ? [{ name: '米', quantity: 1, unit: '袋' }] : [],
            },
            meta(`visit-${n}`),
          )
        }),
      )
    }
    const after = await usageByKind(env)
    const per = (kinds: (k: string) => boolean) =>
      [...after]
        .filter(([k]) => kinds(k))
        .reduce((sum, [k, bytes]) => sum + bytes - (before.get(k) ?? 0), 0) / VISITS
    const core = per((k) => k !== 'audit' && k !== 'idem')
    const withAudit = per((k) => k !== 'idem')
    const all = per(() => true)
    return [
      benchLine(
        'visit-memory',
        `${Math.round(core)} B/visit (record, indexes, counters); ${Math.round(withAudit)} B with the audit stream; ${Math.round(all)} B with idempotency markers (expire)`,
        `target ${TARGET_BYTES} B`,
        core / TARGET_BYTES,
      ),
    ]
  } finally {
    await env.cleanup()
  }
}

/** MEMORY USAGE summed by key kind (`audit`, `idem`, `rec`, `tally`, …) under the test prefix. */
async function usageByKind(
  env: Awaited<ReturnType<typeof useTestRedis>>,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>()
  let cursor = '0'
  do {
    const [next, keys] = await env.redis.scan(cursor, 'MATCH', `${env.keys.base}*`, 'COUNT', 1000)
    cursor = next
    for (const key of keys) {
      const bytes = (await env.redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0
      const kind = key.slice(env.keys.base.length).split(':')[0]!
      totals.set(kind, (totals.get(kind) ?? 0) + Number(bytes))
    }
  } while (cursor !== '0')
  return totals
}
