import type { LocalDate } from '../time/local-date.js'
import { RecordStore, type RecordStoreDeps } from './record-store.js'
import type { Occasion, Visit } from './schemas.js'
import { TallyFields } from './tally-fields.js'

// What the store keeps for one unit (驻地部队, 武警中队) in a campaign: its same-day guard fields
// in the campaign's visit days, `u|<unitName>|<date>` → active visits that day (keys.ts
// campaignVisitDays, TallyFields.unitVisitDay), which the write script moves with every add,
// 修改 and 撤销. They say on which days the unit was visited and how often, so a question about
// one unit reads those days, not the campaign's whole list of visits.

/** The days one unit was visited in one campaign, from its same-day guard fields. */
export interface UnitVisitDays {
  /** Active visits per date (local dates, oldest first). */
  days: Map<LocalDate, number>
  /** Σ of `days`: the unit's active visits in the campaign. */
  visits: number
  /** The latest day it was visited, or undefined when never. */
  last?: LocalDate
}

/** Fields scanned per HSCAN call: the campaign's guard fields, persons' and units' alike. */
const SCAN_COUNT = 1000

/** `text` as a literal inside an HSCAN MATCH pattern. */
function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}

/**
 * Reads a unit's visits of a campaign from its own entries: the guard fields give its days, the
 * day sets (keys.visitsOnDate) the visits of those days, so the cost is the visits done on the
 * unit's days, never the campaign's list. The guard's count checks the day sets: until the
 * reconciler has filled them for records older than they are (keys.dayIndexReady), a day set
 * may miss a visit the guard counts, and then the campaign's list is walked instead.
 */
export class UnitVisitReader {
  private readonly records: RecordStore

  constructor(private readonly deps: RecordStoreDeps) {
    this.records = new RecordStore(deps)
  }

  /** The days `unitName` was visited in `year`'s `occasion` campaign, and how often. */
  async visitDays(unitName: string, year: number, occasion: Occasion): Promise<UnitVisitDays> {
    const { redis, keys } = this.deps
    const key = keys.campaignVisitDays(year, occasion)
    const prefix = TallyFields.unitVisitDay(unitName, '')
    const match = `${globLiteral(prefix)}*`
    const days = new Map<LocalDate, number>()
    let cursor = '0'
    do {
      const [next, flat] = await redis.hscan(key, cursor, 'MATCH', match, 'COUNT', SCAN_COUNT)
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const count = Number(flat[i + 1])
        if (count > 0) days.set(flat[i]!.slice(prefix.length) as LocalDate, count)
      }
      cursor = next
    } while (cursor !== '0')
    const sorted = new Map([...days].sort(([a], [b]) => a.localeCompare(b)))
    let visits = 0
    for (const count of sorted.values()) visits += count
    return { days: sorted, visits, last: [...sorted.keys()].at(-1) }
  }

  /**
   * The active visits to `unitName` in `year`'s `occasion` campaign, in the order they were
   * logged (by record number, as the campaign's list holds them).
   */
  async visitsOf(unitName: string, year: number, occasion: Occasion): Promise<Visit[]> {
    const { redis, keys } = this.deps
    const { days, visits } = await this.visitDays(unitName, year, occasion)
    if (visits === 0) return []
    const dates = [...days.keys()]
    const idsByDay = await Promise.all(dates.map((d) => redis.smembers(keys.visitsOnDate(d))))
    const ids = [...new Set(idsByDay.flat().map(Number))].sort((a, b) => a - b)
    const found: Visit[] = []
    for (const record of await this.records.getRecords(ids)) {
      if (record.kind === 'visit' && isUnitVisit(record, unitName, year, occasion)) {
        found.push(record)
      }
    }
    if (found.length >= visits) return found
    return this.walkCampaign(unitName, year, occasion)
  }

  /** The same visits read from the campaign's whole list: the day sets were not complete. */
  private async walkCampaign(unitName: string, year: number, occasion: Occasion): Promise<Visit[]> {
    const found: Visit[] = []
    const list = this.deps.keys.campaignVisits(year, occasion)
    for await (const visit of this.records.walkList(list, 'visit')) {
      if (isUnitVisit(visit, unitName, year, occasion)) found.push(visit)
    }
    return found
  }
}

/** Whether `visit` is an active visit to `unitName` counted in `year`'s `occasion` campaign. */
function isUnitVisit(visit: Visit, unitName: string, year: number, occasion: Occasion): boolean {
  return (
    visit.status === 'active' &&
    visit.personId === undefined &&
    visit.unitName === unitName &&
    visit.campaignYear === year &&
    visit.occasion === occasion
  )
}
