import { z } from 'zod'
import { isLocalDate, partsOf, weekdayOf } from '../time/local-date.js'

// Each year the 国务院办公厅 publishes 关于YYYY年部分节假日安排的通知 (usually in
// November), listing the days off and the 调休 make-up working days. chinese-days ships
// them only after a release; this table carries notices newer than the installed library.
// An entry replaces the library for its year (calendar.ts), so copy the notice whole.
//
// 2027: chinese-days 1.5.7 stops at 2026 and the 2027 notice is not known here, so there is
// no 2027 entry (dates are never guessed); calendar.ts falls back to the statutory days off
// plus weekends and warns. Add the entry when the notice is published, e.g.
//   { year: 2027, source: '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）<url>',
//     holidays: ['2027-01-01', …], workdays: ['2027-…', …] }

const localDateSchema = z.string().refine(isLocalDate, 'must be a real date written YYYY-MM-DD')

/** One State Council holiday notice: its days off and its 调休 make-up working days. */
export const holidayOverrideSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    source: z.string().includes('国务院办公厅', {
      message: 'must cite the 国务院办公厅 notice (title, 文号, URL)',
    }),
    holidays: z.array(localDateSchema),
    workdays: z.array(localDateSchema),
  })
  .superRefine((entry, ctx) => {
    const inReach = (date: string): boolean => Math.abs(partsOf(date).year - entry.year) <= 1
    for (const [list, dates] of [
      ['holidays', entry.holidays],
      ['workdays', entry.workdays],
    ] as const) {
      dates.forEach((date, i) => {
        if (isLocalDate(date) && !inReach(date)) {
          ctx.addIssue({
            code: 'custom',
            path: [list, i],
            message: `${date} is not within a year of the notice year ${entry.year}`,
          })
        }
      })
    }
    // A make-up working day always borrows a weekend; a weekday here is a typo.
    entry.workdays.forEach((date, i) => {
      const weekday = isLocalDate(date) ? weekdayOf(date) : 0
      if (weekday !== 0 && weekday !== 6) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', i],
          message: `${date} is a weekday; 调休 make-up working days are Saturdays or Sundays`,
        })
      }
    })
    const holidays = new Set(entry.holidays)
    entry.workdays.forEach((date, i) => {
      if (holidays.has(date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', i],
          message: `${date} is listed both as a holiday and as a working day`,
        })
      }
    })
  })

/** The whole table: at most one entry per notice year. */
export const holidayOverridesSchema = z.array(holidayOverrideSchema).superRefine((entries, ctx) => {
  const seen = new Set<number>()
  entries.forEach((entry, i) => {
    if (seen.has(entry.year)) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'year'],
        message: `${entry.year} appears twice; merge the notices into one entry`,
      })
    }
    seen.add(entry.year)
  })
})

export type HolidayOverride = z.infer<typeof holidayOverrideSchema>

/**
 * Validates an override table. Throws an Error listing every zod issue, so a bad edit to
 * the table fails at start-up (and in CI) instead of moving a reminder silently.
 */
export function parseHolidayOverrides(raw: unknown): readonly HolidayOverride[] {
  const result = holidayOverridesSchema.safeParse(raw)
  if (!result.success) {
    const issues = result.error.issues.map((i) => `  [${i.path.join('.')}] ${i.message}`)
    throw new Error(`Invalid holiday override table:\n${issues.join('\n')}`)
  }
  return Object.freeze(result.data.map((entry) => Object.freeze(entry)))
}

const TABLE: z.input<typeof holidayOverridesSchema> = []

/** The checked-in overrides, validated at load (empty: chinese-days covers up to 2026). */
export const HOLIDAY_OVERRIDES: readonly HolidayOverride[] = parseHolidayOverrides(TABLE)
