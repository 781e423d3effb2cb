import { RecordStore, type RecordStoreDeps } from './record-store.js'
import {
  CATEGORIES,
  CONSCRIPT_FAMILY,
  categoryCode,
  householdTypeCode,
  type Occasion,
  type Person,
} from './schemas.js'
import { runScript } from './scripts.js'
import {
  COUNT_DUE_MEMBERS,
  WRITE_DUE_SNAPSHOT,
  allowanceEndedAt,
  campaignEndedAt,
  dueAtEnd,
  rosterInUseAt,
  type AsOf,
} from './due-set.js'
import { TallyFields } from './tally-fields.js'

/** The write path's distinct households (or families), `<village>|<code>` → count. */
export type Counted = Map<string, number>

/**
 * What one frozen due set holds and where: a campaign's people by category, or an allowance
 * year's conscript families by household type. Each due person is `p|<village>|<id>` → code,
 * and counted under `fields`, the roster tally's own field names, so a reader reads a snapshot
 * as it reads the roster.
 */
interface DueSnapshot {
  key: string
  endedAt: Date
  admits(person: Person): boolean
  /** The person's code among the membership's codes; undefined when they have none. */
  code(person: Person): number | undefined
  fields(person: Person): string[]
}

const campaignSnapshot = (key: string, endedAt: Date): DueSnapshot => ({
  key,
  endedAt,
  admits: () => true,
  code: (p) => categoryCode(p.category),
  fields: (p) => [TallyFields.roster.villageCategory(p.village, p.category)],
})

// An untyped family is due (应发) but cannot be paid until its 户口 is known: counted in 应发,
// with no code, so no payment is ever counted against it.
const allowanceSnapshot = (key: string, endedAt: Date): DueSnapshot => ({
  key,
  endedAt,
  admits: (p) => p.category === CONSCRIPT_FAMILY,
  code: (p) => (p.householdType ? householdTypeCode(p.householdType) : undefined),
  fields: (p) => [
    TallyFields.roster.villageCategory(p.village, p.category),
    ...(p.householdType ? [TallyFields.roster.conscripts(p.village, p.householdType)] : []),
  ],
})

/**
 * Reads and freezes campaigns' due sets (docs/figures.md): who should be visited, and of
 * them who was, per village and category, for TallyReader's tallies and lists.
 */
export class DueStore {
  private readonly records: RecordStore

  constructor(private readonly deps: RecordStoreDeps) {
    this.records = new RecordStore(deps)
  }

  /**
   * The one due set of a campaign, as counts per village (in `villages`' order) × category:
   * people due, and of those the households visited. Open campaign: the roster now. Ended
   * campaign (per `asOf`): its frozen snapshot, written by the first read after the end.
   */
  async campaignFigures(
    year: number,
    occasion: Occasion,
    villages: readonly string[],
    asOf: AsOf | undefined,
    counted: () => Promise<Counted>,
  ): Promise<{ entitled: number[][]; members: number[][] }> {
    const { keys } = this.deps
    let endedAt = asOf && campaignEndedAt(year, occasion, asOf)
    const membership = (v: string) => keys.campaignVisited(year, occasion, v)
    for (let attempt = 0; ; attempt++) {
      const snapshot = endedAt ? keys.campaignDue(year, occasion) : undefined
      const [entitled, members] = await Promise.all([
        this.readVillageCategoryCounts(snapshot ?? keys.rosterTally(), villages),
        this.dueMembers(snapshot, villages, membership, CATEGORIES.length, counted),
      ])
      if (members) return { entitled, members }
      if (attempt > 0) throw new Error(`the due set of ${year} ${occasion} was not written`)
      // Not frozen yet: freeze it now, or read the live roster while there is nobody to freeze.
      const due = campaignSnapshot(keys.campaignDue(year, occasion), endedAt!)
      if (!(await this.writeSnapshot(due))) endedAt = undefined
    }
  }

  /** `vc|<village>|<category>` of `key` (roster tally or a due snapshot), village × category. */
  private async readVillageCategoryCounts(
    key: string,
    villages: readonly string[],
  ): Promise<number[][]> {
    if (villages.length === 0) return []
    const fields = villages.flatMap((v) =>
      CATEGORIES.map((c) => TallyFields.roster.villageCategory(v, c)),
    )
    const values = await this.deps.redis.hmget(key, ...fields)
    return villages.map((_, i) =>
      CATEGORIES.map((_, c) => Number(values[i * CATEGORIES.length + c] ?? 0)),
    )
  }

  /**
   * Members of each village's membership hash who are due, by code: from a frozen `snapshot`,
   * or the write path's distinct counts (`counted`) less the people removed since
   * (COUNT_DUE_MEMBERS). Undefined when `snapshot` names a due set not written yet.
   */
  async dueMembers(
    snapshot: string | undefined,
    villages: readonly string[],
    membership: (village: string) => string,
    codes: number,
    counted: () => Promise<Counted>,
  ): Promise<number[][] | undefined> {
    if (villages.length === 0) return []
    const { redis, keys } = this.deps
    const reply = await runScript(
      redis,
      COUNT_DUE_MEMBERS,
      [
        snapshot ?? keys.rosterTally(),
        ...villages.flatMap((v) => [keys.removedPeople(v), membership(v)]),
      ],
      [snapshot ? 'snapshot' : 'removed', codes, ...villages],
    )
    if (reply === -1) return undefined
    const parsed = JSON.parse(reply as string) as unknown
    const counts = Array.isArray(parsed) ? (parsed as number[][]) : []
    if (snapshot) return counts
    const distinct = await counted()
    return villages.map((v, i) =>
      Array.from({ length: codes }, (_, c) => (distinct.get(`${v}|${c}`) ?? 0) - counts[i]![c]!),
    )
  }

  /**
   * The frozen due set of the allowance of `year` once the year is over (per `asOf`), written
   * by this first read after its end: the conscript families on the roster as it stood on
   * 12-31, whatever leaves or joins it later, so last year's 应发 and 已发 (a 述职报告's
   * figures) no longer move (a tester's 2026 went from 10/8 to 9/7 when a paid family was
   * removed in January). Undefined while the year runs, or with nobody to freeze: the live
   * roster is read then.
   */
  async allowanceDue(year: number, asOf: AsOf | undefined): Promise<string | undefined> {
    const endedAt = asOf && allowanceEndedAt(year, asOf)
    if (!endedAt) return undefined
    const key = this.deps.keys.allowanceDue(year)
    if ((await this.deps.redis.exists(key)) === 1) return key
    return (await this.writeSnapshot(allowanceSnapshot(key, endedAt))) ? key : undefined
  }

  /**
   * Freezes a due set (a campaign's, or an allowance year's) that ended at `due.endedAt`: the
   * roster as it stood then (dueAtEnd), from the roster and removed sets of every village, so
   * what is frozen does not depend on the day of the first read.
   * Idempotent: the first writer wins, and a later one changes nothing. An empty roster is not
   * frozen (a new install has not entered it yet): false, and the live roster is read.
   */
  private async writeSnapshot(due: DueSnapshot): Promise<boolean> {
    const { redis, keys } = this.deps
    const { endedAt } = due
    const villages = await redis.smembers(keys.villages())
    const sets = await Promise.all(
      villages.flatMap((v) => [
        redis.smembers(keys.roster(v)),
        redis.smembers(keys.removedPeople(v)),
      ]),
    )
    const ids = [...new Set(sets.flat().map(Number))].sort((a, b) => a - b)
    const entered = (await this.records.getRecords(ids)).filter(
      (r): r is Person => r.kind === 'person',
    )
    const inUse = rosterInUseAt(entered, endedAt)
    const people = entered.filter((p) => dueAtEnd(p, endedAt, inUse) && due.admits(p))
    const counts = new Map<string, number>()
    const flat: string[] = ['at', endedAt.toISOString()]
    for (const p of people) {
      for (const field of due.fields(p)) counts.set(field, (counts.get(field) ?? 0) + 1)
      const code = due.code(p)
      flat.push(`p|${p.village}|${p.id}`, code === undefined ? '-' : String(code))
    }
    if (entered.length === 0) return false
    for (const [field, n] of counts) flat.push(field, String(n))
    await runScript(redis, WRITE_DUE_SNAPSHOT, [due.key], flat)
    return true
  }

  /**
   * The frozen due set of a campaign that ended at `endedAt`, person ids by village, writing
   * it first when this is the first read after the end; undefined while there is nobody to
   * freeze (the live roster is the due set then).
   */
  async frozenPeople(
    year: number,
    occasion: Occasion,
    endedAt: Date,
  ): Promise<Map<string, number[]> | undefined> {
    const key = this.deps.keys.campaignDue(year, occasion)
    let frozen = await this.deps.redis.hkeys(key)
    if (frozen.length === 0) {
      if (!(await this.writeSnapshot(campaignSnapshot(key, endedAt)))) return undefined
      frozen = await this.deps.redis.hkeys(key)
    }
    return peopleOf(frozen)
  }

  /** The families of a frozen allowance due set (allowanceDue's key), person ids by village. */
  async frozenFamilies(key: string): Promise<Map<string, number[]>> {
    return peopleOf(await this.deps.redis.hkeys(key))
  }
}

/** The `p|<village>|<id>` fields of a frozen due set, as person ids by village. */
function peopleOf(frozen: readonly string[]): Map<string, number[]> {
  const byVillage = new Map<string, number[]>()
  for (const field of frozen) {
    const [type, village, id] = field.split('|')
    if (type !== 'p' || !village) continue
    byVillage.set(village, [...(byVillage.get(village) ?? []), Number(id)])
  }
  return byVillage
}
