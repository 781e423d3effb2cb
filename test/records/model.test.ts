import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../src/bot/command.js'
import { toChanges } from '../../src/commands/correction-changes.js'
import { UserFacingError } from '../../src/errors.js'
import { seasonYear, type CampaignOccasion } from '../../src/occasions.js'
import { DuplicateRecordError } from '../../src/records/duplicate-error.js'
import { Reconciler } from '../../src/records/reconciler.js'
import type { Category, WriteMeta } from '../../src/records/schemas.js'
import { createTestBot, say, type TestBot } from '../support/bot.js'
import { testClock, type TestClock } from '../support/clock.js'

// The model test of the figures (issue 11, part 10; docs/figures.md): random sequences of
// roster changes, visits, payments, corrections and withdrawals over a few villages and both
// campaigns, on the real stores and a real Redis. After every step each count 统计 gives equals
// the length of the list that names it, no category shows more visited than due, and a closed
// campaign's due no longer moves; at the end of each run a recount finds no drift.
//
// Two ways in, so that a few thousand runs fit in CI (docs/figures.md, "The model test"):
// - a store run calls the same write functions the commands call (PeopleStore, VisitStore,
//   AllowanceStore, RecordStore) and checks through the same reads 统计, 未走访, 未发放 and 待办
//   use (TallyReader, VisitStore.openHelpCases), a few milliseconds a step;
// - a chat run (one in MODEL_CHAT_EVERY) sends every step as a message through the sandbox and
//   also asks every figure in the chat, as a leader and a cadre, at the end of the run.
// `npm run test:model` makes 2,000 runs; `npm test` makes MODEL_RUNS (default 6).

const RUNS = Number(process.env.MODEL_RUNS ?? 6)
/** One run in this many goes through the chat; the generated value decides, so it shrinks. */
const CHAT_EVERY = Number(process.env.MODEL_CHAT_EVERY ?? 20)
const MAX_STEPS = Number(process.env.MODEL_STEPS ?? 12)
const VILLAGES = ['东村', '西村', '南村'] as const
const CATEGORIES: readonly Category[] = ['残疾军人', '烈士遗属', '义务兵家庭']
const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄']
const GIVEN = ['明', '华', '强', '芳', '伟', '丽', '军', '红']
/** 2026-07-19 10:00 in Shanghai: inside the 八一 window; steps walk past 八一 towards 春节 2027. */
const START = '2026-07-19T02:00:00Z'
const DAY = 86_400_000
/** The campaigns asked about by year, so the season rule's choice of today cannot hide one. */
const CAMPAIGNS = [
  { year: 2026, occasion: '八一', end: '2026-08-02T00:00:00+08:00' },
  { year: 2026, occasion: '春节', end: '2026-02-18T00:00:00+08:00' },
  { year: 2027, occasion: '春节', end: '2027-02-07T00:00:00+08:00' },
] as const
const YEARS = [2026, 2027]
/** The campaign a visit of the model can be filed under besides CAMPAIGNS, for 待办's count. */
const ALSO_FILED = [{ year: 2027, occasion: '八一' }] as const
const BOSS: Actor = { key: 'sandbox:boss', role: 'leader', villages: [] }

type Action =
  | { t: 'person'; village: number; category: number; rural: boolean }
  | { t: 'remove'; target: number }
  | { t: 'visit'; person: number; occasion: number; back: number; cash: number; need: boolean }
  | { t: 'pay'; person: number }
  | { t: 'confirm'; yes: boolean }
  | { t: 'correct'; target: number; amount: number; back: number; date: boolean }
  | { t: 'withdraw'; target: number }
  | { t: 'resolve'; target: number }
  | { t: 'tick'; days: number }

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('person' as const),
      village: fc.nat(VILLAGES.length - 1),
      category: fc.nat(CATEGORIES.length - 1),
      rural: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('remove' as const), target: fc.nat(30) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('visit' as const),
      person: fc.nat(30),
      occasion: fc.nat(1),
      back: fc.nat(3),
      cash: fc.nat(3),
      need: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('pay' as const), person: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('confirm' as const), yes: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('correct' as const),
      target: fc.nat(30),
      amount: fc.nat(900),
      back: fc.nat(3),
      date: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('withdraw' as const), target: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('resolve' as const), target: fc.nat(30) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('tick' as const),
      days: fc.integer({ min: 1, max: 40 }),
    }),
  },
)

/** Shanghai's date of `clock`, `YYYY-MM-DD`, `back` days before. */
function localDay(clock: TestClock, back = 0): string {
  return new Date(clock().getTime() + 8 * 3_600_000 - back * DAY).toISOString().slice(0, 10)
}

/** The first number `pattern` captures in `text`, or `fallback` when a `zero` phrase says none. */
function countIn(text: string, pattern: RegExp, zero: RegExp): number {
  const m = pattern.exec(text)
  if (m) return Number(m[1])
  if (zero.test(text)) return 0
  throw new Error(`no count in: ${text}`)
}

/** Numbered lines of a list reply (`3. 王一（…）`); when the list was cut, undefined. */
function listed(text: string): number | undefined {
  if (/未列出|另有/.test(text)) return undefined
  return text.split('\n').filter((l) => /^\d+\. /.test(l)).length
}

/** A write the store refused as a repeat, waiting for 「确认」 as the chat holds it. */
type Held = (allowDuplicate: boolean) => Promise<number | undefined>

interface World {
  t: TestBot
  clock: TestClock
  chat: boolean
  people: { id: number; name: string }[]
  records: number[]
  visits: number[]
  held?: Held
  /** Due of each closed campaign as first seen after its end: it must never move again. */
  frozen: Map<string, number>
  log: string[]
}

async function send(w: World, user: string, text: string): Promise<string> {
  const reply = (await say(w.t, user, text)).join('\n')
  w.log.push(`${user}> ${text}\n${reply}`)
  return reply
}

let writes = 0
function meta(w: World, actor = 'sandbox:admin'): WriteMeta {
  return { actor, at: w.clock(), idempotencyKey: `model-${++writes}` }
}

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length]
}

/** The record number a write reply names (`已登记 #12`), if it stored one. */
function storedId(reply: string): number | undefined {
  const m = /已登记 #(\d+)/.exec(reply)
  return m ? Number(m[1]) : undefined
}

/**
 * Runs a store write as the command would; a refusal the user would be told about (a removed
 * person, not a conscript family, a repeat) stores nothing and is logged, as the chat replies.
 */
async function refused<T>(w: World, what: string, write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write()
  } catch (err) {
    if (err instanceof UserFacingError || err instanceof DuplicateRecordError) {
      w.log.push(`${what}: ${err.message}`)
      return undefined
    }
    throw err
  }
}

/** One step through the chat, as the leader `boss` would type it. */
async function applyByChat(w: World, a: Action): Promise<void> {
  switch (a.t) {
    case 'remove': {
      const p = pick(w.people, a.target)
      // A person leaves the roster with a reason (issue 13).
      if (p) await send(w, 'boss', `撤销 #${p.id} 迁出`)
      return
    }
    case 'visit': {
      const p = pick(w.people, a.person)
      if (!p) return
      const occasion = a.occasion === 0 ? '八一' : '春节'
      const cash = a.cash === 0 ? '' : ` 慰问金${a.cash * 100}元`
      const need = a.need ? ' 备注 危房需修缮' : ''
      const reply = await send(
        w,
        'boss',
        `走访 ${p.name} ${localDay(w.clock, a.back)} ${occasion}${cash}${need}`,
      )
      const id = storedId(reply)
      if (id) {
        w.records.push(id)
        w.visits.push(id)
        await checkProgress(w, id, reply)
      }
      return
    }
    case 'pay': {
      const p = pick(w.people, a.person)
      if (!p) return
      const reply = await send(w, 'boss', `发放优待金 ${p.name} 5000元 ${localDay(w.clock)}`)
      const id = storedId(reply)
      if (id) {
        w.records.push(id)
        await checkProgress(w, id, reply)
      }
      return
    }
    case 'confirm': {
      const reply = await send(w, 'boss', a.yes ? '确认' : '不用了')
      const id = storedId(reply)
      if (id) {
        w.records.push(id)
        await checkProgress(w, id, reply)
      }
      return
    }
    case 'correct': {
      const id = pick(w.records, a.target)
      if (id === undefined) return
      const change = a.date ? `日期 ${localDay(w.clock, a.back)}` : `金额 ${a.amount}元`
      await send(w, 'boss', `修改 #${id} ${change}`)
      return
    }
    case 'withdraw': {
      const id = pick(w.records, a.target)
      if (id !== undefined) await send(w, 'boss', `撤销 #${id}`)
      return
    }
    case 'resolve': {
      const id = pick(w.visits, a.target)
      if (id !== undefined) await send(w, 'boss', `办结 #${id} 已处理`)
      return
    }
    default:
      return
  }
}

/** One step through the stores' write functions, with what the command decides first. */
async function applyByStores(w: World, a: Action): Promise<void> {
  const s = w.t.bot.services
  switch (a.t) {
    case 'remove': {
      const p = pick(w.people, a.target)
      if (p) await s.people.removePerson(p.id, meta(w, BOSS.key))
      return
    }
    case 'visit': {
      const p = pick(w.people, a.person)
      if (!p) return
      const occasion = a.occasion === 0 ? '八一' : '春节'
      const date = localDay(w.clock, a.back)
      const write = (allowDuplicate: boolean) =>
        s.visits.addVisit(
          {
            date,
            occasion,
            campaignYear: seasonYear(occasion, date),
            personId: p.id,
            visitors: ['boss'],
            cashFen: a.cash * 10_000,
            ...(a.need && { needs: '危房需修缮' }),
          },
          meta(w, BOSS.key),
          { allowDuplicate },
        )
      await stored(w, `走访 ${p.name} ${date} ${occasion}`, write, true)
      return
    }
    case 'pay': {
      const p = pick(w.people, a.person)
      if (!p) return
      const date = localDay(w.clock)
      const write = (allowDuplicate: boolean) =>
        s.allowances.addPayment(
          { personId: p.id, year: Number(date.slice(0, 4)), amountFen: 500_000, date },
          meta(w, BOSS.key),
          { allowDuplicate },
        )
      await stored(w, `发放优待金 ${p.name} ${date}`, write, false)
      return
    }
    case 'confirm': {
      const held = w.held
      w.held = undefined
      if (held && a.yes) {
        const id = await held(true)
        if (id) w.records.push(id)
      }
      return
    }
    case 'correct': {
      const id = pick(w.records, a.target)
      if (id === undefined) return
      const record = await s.records.getRecord(id)
      if (!record || record.kind === 'person' || record.status === 'withdrawn') return
      const [word, value] = a.date ? ['日期', localDay(w.clock, a.back)] : ['金额', `${a.amount}元`]
      await refused(w, `修改 #${id} ${word} ${value}`, async () =>
        s.records.correct(
          id,
          await toChanges(record, word, value, { actor: BOSS, now: w.clock(), services: s }),
          meta(w, BOSS.key),
        ),
      )
      return
    }
    case 'withdraw': {
      const id = pick(w.records, a.target)
      if (id !== undefined) await s.records.withdraw(id, meta(w, BOSS.key))
      return
    }
    case 'resolve': {
      const id = pick(w.visits, a.target)
      if (id === undefined) return
      const visit = await s.visits.getVisit(id)
      // 办结 refuses a withdrawn visit, one without a need and one already resolved.
      if (!visit || visit.status === 'withdrawn' || !visit.needs || visit.resolvedAt) return
      await s.records.correct(
        id,
        { resolvedAt: localDay(w.clock), followUp: '已处理' },
        meta(w, BOSS.key),
      )
      return
    }
    default:
      return
  }
}

/** A store add: the record it stored is remembered; a repeat is held for 「确认」. */
async function stored(
  w: World,
  what: string,
  write: (allowDuplicate: boolean) => Promise<{ record: { id: number } }>,
  visit: boolean,
): Promise<void> {
  const add = async (allowDuplicate: boolean) => {
    const id = (await refused(w, what, () => write(allowDuplicate)))?.record.id
    if (id !== undefined) {
      w.log.push(`${what} → #${id}`)
      if (visit) w.visits.push(id)
    }
    return id
  }
  try {
    const id = (await write(false)).record.id
    w.log.push(`${what} → #${id}`)
    w.records.push(id)
    if (visit) w.visits.push(id)
  } catch (err) {
    if (err instanceof DuplicateRecordError) {
      w.log.push(`${what}: held for 确认`)
      w.held = add
    } else if (err instanceof UserFacingError) w.log.push(`${what}: ${err.message}`)
    else throw err
  }
}

async function apply(w: World, a: Action): Promise<void> {
  const s = w.t.bot.services
  if (a.t === 'person') {
    const n = w.people.length
    const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}${n >= 64 ? GIVEN[n % GIVEN.length] : ''}`
    const category = CATEGORIES[a.category]!
    const { record } = await s.people.addPerson(
      {
        name,
        village: VILLAGES[a.village]!,
        category,
        ...(category === '义务兵家庭' && { householdType: a.rural ? '农村' : '城镇' }),
      },
      meta(w),
    )
    w.people.push({ id: record.id, name })
    w.log.push(`+ ${VILLAGES[a.village]} ${name}（${category}）#${record.id}`)
  } else if (a.t === 'tick') {
    w.clock.advance(a.days * DAY)
    w.log.push(`(clock ${localDay(w.clock)})`)
  } else if (w.chat) await applyByChat(w, a)
  else await applyByStores(w, a)
}

/**
 * A visit's or payment's reply names its village's progress (`东村八一走访进度 3/9 户`,
 * `东村已发 1/2 户`): the same due set as 统计 counts, so a removed person leaves both sides
 * alike (issue 11).
 */
async function checkProgress(w: World, id: number, reply: string): Promise<void> {
  const s = w.t.bot.services
  const record = await s.records.getRecord(id)
  const asOf = { today: localDay(w.clock), timezone: s.timezone }
  if (record?.kind === 'visit') {
    const m = /走访进度 (\d+)\/(\d+) 户/.exec(reply)
    if (!m) return
    const tally = await s.tallies.readCampaignTally(
      record.campaignYear,
      record.occasion as CampaignOccasion,
      [record.village],
      asOf,
    )
    const f = tally.byVillage[record.village]!
    expect(`${m[1]}/${m[2]}`, `progress of #${id} vs 统计`).toBe(`${f.households}/${f.entitled}`)
  } else if (record?.kind === 'payment') {
    const m = /已发 (\d+)\/(\d+) 户/.exec(reply)
    if (!m) return
    const tally = await s.tallies.readAllowanceTally(record.year, [record.village])
    const v = tally.byVillage[record.village]!
    expect(`${m[1]}/${m[2]}`, `progress of #${id} vs 统计 优待金`).toBe(`${v.families}/${v.due}`)
  }
}

/** Every figure against the list that names it, read as 统计, 未走访, 未发放 and 待办 read them. */
async function checkStores(w: World): Promise<void> {
  const s = w.t.bot.services
  const asOf = { today: localDay(w.clock), timezone: s.timezone }
  const [campaigns, filed, allowances, open] = await Promise.all([
    Promise.all(
      CAMPAIGNS.map(({ year, occasion }) =>
        Promise.all([
          s.tallies.readCampaignTally(year, occasion, undefined, asOf),
          s.tallies.unvisitedPeople(year, occasion, undefined, asOf),
        ]),
      ),
    ),
    Promise.all(
      ALSO_FILED.map(({ year, occasion }) =>
        s.tallies.readCampaignTally(year, occasion, undefined, asOf),
      ),
    ),
    Promise.all(
      YEARS.map((year) =>
        Promise.all([s.tallies.readAllowanceTally(year), s.tallies.unpaidFamilies(year)]),
      ),
    ),
    s.visits.openHelpCases(),
  ])
  CAMPAIGNS.forEach(({ year, occasion, end }, i) => {
    const [figures, unvisited] = campaigns[i]!
    const key = `${year} ${occasion}`
    expect(figures.total.entitled - figures.total.households, `${key}: 统计 vs 未走访`).toBe(
      unvisited.length,
    )
    for (const [village, f] of Object.entries(figures.byVillage)) {
      expect(f.households, `${key} ${village}: visited ≤ due`).toBeLessThanOrEqual(f.entitled)
      expect(f.entitled - f.households, `${key} ${village}: 统计 vs 未走访`).toBe(
        unvisited.filter((p) => p.village === village).length,
      )
    }
    for (const [category, c] of Object.entries(figures.byCategory)) {
      expect(c.households, `${key} ${category}: visited ≤ due`).toBeLessThanOrEqual(c.entitled)
    }
    // An empty roster is not frozen (docs/figures.md): from the first due seen after the end.
    if (w.clock().getTime() >= Date.parse(end) && figures.total.entitled > 0) {
      const first = w.frozen.get(key) ?? figures.total.entitled
      w.frozen.set(key, first)
      expect(figures.total.entitled, `${key} closed: its due no longer moves`).toBe(first)
    }
  })
  YEARS.forEach((year, i) => {
    const [tally, unpaid] = allowances[i]!
    expect(tally.total.due - tally.total.families, `统计 优待金 ${year} vs 未发放`).toBe(
      unpaid.length,
    )
    for (const [village, v] of Object.entries(tally.byVillage)) {
      expect(v.due - v.families, `优待金 ${year} ${village} vs 未发放`).toBe(
        unpaid.filter((p) => p.village === village).length,
      )
    }
  })
  const cases = [...campaigns.map(([c]) => c), ...filed].reduce(
    (n, c) => n + c.total.needs - c.total.resolved,
    0,
  )
  expect(cases, '年报 未办结 vs 待办').toBe(open.length)
}

/** Every figure against the list that names it, asked in the chat by a leader and a cadre. */
async function checkChat(w: World): Promise<void> {
  for (const { year, occasion } of CAMPAIGNS) {
    for (const user of ['boss', 'li']) {
      const tally = await send(w, user, `统计 ${year} ${occasion}`)
      const list = await send(w, user, `未走访 ${year} ${occasion}`)
      const said = countIn(tally, /未走访 (\d+) 户/, /全部已走访|还没有登记优抚对象/)
      const due = countIn(tally, /应访 (\d+) 户/, /$^/)
      const visited = countIn(tally, /已访 (\d+) 户/, /$^/)
      const names = countIn(list, /尚有 (\d+) 户未走访/, /全部已走访|还没有登记优抚对象/)
      expect(said, `统计 ${year} ${occasion} vs 未走访 (${user})`).toBe(names)
      expect(due - visited, `应访 − 已访, ${year} ${occasion} (${user})`).toBe(said)
      const numbered = listed(list)
      if (numbered !== undefined) expect(numbered).toBe(names)
      for (const [, a, b] of tally.matchAll(/(\d+)\/(\d+)/g)) {
        expect(Number(a), `visited ≤ due in ${tally}`).toBeLessThanOrEqual(Number(b))
      }
    }
  }
  for (const year of YEARS) {
    const tally = await send(w, 'boss', `统计 优待金 ${year}`)
    const list = await send(w, 'boss', `未发放 ${year}`)
    const said = countIn(tally, /未发 (\d+) 户/, /全部已发放|没有登记义务兵家庭/)
    const names = countIn(list, /尚有 (\d+) 户未发放/, /全部已发放|没有登记义务兵家庭/)
    expect(said, `统计 优待金 ${year} vs 未发放`).toBe(names)
    const numbered = listed(list)
    if (numbered !== undefined) expect(numbered).toBe(names)
  }
  const open = await send(w, 'boss', '待办')
  const cases = countIn(open, /待办帮扶 (\d+) 件/, /没有待办的帮扶事项/)
  let reported = 0
  for (const year of YEARS) {
    reported += countIn(await send(w, 'boss', `年报 ${year}`), /未办结 (\d+) 件/, /$^/)
  }
  expect(reported, '年报 未办结 vs 待办').toBe(cases)
}

/**
 * One bot and one key prefix for many runs: a run starts from the same seeded state (villages,
 * standards, roles), restored from a dump of it, after the last run's keys are deleted. A bot
 * keeps nothing of a run in memory, so this is a fresh township at a fraction of a new bot's
 * cost (a new bot and a SCAN-based cleanup took about 20 ms a run, more than a short run's steps).
 */
interface Lane {
  t: TestBot
  clock: TestClock
  seed: [string, Buffer][]
}

async function keysUnderPrefix(t: TestBot): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, page] = await t.redis.scan(cursor, 'MATCH', `${t.prefix}*`, 'COUNT', 10_000)
    cursor = next
    found.push(...page)
  } while (cursor !== '0')
  return found
}

async function openLane(): Promise<Lane> {
  const clock = testClock(START)
  const t = await createTestBot({ ADMIN_USERS: 'sandbox:admin' }, { now: clock })
  const w = { clock } as World
  const s = t.bot.services
  for (const v of VILLAGES) await s.villages.addVillage(v, meta(w))
  for (const year of YEARS) {
    await s.allowances.setAllowanceStandard(year, { mode: 'unified', fen: 500_000 }, meta(w))
  }
  await s.roles.set(
    'sandbox:boss',
    { role: 'leader', villages: [], setBy: 'test', setAt: '' },
    meta(w),
  )
  await s.roles.set(
    'sandbox:li',
    { role: 'cadre', villages: [VILLAGES[0]], setBy: 'test', setAt: '' },
    meta(w),
  )
  const keys = await keysUnderPrefix(t)
  const seed = await Promise.all(
    keys.map(async (k): Promise<[string, Buffer]> => [k, (await t.redis.dumpBuffer(k))!]),
  )
  return { t, clock, seed }
}

/** Back to the seeded township at START: the last run's keys deleted, the seed restored. */
async function resetLane({ t, clock, seed }: Lane): Promise<void> {
  clock.set(START)
  const stale = await keysUnderPrefix(t)
  const pipeline = t.redis.pipeline()
  if (stale.length > 0) pipeline.unlink(...stale)
  for (const [key, dump] of seed) pipeline.restore(key, 0, dump)
  for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err
}

let lane: Lane

beforeAll(async () => {
  lane = await openLane()
}, 60_000)

afterAll(async () => {
  await lane?.t.cleanup()
})

/** Entries in the audit stream: every applied write appends one, in its own script. */
function auditLength(w: World): Promise<number> {
  return w.t.redis.xlen(w.t.keys.audit())
}

async function runModel(lane: Lane, actions: Action[], chat: boolean): Promise<void> {
  await resetLane(lane)
  const w: World = {
    t: lane.t,
    clock: lane.clock,
    chat,
    people: [],
    records: [],
    visits: [],
    frozen: new Map(),
    log: [chat ? '(through the chat)' : '(through the stores)'],
  }
  try {
    let written = await auditLength(w)
    for (const a of actions) {
      await apply(w, a)
      // A step that stored nothing (a refusal, a repeat held, a pick of nobody) leaves every
      // figure as the last check saw it; the recount and the final check still cover it.
      const now = await auditLength(w)
      if (now === written && a.t !== 'tick') continue
      written = now
      await checkStores(w)
    }
    await checkStores(w)
    if (chat) await checkChat(w)
    const report = await new Reconciler({ redis: w.t.redis, keys: w.t.keys }).recountFromRecords()
    expect(report.drift, 'the recount finds no drift').toEqual([])
  } catch (err) {
    // The conversation that led here, so a shrunk counterexample reads as a story.
    if (err instanceof Error) err.message += `\n--- conversation ---\n${w.log.join('\n')}`
    throw err
  }
}

describe('the figures agree with the lists (model, issue 11)', () => {
  it('after every step of a random day of work 统计, 未走访, 未发放, 待办 and the recount agree', async () => {
    // MODEL_SEED replays a failure: fast-check prints the seed and path of the one it found.
    const seed = process.env.MODEL_SEED === undefined ? undefined : Number(process.env.MODEL_SEED)
    await fc.assert(
      fc.asyncProperty(
        fc.nat(CHAT_EVERY - 1).map((n) => n === 0),
        fc.array(actionArb, { minLength: 3, maxLength: MAX_STEPS }),
        (chat, actions) => runModel(lane, actions, chat),
      ),
      { numRuns: RUNS, ...(seed !== undefined && { seed }) },
    )
  }, 1_800_000)

  for (const chat of [true, false]) {
    const way = chat ? 'through the chat' : 'through the stores'
    it(`when a person with one visit is withdrawn they leave due and visited together (${way})`, async () => {
      await runModel(
        lane,
        [
          { t: 'person', village: 0, category: 1, rural: false },
          { t: 'person', village: 0, category: 1, rural: false },
          { t: 'visit', person: 1, occasion: 0, back: 0, cash: 1, need: false },
          { t: 'remove', target: 1 },
        ],
        chat,
      )
    }, 60_000)

    it(`when the roster changes after 八一 has ended its due does not move (${way})`, async () => {
      await runModel(
        lane,
        [
          { t: 'person', village: 0, category: 0, rural: false },
          { t: 'person', village: 1, category: 2, rural: true },
          { t: 'tick', days: 20 },
          { t: 'person', village: 1, category: 0, rural: false },
          { t: 'remove', target: 0 },
          { t: 'visit', person: 2, occasion: 0, back: 0, cash: 1, need: false },
        ],
        chat,
      )
    }, 60_000)
  }

  it('when a paid family is removed a later payment in the village shows the progress 统计 优待金 shows (issue 11)', async () => {
    await runModel(
      lane,
      [
        { t: 'person', village: 0, category: 2, rural: true },
        { t: 'person', village: 0, category: 2, rural: false },
        { t: 'pay', person: 0 },
        { t: 'remove', target: 0 },
        { t: 'pay', person: 1 },
      ],
      true,
    )
  }, 60_000)

  it('when a visited person is removed a later visit in the village shows the progress 统计 shows (issue 11)', async () => {
    await runModel(
      lane,
      [
        { t: 'person', village: 0, category: 1, rural: false },
        { t: 'person', village: 0, category: 1, rural: false },
        { t: 'person', village: 0, category: 0, rural: false },
        { t: 'visit', person: 0, occasion: 0, back: 0, cash: 1, need: false },
        { t: 'remove', target: 0 },
        { t: 'visit', person: 1, occasion: 0, back: 0, cash: 1, need: false },
      ],
      true,
    )
  }, 60_000)
})
