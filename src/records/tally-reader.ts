import { addDays, type LocalDate } from '../time/local-date.js'
import { campaignEndedAt, type AsOf } from './due-set.js'
import { DueStore, type Counted } from './due-store.js'
import { RecordStore, type RecordStoreDeps } from './record-store.js'
import { READ_DAY_RECORDS, READ_HASHES_AS_JSON, runScript } from './scripts.js'
import {
  ACTIVITY_KINDS,
  CATEGORIES,
  CONSCRIPT_FAMILY,
  HOUSEHOLD_TYPES,
  SITE_KINDS,
  TOWNSHIP,
  allowanceStandardSchema,
  categoryCode,
  householdTypeCode,
  localDateSchema,
  standardFenFor,
  type ActivityKind,
  type AllowancePayment,
  type AllowanceStandard,
  type AnyRecord,
  type Category,
  type HouseholdType,
  type Occasion,
  type Person,
  type SiteKind,
  type Visit,
} from './schemas.js'
import { inTownshipOrder, readVillagesInOrder } from './village-order.js'
import { TallyFields } from './tally-fields.js'

/** Households of one village visited in a campaign, of those entitled. */
export interface VillageProgress {
  households: number
  entitled: number
}

/** Visit figures of one village (or of the total). Money in fen. */
export interface CampaignFigures {
  /** The campaign's due set: the roster now, or as it stood at the end of a closed campaign. */
  entitled: number
  /** Distinct households visited among the due (unit visits never count here). */
  households: number
  visits: number
  /** Of `visits`, those to units (garrisons, 武警中队, 消防大队). */
  unitVisits: number
  cashFen: number
  goodsLines: number
  /** Visits that found a need (help cases, 帮扶). */
  needs: number
  /** Of those, needs resolved (办结). */
  resolved: number
}

export interface CampaignTally {
  year: number
  occasion: Occasion
  total: CampaignFigures
  /** The requested villages (or every registered one, plus TOWNSHIP when it has visits). */
  byVillage: Record<string, CampaignFigures>
  byCategory: Record<Category, { entitled: number; households: number }>
  /** Goods handed over, summed by name and unit. */
  goods: { name: string; unit: string; quantity: number }[]
}

/** Allowance figures: families due (conscript families on the roster), paid, and the sum. */
export interface AllowanceFigures {
  due: number
  families: number
  payments: number
  sumFen: number
}

export interface AllowanceTally {
  year: number
  standard?: AllowanceStandard
  deadline?: LocalDate
  total: AllowanceFigures & { byHouseholdType: Record<HouseholdType, AllowanceFigures> }
  byVillage: Record<
    string,
    AllowanceFigures & { byHouseholdType: Record<HouseholdType, AllowanceFigures> }
  >
  /** Payments grouped by the standard they were paid against, highest standard first. */
  byStandard: { standardFen: number; payments: number; sumFen: number }[]
  /**
   * Families paid who are no longer due (removed from the roster since): their payments stay
   * in `payments` and `sumFen` but not in `families` (docs/figures.md).
   */
  paidOffRoster: number
  /** Each family's payments together against one standard (docs/figures.md). */
  variance: AllowanceVariance
}

/** A family paid less than its standard in the year: what it got and what it is owed. */
export interface UnderpaidFamily {
  personId: number
  village: string
  householdType: HouseholdType
  paidFen: number
  standardFen: number
}

/**
 * Why the sum is not 户数 × 标准, family by family: each family's payments of the year added up
 * and compared with one standard (the year's configured one for its household type, else the
 * highest its payments were made against), so a 补发 of 300 after 5,800 is one family paid 300
 * more, and 8,000 of 8,600 one family paid 600 less. Over- and underpayments are summed apart,
 * never netted.
 */
export interface AllowanceVariance {
  /** Payments beyond the first to a family that year (补发), whatever their amount. */
  repeats: number
  /** Families paid more than their standard, and by how much in all. */
  over: { families: number; fen: number }
  /** Families paid less than their standard, and how much they are owed in all. */
  under: { families: number; fen: number }
  /** The underpaid families, by village (the township's order) then record number. */
  underpaid: UnderpaidFamily[]
  /**
   * False when some payments are not in the per-family counters (stored before they existed,
   * until `npm run reconcile -- --fix`): `over` and `under` then leave those families out.
   */
  complete: boolean
}

export interface ActivityFigures {
  byKind: Record<ActivityKind, { activities: number; people: number }>
  /** 共建点 by site kind. */
  sitesByKind: Record<SiteKind, number>
}

export interface ActivityTally {
  year: number
  total: ActivityFigures
  /** The requested villages (or every registered one, plus TOWNSHIP for township activities). */
  byVillage: Record<string, ActivityFigures>
}

export interface RosterCounts {
  total: number
  byCategory: Record<Category, number>
  byVillage: Record<
    string,
    {
      total: number
      byCategory: Record<Category, number>
      conscriptsByHouseholdType: Record<HouseholdType, number>
    }
  >
}

/** The records a run of days' day sets name (TallyReader.visitsDoneBetween). */
export interface DoneInDays<T> {
  /** Newest date first, then the newest record. */
  records: T[]
  /**
   * False until `npm run reconcile` found the day sets equal to the records (keys.dayIndexReady):
   * records stored before the sets existed are then missing from them.
   */
  indexReady: boolean
}

/** The longest run of days read from the day sets at once: a month. */
export const MAX_DAYS_READ = 31

/** Visits read per page when walking a campaign's list back from its newest entry. */
const LOGGED_PAGE = 20

function zeros<K extends string, V>(names: readonly K[], make: () => V): Record<K, V> {
  return Object.fromEntries(names.map((n) => [n, make()])) as Record<K, V>
}

/** A campaign's figures before anything is counted. */
export const emptyCampaign = (): CampaignFigures => ({
  entitled: 0,
  households: 0,
  visits: 0,
  unitVisits: 0,
  cashFen: 0,
  goodsLines: 0,
  needs: 0,
  resolved: 0,
})
const emptyAllowance = (): AllowanceFigures => ({ due: 0, families: 0, payments: 0, sumFen: 0 })
const emptyActivity = (): ActivityFigures => ({
  byKind: zeros(ACTIVITY_KINDS, () => ({ activities: 0, people: 0 })),
  sitesByKind: zeros(SITE_KINDS, () => 0),
})

/** Counter hash entries as `[parts of the field, value]`. */
type CounterEntry = [string[], number]

/** The `h|<village>|<name>` counters of `entries` as Counted, `code` giving a name's code. */
function distinctCounts(entries: CounterEntry[], code: (name: string) => number): Counted {
  const out: Counted = new Map()
  for (const [[type, village, name], n] of entries) {
    if (type === 'h' && village && name) out.set(`${village}|${code(name)}`, n)
  }
  return out
}

/** One family's payments of a year, from the `p|…` counters. */
interface FamilyPaid {
  village: string
  personId: number
  householdType: HouseholdType
  paidFen: number
  /** The highest standard one of its payments was made against. */
  highestFen: number
}

/** AllowanceVariance of the families paid (in `scope`'s order), each against one standard. */
function familyVariance(
  families: Map<string, FamilyPaid>,
  standard: AllowanceStandard | undefined,
  scope: readonly string[],
  totals: { repeats: number; sumFen: number },
): AllowanceVariance {
  const over = { families: 0, fen: 0 }
  const under = { families: 0, fen: 0 }
  const underpaid: UnderpaidFamily[] = []
  let counted = 0
  for (const f of families.values()) {
    counted += f.paidFen
    const standardFen = standard ? standardFenFor(standard, f.householdType) : f.highestFen
    const { village, personId, householdType, paidFen } = f
    if (paidFen > standardFen) {
      over.families++
      over.fen += paidFen - standardFen
    } else if (paidFen < standardFen) {
      under.families++
      under.fen += standardFen - paidFen
      underpaid.push({ personId, village, householdType, paidFen, standardFen })
    }
  }
  const order = new Map(scope.map((v, i) => [v, i]))
  underpaid.sort(
    (a, b) => (order.get(a.village) ?? 0) - (order.get(b.village) ?? 0) || a.personId - b.personId,
  )
  return { repeats: totals.repeats, over, under, underpaid, complete: counted === totals.sumFen }
}

/**
 * The figures leaders ask for (issue 4), read from the pre-aggregated counters the writes
 * maintain: each tally is one pipelined round trip whatever the number of records. Lists of
 * the unvisited and unpaid walk only the roster of the villages asked about.
 */
export class TallyReader {
  private readonly records: RecordStore
  private readonly due: DueStore

  constructor(private readonly deps: RecordStoreDeps) {
    this.records = new RecordStore(deps)
    this.due = new DueStore(deps)
  }

  /**
   * The villages a tally covers: `villages` as given, else every registered village plus any
   * other bucket with counts (TOWNSHIP), in the township's order with TOWNSHIP last.
   */
  private scope(
    villages: readonly string[] | undefined,
    registered: string[],
    counted: Iterable<string>,
  ): string[] {
    if (villages) return [...villages]
    const all = new Set([...registered, ...counted])
    all.delete(TOWNSHIP)
    const sorted = inTownshipOrder(all, registered)
    return new Set(counted).has(TOWNSHIP) ? [...sorted, TOWNSHIP] : sorted
  }

  /**
   * Counter hashes as `[field parts, value]` entries, in one round trip (READ_HASHES_AS_JSON);
   * straight from the flat reply, since building an object of hundreds of odd keys is slow.
   */
  private async readHashes(hashKeys: string[]): Promise<CounterEntry[][]> {
    const replies = (await runScript(
      this.deps.redis,
      READ_HASHES_AS_JSON,
      hashKeys,
      [],
    )) as string[]
    return replies.map((json) => {
      const flat = JSON.parse(json) as string[]
      const out: CounterEntry[] = []
      for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!.split('|'), Number(flat[i + 1])])
      return out
    })
  }

  /**
   * One village's campaign progress (households visited of those due), for the reply to a
   * visit: the campaign's due set as 统计 counts it (campaignFigures), so a person removed from
   * the roster leaves both numbers, and an ended campaign is read against its frozen due set.
   * One round trip (three reads sent together) for an open campaign.
   */
  async readVillageProgress(
    year: number,
    occasion: Occasion,
    village: string,
    asOf?: AsOf,
  ): Promise<VillageProgress> {
    const { redis, keys } = this.deps
    const households = redis.hmget(
      keys.campaignTally(year, occasion),
      ...CATEGORIES.map((c) => TallyFields.campaign.households(village, c)),
    )
    const due = await this.due.campaignFigures(year, occasion, [village], asOf, async () => {
      const values = await households
      return new Map(CATEGORIES.map((_, code) => [`${village}|${code}`, Number(values[code] ?? 0)]))
    })
    // An ended campaign's frozen read never calls `counted`; its read must not dangle.
    await households
    const sum = (counts: number[] | undefined) => (counts ?? []).reduce((a, b) => a + b, 0)
    return { households: sum(due.members[0]), entitled: sum(due.entitled[0]) }
  }

  /**
   * One village's allowance progress (families paid of those due), for the reply to a payment:
   * counted as 统计 优待金 counts it, so a family removed from the roster after being paid
   * leaves both numbers. One round trip (three reads sent together).
   */
  async readVillageAllowance(
    year: number,
    village: string,
  ): Promise<{ families: number; due: number }> {
    const { redis, keys } = this.deps
    const paidCounters = redis.hmget(
      keys.allowanceTally(year),
      ...HOUSEHOLD_TYPES.map((t) => TallyFields.allowance.families(village, t)),
    )
    const [due, paid] = await Promise.all([
      redis.hget(keys.rosterTally(), TallyFields.roster.villageCategory(village, CONSCRIPT_FAMILY)),
      this.due.dueMembers(
        undefined,
        [village],
        (v) => keys.allowancePaid(year, v),
        HOUSEHOLD_TYPES.length,
        async () => {
          const values = await paidCounters
          return new Map(
            HOUSEHOLD_TYPES.map((_, code) => [`${village}|${code}`, Number(values[code] ?? 0)]),
          )
        },
      ),
    ])
    await paidCounters
    const families = (paid?.[0] ?? []).reduce((a, b) => a + b, 0)
    return { families, due: Number(due ?? 0) }
  }

  /**
   * Visits of campaign `year` + `occasion` (e.g. 2027 八一), by village and category. Due and
   * visited households come from one due set (campaignDueFigures): with `asOf` past the
   * campaign's end, the roster as it stood then. Visits, cash and goods count every visit.
   */
  async readCampaignTally(
    year: number,
    occasion: Occasion,
    villages?: readonly string[],
    asOf?: AsOf,
  ): Promise<CampaignTally> {
    const { redis, keys } = this.deps
    const registered = villages ? [] : await readVillagesInOrder(redis, keys)
    const dueScope = villages ?? registered
    const read = this.readHashes([keys.campaignTally(year, occasion)])
    const [[parsed = []], due] = await Promise.all([
      read,
      this.due.campaignFigures(year, occasion, dueScope, asOf, async () =>
        distinctCounts((await read)[0] ?? [], categoryCode as (name: string) => number),
      ),
    ])
    const scope = this.scope(
      villages,
      registered,
      parsed.map(([p]) => p[1]!),
    )
    const inScope = new Set(scope)
    const byVillage: Record<string, CampaignFigures> = Object.fromEntries(
      scope.map((v) => [v, emptyCampaign()]),
    )
    const byCategory = zeros(CATEGORIES, () => ({ entitled: 0, households: 0 }))
    const goods = new Map<string, { name: string; unit: string; quantity: number }>()

    for (const [[type, village, a, b], n] of parsed) {
      if (!village || !inScope.has(village)) continue
      const v = byVillage[village]!
      if (type === 'n') v.visits += n
      else if (type === 'u') v.unitVisits += n
      else if (type === 'f') v.cashFen += n
      else if (type === 'g') v.goodsLines += n
      else if (type === 'x') v.needs += n
      else if (type === 'r') v.resolved += n
      else if (type === 'q') {
        const g = goods.get(`${a}|${b}`) ?? { name: a!, unit: b!, quantity: 0 }
        g.quantity += n
        goods.set(`${a}|${b}`, g)
      }
    }
    dueScope.forEach((village, i) => {
      const v = byVillage[village]
      if (!v) return
      CATEGORIES.forEach((c, code) => {
        const entitled = due.entitled[i]![code]!
        const households = due.members[i]![code]!
        v.entitled += entitled
        v.households += households
        byCategory[c].entitled += entitled
        byCategory[c].households += households
      })
    })
    const total = emptyCampaign()
    for (const v of Object.values(byVillage)) {
      for (const k of Object.keys(total) as (keyof CampaignFigures)[]) total[k] += v[k]
    }
    return { year, occasion, total, byVillage, byCategory, goods: [...goods.values()] }
  }

  /**
   * The allowance of `year`: families due and paid, rural/urban, by village and standard. Once
   * the year is over (per `asOf`), due is its frozen set (DueStore.allowanceDue): the roster as
   * it stood on 12-31, however it changed since.
   */
  async readAllowanceTally(
    year: number,
    villages?: readonly string[],
    asOf?: AsOf,
  ): Promise<AllowanceTally> {
    const { redis, keys } = this.deps
    const [registered, frozen] = await Promise.all([
      villages ? [] : readVillagesInOrder(redis, keys),
      this.due.allowanceDue(year, asOf),
    ])
    const dueScope = villages ?? registered
    // Families paid are counted among the families due, as households visited are.
    const read = this.readHashes([keys.allowanceTally(year), frozen ?? keys.rosterTally()])
    const [[parsed = [], roster = []], config, paid] = await Promise.all([
      read,
      redis.hmget(
        keys.allowanceConfig(),
        TallyFields.allowanceConfig.standard(year),
        TallyFields.allowanceConfig.deadline(year),
      ),
      this.due.dueMembers(
        frozen,
        dueScope,
        (v) => keys.allowancePaid(year, v),
        HOUSEHOLD_TYPES.length,
        async () =>
          distinctCounts((await read)[0] ?? [], householdTypeCode as (name: string) => number),
      ),
    ])
    const scope = this.scope(
      villages,
      registered,
      parsed.map(([p]) => p[1]!),
    )
    const inScope = new Set(scope)
    const make = () =>
      Object.assign({}, emptyAllowance(), {
        byHouseholdType: zeros(HOUSEHOLD_TYPES, emptyAllowance),
      })
    const byVillage = Object.fromEntries(scope.map((v) => [v, make()]))
    const byStandard = new Map<number, { standardFen: number; payments: number; sumFen: number }>()
    // Village|person → what the family was paid, its household type, its highest standard.
    const families = new Map<string, FamilyPaid>()
    let paidEver = 0

    for (const [[type, village, detail, person, standardText], n] of parsed) {
      if (!village || !inScope.has(village)) continue
      const v = byVillage[village]!
      if (type === 'p') {
        const key = `${village}|${person}`
        const f = families.get(key) ?? {
          village,
          personId: Number(person),
          householdType: detail as HouseholdType,
          paidFen: 0,
          highestFen: 0,
        }
        f.paidFen += n
        f.highestFen = Math.max(f.highestFen, Number(standardText))
        families.set(key, f)
        continue
      }
      if (type === 'sn' || type === 'sf') {
        const fen = Number(detail)
        const s = byStandard.get(fen) ?? { standardFen: fen, payments: 0, sumFen: 0 }
        if (type === 'sn') s.payments += n
        else s.sumFen += n
        byStandard.set(fen, s)
        continue
      }
      if (type === 'h') paidEver += n
      const t = v.byHouseholdType[detail as HouseholdType]
      const figure = type === 'n' ? 'payments' : type === 'f' ? 'sumFen' : undefined
      if (!t || !figure) continue
      t[figure] += n
      v[figure] += n
    }
    dueScope.forEach((village, i) => {
      const v = byVillage[village]
      if (!v) return
      HOUSEHOLD_TYPES.forEach((t, code) => {
        const families = paid![i]![code]!
        v.families += families
        v.byHouseholdType[t].families += families
      })
    })
    for (const [[type, village, detail], n] of roster) {
      if (!village || !inScope.has(village)) continue
      const v = byVillage[village]!
      if (type === 'vc' && detail === CONSCRIPT_FAMILY) v.due += n
      if (type === 'vh') v.byHouseholdType[detail as HouseholdType].due += n
    }
    const total = make()
    for (const v of Object.values(byVillage)) {
      for (const k of Object.keys(emptyAllowance()) as (keyof AllowanceFigures)[]) {
        total[k] += v[k]
        for (const t of HOUSEHOLD_TYPES) total.byHouseholdType[t][k] += v.byHouseholdType[t][k]
      }
    }
    const [standardJson, deadline] = config
    const standard =
      standardJson != null ? allowanceStandardSchema.parse(JSON.parse(standardJson)) : undefined
    const paidOffRoster = Math.max(0, paidEver - total.families)
    return {
      year,
      ...(standard && { standard }),
      ...(deadline != null && { deadline: localDateSchema.parse(deadline) }),
      total,
      byVillage,
      byStandard: [...byStandard.values()].sort((a, b) => b.standardFen - a.standardFen),
      paidOffRoster,
      variance: familyVariance(families, standard, scope, {
        // Families removed from the roster since keep their payments: not repeats.
        repeats: Math.max(0, total.payments - (total.families + paidOffRoster)),
        sumFen: total.sumFen,
      }),
    }
  }

  /** Activities of `year` by kind (people reached) and co-building sites by kind. */
  async readActivityTally(year: number, villages?: readonly string[]): Promise<ActivityTally> {
    const { redis, keys } = this.deps
    const [[parsed = []], registered] = await Promise.all([
      this.readHashes([keys.activityTally(year)]),
      villages ? Promise.resolve([]) : readVillagesInOrder(redis, keys),
    ])
    const scope = this.scope(
      villages,
      registered,
      parsed.map(([p]) => p[1]!),
    )
    const inScope = new Set(scope)
    const byVillage = Object.fromEntries(scope.map((v) => [v, emptyActivity()]))
    const total = emptyActivity()
    for (const [[type, village, detail], n] of parsed) {
      if (!village || !inScope.has(village)) continue
      for (const f of [byVillage[village]!, total]) {
        if (type === 'n') f.byKind[detail as ActivityKind].activities += n
        else if (type === 'p') f.byKind[detail as ActivityKind].people += n
        else if (type === 's') f.sitesByKind[detail as SiteKind] += n
      }
    }
    return { year, total, byVillage }
  }

  /** People on the roster by village and category, and conscript families by household type. */
  async readRosterCounts(villages?: readonly string[]): Promise<RosterCounts> {
    const { redis, keys } = this.deps
    const [[parsed = []], registered] = await Promise.all([
      this.readHashes([keys.rosterTally()]),
      villages ? Promise.resolve([]) : readVillagesInOrder(redis, keys),
    ])
    const scope = this.scope(villages, registered, [])
    const inScope = new Set(scope)
    const byVillage: RosterCounts['byVillage'] = Object.fromEntries(
      scope.map((v) => [
        v,
        {
          total: 0,
          byCategory: zeros(CATEGORIES, () => 0),
          conscriptsByHouseholdType: zeros(HOUSEHOLD_TYPES, () => 0),
        },
      ]),
    )
    const byCategory = zeros(CATEGORIES, () => 0)
    let total = 0
    for (const [[type, village, detail], n] of parsed) {
      if (!village || !inScope.has(village)) continue
      const v = byVillage[village]!
      if (type === 'v') {
        v.total += n
        total += n
      } else if (type === 'vc') {
        v.byCategory[detail as Category] += n
        byCategory[detail as Category] += n
      } else if (type === 'vh') v.conscriptsByHouseholdType[detail as HouseholdType] += n
    }
    return { total, byCategory, byVillage }
  }

  /**
   * People on the roster of `villages` (default all) not yet visited in the campaign, by
   * village then record number: the roster minus the campaign's visited households.
   */
  async unvisitedPeople(
    year: number,
    occasion: Occasion,
    villages?: readonly string[],
    asOf?: AsOf,
  ): Promise<Person[]> {
    const { keys } = this.deps
    const visited = (v: string) => keys.campaignVisited(year, occasion, v)
    const endedAt = asOf && campaignEndedAt(year, occasion, asOf)
    if (!endedAt) return this.rosterMinus(villages, visited)
    // Ended: the due set as it stood at the end, people removed since included.
    const byVillage = await this.due.frozenPeople(year, occasion, endedAt)
    if (!byVillage) return this.rosterMinus(villages, visited)
    const scope =
      villages ??
      inTownshipOrder(byVillage.keys(), await readVillagesInOrder(this.deps.redis, keys))
    return this.dueMinus(
      scope,
      scope.map((v) => byVillage.get(v) ?? []),
      visited,
      () => true,
    )
  }

  /**
   * The active visits logged at or after `since` (by `createdAt`, not the visit's date) in the
   * campaigns of `years`, in `villages` (every village and the township's own when undefined),
   * newest first. Each campaign's list is in write order, so it is walked back from its newest
   * entry a page at a time until a page holds nothing logged since then: the cost is the visits
   * logged since (plus one page per campaign), never the campaign's whole list. A visit moved
   * into a campaign by 修改 is appended to its list then, so a page of older visits moved there
   * after today's could end the walk early; 20 such moves in one day are not expected.
   */
  async visitsLoggedSince(
    since: Date,
    years: readonly number[],
    villages?: readonly string[],
  ): Promise<Visit[]> {
    const { redis, keys } = this.deps
    const campaigns = (await redis.smembers(keys.periods()))
      .map((p) => p.split('|'))
      .filter(([kind, year]) => kind === 'v' && years.includes(Number(year)))
      .map(([, year, occasion]) => ({ year: Number(year), occasion: occasion! }))
    const inScope = villages && new Set(villages)
    const found = new Map<number, Visit>()
    await Promise.all(
      campaigns.map(async ({ year, occasion }) => {
        const list = keys.campaignVisits(year, occasion)
        for (let end = -1; ; end -= LOGGED_PAGE) {
          const ids = await redis.lrange(list, end - LOGGED_PAGE + 1, end)
          const records = await this.records.getRecords(ids.map(Number))
          const recent = records.filter((r) => new Date(r.createdAt) >= since)
          for (const r of recent) {
            // Listed under every campaign it was ever in (lists only grow): count it in its own.
            if (r.kind !== 'visit' || r.status !== 'active') continue
            if (r.campaignYear !== year || r.occasion !== occasion) continue
            if (inScope && !inScope.has(r.village)) continue
            found.set(r.id, r)
          }
          if (recent.length === 0 || ids.length < LOGGED_PAGE) return
        }
      }),
    )
    return [...found.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
  }

  /**
   * The active visits done from `from` through `to` (their own `date`, not when they were
   * logged), in `villages` (every village and the township's units when undefined): the day
   * sets of those days (keys.visitsOnDate) and their records, one round trip. At most
   * MAX_DAYS_READ days; throws RangeError beyond.
   */
  async visitsDoneBetween(
    from: LocalDate,
    to: LocalDate,
    villages?: readonly string[],
  ): Promise<DoneInDays<Visit>> {
    const read = await this.readDays(from, to, (d) => this.deps.keys.visitsOnDate(d))
    const inScope = villages && new Set(villages)
    const records = read.records.filter(
      (r): r is Visit =>
        r.kind === 'visit' &&
        r.status === 'active' &&
        r.date >= from &&
        r.date <= to &&
        (!inScope || inScope.has(r.village)),
    )
    return { records: records.sort(newestDone), indexReady: read.indexReady }
  }

  /** As visitsDoneBetween, for the allowance payments made those days (keys.paymentsOnDate). */
  async paymentsDoneBetween(
    from: LocalDate,
    to: LocalDate,
    villages?: readonly string[],
  ): Promise<DoneInDays<AllowancePayment>> {
    const read = await this.readDays(from, to, (d) => this.deps.keys.paymentsOnDate(d))
    const inScope = villages && new Set(villages)
    const records = read.records.filter(
      (r): r is AllowancePayment =>
        r.kind === 'payment' &&
        r.status === 'active' &&
        r.date >= from &&
        r.date <= to &&
        (!inScope || inScope.has(r.village)),
    )
    return { records: records.sort(newestDone), indexReady: read.indexReady }
  }

  private async readDays(
    from: LocalDate,
    to: LocalDate,
    dayKey: (date: LocalDate) => string,
  ): Promise<DoneInDays<AnyRecord>> {
    const { redis, keys } = this.deps
    const days: string[] = []
    for (let d = from; d <= to; d = addDays(d, 1)) {
      if (days.length === MAX_DAYS_READ) {
        throw new RangeError(`at most ${MAX_DAYS_READ} days are read at once: ${from}..${to}`)
      }
      days.push(dayKey(d))
    }
    if (days.length === 0) return { records: [], indexReady: true }
    const [ready, flat] = (await runScript(
      redis,
      READ_DAY_RECORDS,
      [keys.records(), keys.dayIndexReady(), ...days],
      [],
    )) as [string | null, string[]]
    const seen = new Set<number>()
    const records: AnyRecord[] = []
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = Number(flat[i])
      if (seen.has(id)) continue
      seen.add(id)
      records.push(this.records.decode(id, flat[i + 1]!))
    }
    return { records, indexReady: ready !== null && ready !== undefined }
  }

  /**
   * The active allowance payments logged at or after `since` (by `createdAt`) toward the years
   * of `years`, in `villages` (every village when undefined), newest first. As visitsLoggedSince:
   * each year's list is walked back from its newest entry a page at a time until a page holds
   * nothing logged since then, so the cost is the payments logged since plus a page a year.
   */
  async paymentsLoggedSince(
    since: Date,
    years: readonly number[],
    villages?: readonly string[],
  ): Promise<AllowancePayment[]> {
    const { redis, keys } = this.deps
    const inScope = villages && new Set(villages)
    const found = new Map<number, AllowancePayment>()
    await Promise.all(
      years.map(async (year) => {
        const list = keys.yearPayments(year)
        for (let end = -1; ; end -= LOGGED_PAGE) {
          const ids = await redis.lrange(list, end - LOGGED_PAGE + 1, end)
          const records = await this.records.getRecords(ids.map(Number))
          const recent = records.filter((r) => new Date(r.createdAt) >= since)
          for (const r of recent) {
            if (r.kind !== 'payment' || r.status !== 'active' || r.year !== year) continue
            if (inScope && !inScope.has(r.village)) continue
            found.set(r.id, r)
          }
          if (recent.length === 0 || ids.length < LOGGED_PAGE) return
        }
      }),
    )
    return [...found.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
  }

  /**
   * The active visits of one campaign dated before `before`, in `villages` (every village and
   * the township's own when undefined): how many and their cash, in fen. No counter splits a
   * campaign by date, so this walks the campaign's whole list (its visits, PAGE_SIZE a time):
   * for the visits of next year's 元旦 or 春节 made in a past December (docs/figures.md).
   */
  async campaignVisitsBefore(
    year: number,
    occasion: Occasion,
    before: LocalDate,
    villages?: readonly string[],
  ): Promise<{ visits: number; cashFen: number }> {
    const inScope = villages && new Set(villages)
    const seen = new Set<number>()
    const out = { visits: 0, cashFen: 0 }
    for await (const v of this.records.walkList(
      this.deps.keys.campaignVisits(year, occasion),
      'visit',
    )) {
      // Listed under every campaign it was ever in (lists only grow): count it in its own, once.
      if (seen.has(v.id) || v.campaignYear !== year || v.occasion !== occasion) continue
      seen.add(v.id)
      if (v.date >= before || (inScope && !inScope.has(v.village))) continue
      out.visits += 1
      out.cashFen += v.cashFen
    }
    return out
  }

  /**
   * Conscript families (义务兵家庭) of `villages` (default all) with no active payment in `year`:
   * of the roster, or once the year is over (per `asOf`) of its frozen due set, families removed
   * since included (they were owed that year).
   */
  async unpaidFamilies(year: number, villages?: readonly string[], asOf?: AsOf): Promise<Person[]> {
    const { redis, keys } = this.deps
    const paid = (v: string) => keys.allowancePaid(year, v)
    const frozen = await this.due.allowanceDue(year, asOf)
    if (!frozen) {
      const people = await this.rosterMinus(villages, paid)
      return people.filter((p) => p.category === CONSCRIPT_FAMILY)
    }
    const byVillage = await this.due.frozenFamilies(frozen)
    const scope =
      villages ?? inTownshipOrder(byVillage.keys(), await readVillagesInOrder(redis, keys))
    return this.dueMinus(
      scope,
      scope.map((v) => byVillage.get(v) ?? []),
      paid,
      () => true,
    )
  }

  private async rosterMinus(
    villages: readonly string[] | undefined,
    membershipKey: (village: string) => string,
  ): Promise<Person[]> {
    const { redis, keys } = this.deps
    const scope = villages ?? (await readVillagesInOrder(redis, keys))
    const rosters = await Promise.all(scope.map((v) => redis.smembers(keys.roster(v))))
    return this.dueMinus(
      scope,
      rosters.map((r) => r.map(Number)),
      membershipKey,
      (p) => p.status === 'active',
    )
  }

  /** The people of `due` (ids per village of `scope`) not in the village's membership hash. */
  private async dueMinus(
    scope: readonly string[],
    due: readonly number[][],
    membershipKey: (village: string) => string,
    keep: (p: Person) => boolean,
  ): Promise<Person[]> {
    const { redis } = this.deps
    const members = await Promise.all(scope.map((v) => redis.hkeys(membershipKey(v))))
    const ids: number[] = []
    scope.forEach((_, i) => {
      const done = new Set(members[i]!.map(TallyFields.memberPersonId))
      for (const id of [...due[i]!].sort((a, b) => a - b)) {
        if (!done.has(id)) ids.push(id)
      }
    })
    const people = await this.records.getRecords(ids)
    return people.filter((p): p is Person => p.kind === 'person' && keep(p))
  }
}

/** Newest date first, then the newest record: how a run of days lists what was done. */
export function newestDone(a: Visit | AllowancePayment, b: Visit | AllowancePayment): number {
  return b.date.localeCompare(a.date) || b.id - a.id
}
