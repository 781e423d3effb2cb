import { activityDayField } from './activity-title.js'
import { AuditLog } from './audit-log.js'
import { AUTHOR_INDEX_LENGTH, type RecordDeps } from './record-writer.js'
import {
  CATEGORIES,
  CONSCRIPT_FAMILY,
  HOUSEHOLD_TYPES,
  TOWNSHIP,
  type AnyRecord,
} from './schemas.js'
import { REPLACE_COUNTERS, runScript } from './scripts.js'
import { parseStored, secretsOf, toRecord, type PersonSecrets } from './stored-record.js'
import { TallyFields as F } from './tally-fields.js'

/** One counter (or index member) whose stored value differs from the recount. */
export interface Drift {
  key: string
  /** Hash field, or set member for a roster set. */
  field: string
  stored: number
  expected: number
}

export interface RecountReport {
  /** Records read (every kind, withdrawn ones included). */
  records: number
  /** Counter hashes and roster sets compared. */
  checkedKeys: number
  drift: Drift[]
  /** True when `fix` rewrote the drifted keys. */
  fixed: boolean
}

export interface RecountOptions {
  /**
   * Rewrite drifted keys with the recounted values, atomically and only if no write
   * happened since the recount began (else the recount starts over).
   * @defaultValue false
   */
  fix?: boolean
}

/** A list is compared position by position: field = position, value = the record id there. */
type Kind = 'hash' | 'set' | 'list'
type Memberships = Map<string, { counterKey: string; counterField: (code: number) => string }>
interface Expected {
  kind: Kind
  /** Hash: field → value (never 0). Set: member → 1. List: position → id, in order. */
  values: Map<string, number>
}

const HSCAN_COUNT = 500
const MAX_ATTEMPTS = 5

/**
 * The slow path behind `npm run reconcile` (issue 4): recount every counter from the records
 * themselves and compare. The recount is written independently of record-effects.ts, so a
 * bug in how writes maintain counters shows up as drift instead of being repeated here.
 */
export class Reconciler {
  private readonly audit: AuditLog

  constructor(private readonly deps: RecordDeps) {
    this.audit = new AuditLog(deps)
  }

  /**
   * Recounts every counter, distinct-household hash and roster set from the records and
   * reports what differs. Cost grows with the number of records. With `fix`, rewrites them.
   * Retries when writes land during the recount, so reported drift is never a race.
   */
  async recountFromRecords(options: RecountOptions = {}): Promise<RecountReport> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const clock = await this.audit.lastEntryId()
      const { expected, records } = await this.recount()
      const keys = await this.keysToCheck(expected)
      const stored = await this.readStored(keys, expected)
      if ((await this.audit.lastEntryId()) !== clock) continue
      const drift = compare(keys, expected, stored)
      if (!options.fix || drift.length === 0) {
        if (!drift.some((d) => this.isDaySet(d.key))) await this.markDaySetsReady(clock)
        return { records, checkedKeys: keys.length, drift, fixed: false }
      }
      const drifted = [...new Set(drift.map((d) => d.key))]
      if (await this.replace(clock, drifted, expected)) {
        await this.markDaySetsReady(clock)
        return { records, checkedKeys: keys.length, drift, fixed: true }
      }
    }
    throw new Error(`the store kept changing during ${MAX_ATTEMPTS} recounts; retry when quiet`)
  }

  private async recount(): Promise<{ expected: Map<string, Expected>; records: number }> {
    const { redis, keys } = this.deps
    const expected = new Map<string, Expected>()
    const add = (kind: Kind, key: string, field: string, n: number) => {
      if (n === 0) return
      let e = expected.get(key)
      if (!e) expected.set(key, (e = { kind, values: new Map() }))
      e.values.set(field, (e.values.get(field) ?? 0) + n)
    }
    // Membership hash → the counter its distinct members feed, as met while counting.
    const memberships: Memberships = new Map()
    // Author → ids of every record they created (withdrawn ones too), for their capped list.
    const byAuthor = new Map<string, number[]>()
    let records = 0
    let cursor = '0'
    do {
      const [next, flat] = await redis.hscan(keys.records(), cursor, 'COUNT', HSCAN_COUNT)
      cursor = next
      for (let i = 0; i + 1 < flat.length; i += 2) {
        records++
        const stored = parseStored(flat[i + 1]!)
        const record = toRecord(Number(flat[i]), stored)
        const secrets = stored.k === 'p' ? secretsOf(stored) : {}
        const authored = byAuthor.get(record.createdBy)
        if (authored) authored.push(record.id)
        else byAuthor.set(record.createdBy, [record.id])
        if (record.status === 'active') this.count(record, secrets, add, memberships)
        else if (record.kind === 'person') {
          add('set', keys.removedPeople(record.village), String(record.id), 1)
        }
      }
    } while (cursor !== '0')

    // Distinct households and families: one per field of each membership hash.
    for (const [key, owner] of memberships) {
      for (const field of expected.get(key)?.values.keys() ?? []) {
        const code = Number(field.slice(field.indexOf('.') + 1))
        add('hash', owner.counterKey, owner.counterField(code), 1)
      }
    }
    // Each author's list holds their newest records, oldest first, as the write script keeps it.
    for (const [author, ids] of byAuthor) {
      const kept = ids.sort((a, b) => a - b).slice(-AUTHOR_INDEX_LENGTH)
      kept.forEach((id, position) => add('list', keys.recordsBy(author), String(position), id))
    }
    return { expected, records }
  }

  /** Adds what one active record contributes (the plain-language rules of the tallies). */
  private count(
    r: AnyRecord,
    secrets: PersonSecrets,
    add: (kind: Kind, key: string, field: string, n: number) => void,
    memberships: Memberships,
  ) {
    const { keys } = this.deps
    switch (r.kind) {
      case 'person': {
        const roster = keys.rosterTally()
        add('set', keys.roster(r.village), String(r.id), 1)
        add('hash', roster, F.roster.village(r.village), 1)
        add('hash', roster, F.roster.category(r.category), 1)
        add('hash', roster, F.roster.villageCategory(r.village, r.category), 1)
        if (r.category === CONSCRIPT_FAMILY && r.householdType) {
          add('hash', roster, F.roster.conscripts(r.village, r.householdType), 1)
        }
        // The look-up indexes: 对象 by name, by ID number (one holder each) and by phone.
        add('set', keys.peopleByName(r.name), String(r.id), 1)
        if (secrets.idNumberMac) add('hash', keys.peopleByIdNumber(), secrets.idNumberMac, r.id)
        if (secrets.phoneMac) add('set', keys.peopleByPhone(secrets.phoneMac), String(r.id), 1)
        return
      }
      case 'visit': {
        const tally = keys.campaignTally(r.campaignYear, r.occasion)
        // The day index: every active visit, person or unit, under the day it was made.
        add('set', keys.visitsOnDate(r.date), String(r.id), 1)
        add('hash', tally, F.campaign.visits(r.village), 1)
        add('hash', tally, F.campaign.cashFen(r.village), r.cashFen)
        add('hash', tally, F.campaign.goodsLines(r.village), r.goods.length)
        add('hash', tally, F.campaign.needs(r.village), r.needs ? 1 : 0)
        if (r.needs && r.resolvedAt) add('hash', tally, F.campaign.resolved(r.village), 1)
        else if (r.needs) add('set', keys.openHelpCases(r.village), String(r.id), 1)
        for (const g of r.goods) {
          add('hash', tally, F.campaign.goodsQuantity(r.village, g.name, g.unit), g.quantity)
        }
        const days = keys.campaignVisitDays(r.campaignYear, r.occasion)
        if (r.personId !== undefined) add('hash', days, F.visitDay(r.personId, r.date), 1)
        else if (r.unitName !== undefined) add('hash', days, F.unitVisitDay(r.unitName, r.date), 1)
        if (r.personId === undefined || !r.category) {
          add('hash', tally, F.campaign.unitVisits(r.village), 1)
        } else {
          const visited = keys.campaignVisited(r.campaignYear, r.occasion, r.village)
          add('hash', visited, F.visitedMember(r.personId, r.category), 1)
          const village = r.village
          memberships.set(visited, {
            counterKey: tally,
            counterField: (code) => F.campaign.households(village, CATEGORIES[code]!),
          })
        }
        return
      }
      case 'payment': {
        const tally = keys.allowanceTally(r.year)
        add('set', keys.paymentsOnDate(r.date), String(r.id), 1)
        add('hash', tally, F.allowance.payments(r.village, r.householdType), 1)
        add('hash', tally, F.allowance.sumFen(r.village, r.householdType), r.amountFen)
        add('hash', tally, F.allowance.paymentsAtStandard(r.village, r.standardFen), 1)
        add('hash', tally, F.allowance.sumAtStandard(r.village, r.standardFen), r.amountFen)
        // What one family was paid in the year, against each standard: compared as a whole.
        const family = F.allowance.family(r.village, r.householdType, r.personId, r.standardFen)
        add('hash', tally, family, r.amountFen)
        const paid = keys.allowancePaid(r.year, r.village)
        add('hash', paid, F.paidMember(r.personId, r.householdType), 1)
        const village = r.village
        memberships.set(paid, {
          counterKey: tally,
          counterField: (code) => F.allowance.families(village, HOUSEHOLD_TYPES[code]!),
        })
        return
      }
      case 'activity': {
        const tally = keys.activityTally(r.year)
        const village = r.village ?? TOWNSHIP
        add('hash', tally, F.activity.activities(village, r.activityKind), 1)
        add('hash', tally, F.activity.people(village, r.activityKind), r.count ?? 0)
        if (r.siteKind) add('hash', tally, F.activity.sites(village, r.siteKind), 1)
        add('hash', tally, activityDayField(r), 1)
        return
      }
    }
  }

  /** Every key that should be compared: expected ones plus those the registries name. */
  private async keysToCheck(expected: Map<string, Expected>): Promise<string[]> {
    const { redis, keys } = this.deps
    const [periods, villages] = await Promise.all([
      redis.smembers(keys.periods()),
      redis.smembers(keys.villages()),
    ])
    const out = new Set<string>([
      keys.rosterTally(),
      ...villages.map((v) => keys.roster(v)),
      ...villages.map((v) => keys.removedPeople(v)),
      ...[...villages, TOWNSHIP].map((v) => keys.openHelpCases(v)),
    ])
    // Day sets hold no year in a registry: every day of the years around the periods' is
    // compared, so a set whose records all left it (withdrawn, re-dated) is still found.
    const years = new Set<number>()
    for (const period of periods) {
      const [type, yearText, occasion] = period.split('|')
      const year = Number(yearText)
      if (type === 'v' || type === 'm') for (let y = year - 1; y <= year + 1; y++) years.add(y)
      if (type === 'v' && occasion) {
        out.add(keys.campaignTally(year, occasion))
        out.add(keys.campaignVisitDays(year, occasion))
        for (const v of villages) out.add(keys.campaignVisited(year, occasion, v))
      } else if (type === 'm') {
        out.add(keys.allowanceTally(year))
        for (const v of villages) out.add(keys.allowancePaid(year, v))
      } else if (type === 'a') out.add(keys.activityTally(year))
    }
    for (const date of daysOf(years)) {
      out.add(keys.visitsOnDate(date))
      out.add(keys.paymentsOnDate(date))
    }
    for (const key of expected.keys()) out.add(key)
    return [...out]
  }

  private async readStored(
    keyNames: string[],
    expected: Map<string, Expected>,
  ): Promise<Map<string, Map<string, number>>> {
    const { redis } = this.deps
    const kinds = keyNames.map((k) => expected.get(k)?.kind ?? this.kindOf(k))
    const values = await Promise.all(
      keyNames.map(async (k, i): Promise<Map<string, number>> => {
        if (kinds[i] === 'set') {
          return new Map((await redis.smembers(k)).map((m) => [m, 1]))
        }
        if (kinds[i] === 'list') {
          return new Map((await redis.lrange(k, 0, -1)).map((id, at) => [String(at), Number(id)]))
        }
        return new Map(Object.entries(await redis.hgetall(k)).map(([f, v]) => [f, Number(v)]))
      }),
    )
    return new Map(keyNames.map((k, i) => [k, values[i]!]))
  }

  private isDaySet(key: string): boolean {
    const { keys } = this.deps
    return key.startsWith(keys.visitsOnDate('')) || key.startsWith(keys.paymentsOnDate(''))
  }

  /**
   * Records that the day sets equalled the records as of audit entry `clock` (or were made
   * to): from then on every write keeps them, so a run of days reads them alone
   * (keys.dayIndexReady). Written by a plain report too: it states a fact, changes no figure.
   */
  private async markDaySetsReady(clock: string): Promise<void> {
    await this.deps.redis.set(this.deps.keys.dayIndexReady(), clock)
  }

  private kindOf(key: string): Kind {
    const { keys } = this.deps
    if (key.startsWith(keys.recordsBy(''))) return 'list'
    return [
      keys.roster(''),
      keys.openHelpCases(''),
      keys.removedPeople(''),
      keys.peopleByName(''),
      keys.peopleByPhone(''),
      keys.visitsOnDate(''),
      keys.paymentsOnDate(''),
    ].some((p) => key.startsWith(p))
      ? 'set'
      : 'hash'
  }

  private async replace(
    clock: string,
    drifted: string[],
    expected: Map<string, Expected>,
  ): Promise<boolean> {
    const { redis, keys } = this.deps
    const contents = drifted.map((k) => {
      const e = expected.get(k)
      const kind = e?.kind ?? this.kindOf(k)
      const flat: (string | number)[] = [kind]
      for (const [field, n] of e?.values ?? []) {
        if (kind === 'hash') flat.push(field, String(n))
        else if (kind === 'list') flat.push(String(n))
        else flat.push(field)
      }
      return flat
    })
    const replaced = await runScript(
      redis,
      REPLACE_COUNTERS,
      [keys.audit(), ...drifted],
      [clock, JSON.stringify(contents)],
    )
    return replaced === 1
  }
}

function compare(
  keyNames: string[],
  expected: Map<string, Expected>,
  stored: Map<string, Map<string, number>>,
): Drift[] {
  const drift: Drift[] = []
  for (const key of keyNames) {
    const want = expected.get(key)?.values ?? new Map<string, number>()
    const have = stored.get(key) ?? new Map<string, number>()
    for (const field of new Set([...want.keys(), ...have.keys()])) {
      const e = want.get(field) ?? 0
      const s = have.get(field) ?? 0
      // A stored 0 is drift too: writes delete fields that reach 0, and a leftover membership
      // field would make a household look visited to unvisitedPeople.
      if (e !== s || want.has(field) !== have.has(field)) {
        drift.push({ key, field, stored: s, expected: e })
      }
    }
  }
  return drift
}

/** Every local date (`YYYY-MM-DD`) of `years`. */
function daysOf(years: ReadonlySet<number>): string[] {
  const out: string[] = []
  for (const year of [...years].sort((a, b) => a - b)) {
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
      out.push(new Date(t).toISOString().slice(0, 10))
    }
  }
  return out
}
