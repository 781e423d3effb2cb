import type { Keys } from './keys.js'
import { CONSCRIPT_FAMILY, HOUSEHOLD_TYPES } from './schemas.js'
import { TallyFields } from './tally-fields.js'

/** One village's allowance progress: families paid of the conscript families due. */
export interface VillageAllowance {
  families: number
  due: number
}

/**
 * The counters behind one village's allowance progress, for a payment's write plan to read
 * back as it left them (WritePlan.readAfter), so the reply costs no extra round trip.
 */
export function villageAllowanceFields(keys: Keys, year: number, village: string) {
  return {
    paid: {
      key: keys.allowanceTally(year),
      fields: HOUSEHOLD_TYPES.map((t) => TallyFields.allowance.families(village, t)),
    },
    due: {
      key: keys.rosterTally(),
      field: TallyFields.roster.villageCategory(village, CONSCRIPT_FAMILY),
    },
  }
}

/** The values read for villageAllowanceFields, paid fields first, in order. */
export function villageAllowanceOf(values: readonly (string | null)[]): VillageAllowance {
  const paid = values.slice(0, HOUSEHOLD_TYPES.length)
  return {
    families: paid.reduce((sum, n) => sum + Number(n ?? 0), 0),
    due: Number(values[HOUSEHOLD_TYPES.length] ?? 0),
  }
}
