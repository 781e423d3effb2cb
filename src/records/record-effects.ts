import { activityDayField } from './activity-title.js'
import type { Keys } from './keys.js'
import { CONSCRIPT_FAMILY, TOWNSHIP, type AnyRecord } from './schemas.js'
import type { PersonSecrets } from './stored-record.js'
import { TallyFields as F } from './tally-fields.js'

/**
 * What a record contributes to the indexes and counters while it is active. A write is the
 * difference between the effects before and after it (write-plan.ts): an add is [] → effects,
 * a withdrawal effects → [] (withdrawn records contribute nothing but a removed person's
 * entry in their village's removed set), a correction old → new.
 * Deriving all three from one function is what keeps withdrawals exact.
 */
export type Effect =
  /** HINCRBY key field n. */
  | { t: 'count'; key: string; field: string; n: number }
  /** The record id (or another member) is in a SET. */
  | { t: 'member'; key: string; member: string }
  /** A HASH field that at most one record may own (an ID number's MAC → person id). */
  | { t: 'owner'; key: string; field: string; value: string }
  /** One membership in a hash of distinct things (households), counted into counterField. */
  | { t: 'mark'; key: string; field: string; counterKey: string; counterField: string }

/**
 * The effects of `record` (id `id`, or '$id' while the script has yet to allocate it).
 * `secrets` carries a person's phone and ID-number MACs, which the public record lacks.
 */
export function effectsOf(
  keys: Keys,
  record: AnyRecord,
  id: string,
  secrets: PersonSecrets = {},
): Effect[] {
  if (record.status === 'withdrawn') {
    // Kept so a closed campaign's due set can count who was still on the roster at its end.
    return record.kind === 'person'
      ? [{ t: 'member', key: keys.removedPeople(record.village), member: id }]
      : []
  }
  const out: Effect[] = []
  switch (record.kind) {
    case 'person': {
      const { village, category } = record
      const roster = keys.rosterTally()
      out.push({ t: 'member', key: keys.roster(village), member: id })
      out.push({ t: 'member', key: keys.peopleByName(record.name), member: id })
      if (secrets.idNumberMac) {
        out.push({
          t: 'owner',
          key: keys.peopleByIdNumber(),
          field: secrets.idNumberMac,
          value: id,
        })
      }
      if (secrets.phoneMac) {
        out.push({ t: 'member', key: keys.peopleByPhone(secrets.phoneMac), member: id })
      }
      count(out, roster, F.roster.village(village), 1)
      count(out, roster, F.roster.category(category), 1)
      count(out, roster, F.roster.villageCategory(village, category), 1)
      if (category === CONSCRIPT_FAMILY && record.householdType) {
        count(out, roster, F.roster.conscripts(village, record.householdType), 1)
      }
      break
    }
    case 'visit': {
      const { village, campaignYear: year, occasion } = record
      const tally = keys.campaignTally(year, occasion)
      // The day index: a 修改 of the date moves the id from one day's set to the other's.
      out.push({ t: 'member', key: keys.visitsOnDate(record.date), member: id })
      count(out, tally, F.campaign.visits(village), 1)
      count(out, tally, F.campaign.cashFen(village), record.cashFen)
      count(out, tally, F.campaign.goodsLines(village), record.goods.length)
      count(out, tally, F.campaign.needs(village), record.needs ? 1 : 0)
      // A need found is a help case: open until resolvedAt, then counted as resolved.
      if (record.needs && record.resolvedAt) count(out, tally, F.campaign.resolved(village), 1)
      else if (record.needs) out.push({ t: 'member', key: keys.openHelpCases(village), member: id })
      for (const g of record.goods) {
        count(out, tally, F.campaign.goodsQuantity(village, g.name, g.unit), g.quantity)
      }
      if (record.personId !== undefined) {
        count(
          out,
          keys.campaignVisitDays(year, occasion),
          F.visitDay(record.personId, record.date),
          1,
        )
      } else if (record.unitName !== undefined) {
        // A unit's same-day guard, as a person's: 修改 and 撤销 move it as they move the rest.
        count(
          out,
          keys.campaignVisitDays(year, occasion),
          F.unitVisitDay(record.unitName, record.date),
          1,
        )
      }
      if (record.personId !== undefined && record.category) {
        out.push({
          t: 'mark',
          key: keys.campaignVisited(year, occasion, village),
          field: F.visitedMember(record.personId, record.category),
          counterKey: tally,
          counterField: F.campaign.households(village, record.category),
        })
      } else {
        count(out, tally, F.campaign.unitVisits(village), 1)
      }
      break
    }
    case 'payment': {
      const { village, year, householdType: type, amountFen, standardFen } = record
      const tally = keys.allowanceTally(year)
      out.push({ t: 'member', key: keys.paymentsOnDate(record.date), member: id })
      count(out, tally, F.allowance.payments(village, type), 1)
      count(out, tally, F.allowance.sumFen(village, type), amountFen)
      count(out, tally, F.allowance.paymentsAtStandard(village, standardFen), 1)
      count(out, tally, F.allowance.sumAtStandard(village, standardFen), amountFen)
      count(out, tally, F.allowance.family(village, type, record.personId, standardFen), amountFen)
      out.push({
        t: 'mark',
        key: keys.allowancePaid(year, village),
        field: F.paidMember(record.personId, type),
        counterKey: tally,
        counterField: F.allowance.families(village, type),
      })
      break
    }
    case 'activity': {
      const village = record.village ?? TOWNSHIP
      const tally = keys.activityTally(record.year)
      count(out, tally, F.activity.activities(village, record.activityKind), 1)
      count(out, tally, F.activity.people(village, record.activityKind), record.count ?? 0)
      if (record.siteKind) count(out, tally, F.activity.sites(village, record.siteKind), 1)
      count(out, tally, activityDayField(record), 1)
      break
    }
  }
  return out
}

// A module function, not a closure per record: tsx names every closure it compiles, which
// costs a defineProperty each time the closure is made.
function count(out: Effect[], key: string, field: string, n: number): void {
  if (n !== 0) out.push({ t: 'count', key, field, n })
}
