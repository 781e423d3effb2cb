import type { AllowanceStore } from '../records/allowance-store.js'
import { localDateOf, partsOf, type LocalDate } from '../time/local-date.js'
import type { AllowanceDeadlineSource } from './campaigns.js'
import type { Clock } from '../time/clock.js'

/**
 * The deadlines set with 优待金截止, for the years a planner or 提醒计划 looks at (last year to
 * two years ahead); a year without one uses July 31 (calendar.occasionDay).
 */
export class StoredAllowanceDeadlines implements AllowanceDeadlineSource {
  constructor(
    private readonly deps: { allowances: AllowanceStore; timezone: string; now: Clock },
  ) {}

  async deadlines(): Promise<Map<number, LocalDate>> {
    const today = localDateOf(this.deps.now(), this.deps.timezone)
    const year = partsOf(today).year
    const years = [year - 1, year, year + 1, year + 2]
    const dates = await Promise.all(years.map((y) => this.deps.allowances.getAllowanceDeadline(y)))
    return new Map(years.flatMap((y, i) => (dates[i] ? [[y, dates[i]] as const] : [])))
  }
}
