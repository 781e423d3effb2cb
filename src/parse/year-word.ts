/**
 * Years as people write them: `2026年`, `2026年度`, `26年`, `二〇二六年`, and counted from this
 * one (`去年`, `上年度`, `今年`, `明年`). One reading for 统计, 年报 and the allowance year.
 */

/** Years counted from this one, as people say them (`今年优待金`, `统计 去年 八一`). */
export const RELATIVE_YEARS: Readonly<Record<string, number>> = {
  前年: -2,
  去年度: -1,
  去年: -1,
  上一年度: -1,
  上一年: -1,
  上年度: -1,
  上年: -1,
  今年度: 0,
  今年: 0,
  本年度: 0,
  本年: 0,
  明年: 1,
  下一年: 1,
  后年: 2,
}

/** The relative words, longest first, so `去年度` is never read as `去年` and a stray 度. */
const RELATIVE_SOURCE = Object.keys(RELATIVE_YEARS)
  .sort((a, b) => b.length - a.length)
  .join('|')

/** One of RELATIVE_YEARS' words, anywhere in a text. */
export const RELATIVE_YEAR = new RegExp(RELATIVE_SOURCE)

/** A year written with 年 (`2026年`, `26年`, `二〇二六年度`) or a relative word, as a regex source. */
export const YEAR_WORD_SOURCE = String.raw`(?:\d{4}|\d{2}|[〇零一二三四五六七八九]{4})\s*年度?|${RELATIVE_SOURCE}`

const WHOLE_YEAR_WORD = new RegExp(`^(?:\\d{4}|${YEAR_WORD_SOURCE})$`)

/** A Chinese numeral digit's value (`二〇二六` is 2026). */
const CN_DIGITS = '〇一二三四五六七八九'

/**
 * The year `word` is wholly (a year word, or four digits alone: `2026`), relative words read
 * from `thisYear`; undefined for any other word.
 */
export function yearOfWord(word: string, thisYear: number): number | undefined {
  const text = word.trim()
  if (!WHOLE_YEAR_WORD.test(text)) return undefined
  const relative = RELATIVE_YEARS[text]
  if (relative !== undefined) return thisYear + relative
  const written = /^(\d{4})/.exec(text)
  if (written) return Number(written[1])
  const short = /^(\d{2})/.exec(text)
  if (short) return 2000 + Number(short[1])
  return Number([...text.slice(0, 4)].map((c) => (c === '零' ? 0 : CN_DIGITS.indexOf(c))).join(''))
}
