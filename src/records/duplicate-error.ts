import type { Activity, AllowancePayment, Visit } from './schemas.js'

/**
 * A write the contract holds for 「确认」 because it repeats an active record (contract,
 * "Duplicates"): a second allowance payment to a family for the same year, a second visit to a
 * person on the same day for the same occasion, the same activity in the same village on the
 * same day (activity-title.ts). Carries the earlier record so the reply can show it. The write
 * script's guard decides, so two cadres writing at once cannot both pass.
 */
export class DuplicateRecordError extends Error {
  constructor(readonly earlier: AllowancePayment | Visit | Activity) {
    super(`duplicate of #${earlier.id}`)
    this.name = 'DuplicateRecordError'
  }
}
