import { partsOf, type LocalDate } from '../time/local-date.js'
import type { RecordServices } from './services.js'

/** Months at the start of a year when last year's allowance is still paid (late payments, 补发). */
const LATE_PAYMENT_MONTHS = 3

/**
 * What last year's allowance still owes, for an allowance reply that names no year from January
 * to March: `另：2026 年还有 8 户未发放、1 户未发足，\n回复「未发放 2026」查看。`. In February a
 * leader asking 未发放 or 优待金发完了吗 was answered with the new year only, nothing due for
 * months, while last year's unpaid families went unmentioned (a tester). Undefined when the
 * year was named, outside those months, or when last year owes nothing.
 */
export async function lastYearOwedLines(
  services: RecordServices,
  villages: readonly string[] | undefined,
  today: LocalDate,
  yearNamed: boolean,
): Promise<string[]> {
  const { year, month } = partsOf(today)
  if (yearNamed || month > LATE_PAYMENT_MONTHS) return []
  const last = year - 1
  const tally = await services.tallies.readAllowanceTally(last, villages, {
    today,
    timezone: services.timezone,
  })
  const unpaid = Math.max(0, tally.total.due - tally.total.families)
  const short = tally.variance.under.families
  if (unpaid === 0 && short === 0) return []
  const owed = [unpaid > 0 && `${unpaid} 户未发放`, short > 0 && `${short} 户未发足`].filter(
    Boolean,
  )
  return [`另：${last} 年还有 ${owed.join('、')}，`, `回复「未发放 ${last}」查看。`]
}
