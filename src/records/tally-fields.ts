import {
  categoryCode,
  householdTypeCode,
  type ActivityKind,
  type Category,
  type HouseholdType,
  type SiteKind,
} from './schemas.js'

/**
 * Field names inside the counter hashes (the key names are in keys.ts). Parts are joined
 * with `|`, which no village, category or goods name may contain (schemas.ts), so a field
 * splits back into its parts unambiguously.
 */
export const TallyFields = {
  roster: {
    /** People in a village. */
    village: (village: string) => `v|${village}`,
    /** People in a category, all villages. */
    category: (category: Category) => `c|${category}`,
    villageCategory: (village: string, category: Category) => `vc|${village}|${category}`,
    /** Conscript families (义务兵家庭) with a known household type, per village. */
    conscripts: (village: string, type: HouseholdType) => `vh|${village}|${type}`,
  },
  campaign: {
    visits: (village: string) => `n|${village}`,
    /** Visits to units (garrisons): visits and cash, never households. */
    unitVisits: (village: string) => `u|${village}`,
    cashFen: (village: string) => `f|${village}`,
    /** Lines of goods handed over (米一袋 油一桶 = 2 lines). */
    goodsLines: (village: string) => `g|${village}`,
    /** Σ quantity of one kind of goods (name and unit). */
    goodsQuantity: (village: string, name: string, unit: string) => `q|${village}|${name}|${unit}`,
    /** Distinct visited households, maintained from the campaignVisited membership hashes. */
    households: (village: string, category: Category) => `h|${village}|${category}`,
    /** Visits that found a need (危房, 医疗…): the help cases (帮扶) of the year-end report. */
    needs: (village: string) => `x|${village}`,
    /** Of those, the needs resolved (办结). */
    resolved: (village: string) => `r|${village}`,
  },
  allowance: {
    payments: (village: string, type: HouseholdType) => `n|${village}|${type}`,
    sumFen: (village: string, type: HouseholdType) => `f|${village}|${type}`,
    /** Distinct paid families, maintained from the allowancePaid membership hashes. */
    families: (village: string, type: HouseholdType) => `h|${village}|${type}`,
    paymentsAtStandard: (village: string, standardFen: number) => `sn|${village}|${standardFen}`,
    sumAtStandard: (village: string, standardFen: number) => `sf|${village}|${standardFen}`,
    /**
     * Σ fen paid to one family in the year, by the standard each payment was made against: what
     * compares a family's payments together with one standard (a 补发 of 300 with the 5,800
     * before it, a partial payment with what is still owed), never each payment alone. One field
     * per family paid (a township's conscript families, not its payments), read with the rest of
     * the year's counters (docs/figures.md, "One standard per family").
     */
    family: (village: string, type: HouseholdType, personId: number, standardFen: number) =>
      `p|${village}|${type}|${personId}|${standardFen}`,
  },
  /** Fields of the allowance configuration hash (keys.allowanceConfig). */
  allowanceConfig: {
    standard: (year: number) => `std|${year}`,
    deadline: (year: number) => `due|${year}`,
  },
  activity: {
    activities: (village: string, kind: ActivityKind) => `n|${village}|${kind}`,
    people: (village: string, kind: ActivityKind) => `p|${village}|${kind}`,
    sites: (village: string, siteKind: SiteKind) => `s|${village}|${siteKind}`,
    /**
     * Active activities of one title (activity-title.ts) in a village on a day: the guard that
     * holds a repeat for 「确认」, as campaignVisitDays does for visits. The title may hold a
     * unit's name; a `|` in it is written `｜`, so the field keeps its four parts.
     */
    day: (village: string, date: string, title: string) =>
      `d|${village}|${date}|${title.replace(/\|/g, '｜')}`,
  },
  /** Field of a campaignVisited hash: one household (person, as categorised when visited). */
  visitedMember: (personId: number, category: Category) => `${personId}.${categoryCode(category)}`,
  /** Field of an allowancePaid hash: one family (person, household type when paid). */
  paidMember: (personId: number, type: HouseholdType) => `${personId}.${householdTypeCode(type)}`,
  /** Field of a campaignVisitDays hash: one person on one day. */
  visitDay: (personId: number, date: string) => `${personId}|${date}`,
  /**
   * Field of a campaignVisitDays hash: one unit (by its name, which never holds `|`) on one
   * day. The `u|` keeps it apart from visitDay's fields, which begin with a person's id.
   */
  unitVisitDay: (unitName: string, date: string) => `u|${unitName}|${date}`,
  /** The person id of a visitedMember or paidMember field. */
  memberPersonId: (field: string) => Number(field.slice(0, field.indexOf('.'))),
  /** Members of the periods set. */
  period: {
    campaign: (year: number, occasion: string) => `v|${year}|${occasion}`,
    allowance: (year: number) => `m|${year}`,
    activity: (year: number) => `a|${year}`,
  },
} as const
