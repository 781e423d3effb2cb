import { UserFacingError } from '../errors.js'
import { YEAR_WORD_SOURCE, yearOfWord } from '../parse/year-word.js'
import { partsOf, type LocalDate } from '../time/local-date.js'

// A family's allowance for a year is sometimes paid in the January after it (a late transfer,
// a family registered late). The year it counts in is then not the payment date's, so the line
// names it: `发放优待金 李一 2026年 今天`, `补发去年优待金 李二 300元`. docs/decisions.md.

/** The words that name an allowance year: `2026年`, `26年`, `二〇二六年`, `去年`, `今年` (year-word.ts). */
const YEAR_WORDS = YEAR_WORD_SOURCE

/** A word of the line that is only an allowance year (`的` and `优待金` after it allowed). */
const YEAR_TOKEN = new RegExp(`^(?:${YEAR_WORDS})的?(?:优待金)?$`)

/**
 * A year written between the verb and 优待金 (`发放2026年优待金`, `补发去年的优待金`): the
 * command word is the verb and 优待金, the year one of the line's words (asWordAndYear).
 */
const YEAR_INSIDE_WORD = new RegExp(`^(\\/*\\s*)(发放|补发|发)\\s*((?:${YEAR_WORDS})的?)\\s*优待金`)

/** A payment line that begins with a 补发 command word, a year inside it or not. */
export const TOP_UP_COMMAND = new RegExp(
  `^\\/*\\s*(?:补发\\s*(?:(?:${YEAR_WORDS})的?)?\\s*优待金|优待金补发)`,
)

/** Where a line's free text begins: a year word after it is the note's, as typed. */
const NOTE_START = /(?:^|[\s,.;，。；、])(?:备注|需求|困难(?!帮扶)|问题)/

/**
 * `发放2026年优待金 李一` as `发放优待金 2026年 李一`, so the command word is found and the year
 * is read as a word of the line; undefined for any other text.
 */
export function asWordAndYear(text: string): string | undefined {
  const found = YEAR_INSIDE_WORD.exec(text)
  if (!found) return undefined
  const [whole, lead, verb, year] = found
  return `${lead}${verb}优待金 ${year}${text.slice(whole.length)}`
}

/**
 * The allowance year the payment text `args` names, and the text without it. Only whole words
 * before any 备注 count, so a date's year (`2026年7月1日`) stays the date's. Relative words are
 * read from `today`. Throws UserFacingError for two different years, or a year not yet begun.
 */
export function takeAllowanceYear(args: string, today: LocalDate): { args: string; year?: number } {
  const thisYear = partsOf(today).year
  const years = new Set<number>()
  const lines = args.split('\n').map((line) => {
    const noteAt = line.search(NOTE_START)
    const head = noteAt === -1 ? line : line.slice(0, noteAt)
    const words = head.replace(/(\d{4})\s+(年)/g, '$1$2').split(/([\s,，、;；]+)/)
    const kept = words.map((word) => {
      // `2026` alone is this or last year, not 2,026 元 (a tester): no allowance is that sum.
      const bare = /^20\d\d$/.test(word) && [thisYear, thisYear - 1].includes(Number(word))
      if (!bare && !YEAR_TOKEN.test(word)) return word
      years.add(yearOfWord(word.replace(/的?(?:优待金)?$/, ''), thisYear)!)
      return ''
    })
    return `${kept.join('')}${noteAt === -1 ? '' : line.slice(noteAt)}`
      .replace(/ {2,}/g, ' ')
      .trim()
  })
  if (years.size === 0) return { args }
  if (years.size > 1) {
    throw new UserFacingError(`写了两个年份（${[...years].join('、')}），未登记。请只写一个。`)
  }
  const year = [...years][0]!
  if (year > thisYear) {
    throw new UserFacingError(`${year} 年还没到，不能登记 ${year} 年优待金。`)
  }
  return { args: lines.join('\n'), year }
}

/**
 * Why `year`'s allowance cannot be paid on `date`, if so: a payment counts in its date's year
 * or, paid late, in the year before; never in a year after its date, nor two years back.
 */
export function allowanceYearProblem(year: number, date: LocalDate): string | undefined {
  const dateYear = partsOf(date).year
  if (year > dateYear) {
    return `${date} 在 ${year} 年之前，不能发 ${year} 年优待金，未登记。`
  }
  if (year < dateYear - 1) {
    return `${year} 年优待金只能在 ${year} 年或 ${year + 1} 年内登记，未登记。`
  }
  return undefined
}
