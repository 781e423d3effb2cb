import { makeLocalDate, type LocalDate } from '../time/local-date.js'

/**
 * The one check of a 居民身份证号 as typed in chat or in a roster file (GB 11643-1999): 18
 * characters with a valid check digit, or the old 15 digits; the birth date in it a real day,
 * not after today and not before 1900. Problems name the number by its last four characters
 * only (`身份证号 …1234`), since replies are read in groups.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'
/** Older than any living person; a year below it is a typo (1090 for 1990). */
export const EARLIEST_BIRTH_YEAR = 1900

export type IdNumberCheck = { value: string } | { problem: string }

/** `…1234`: how a reply names an ID number or phone without showing it. */
export function lastFour(text: string): string {
  return `…${text.slice(-4)}`
}

/**
 * `input` in canonical form (half-width, no spaces, upper-case X) when it is a valid ID
 * number as of `today` (YYYY-MM-DD in BOT_TIMEZONE); otherwise one Chinese sentence, without
 * a final stop, saying which part is wrong. Pure.
 */
export function checkIdNumber(input: string, today: LocalDate): IdNumberCheck {
  const id = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
  const named = `身份证号 ${lastFour(id)}`
  if (!/^[\dX]+$/.test(id) || /X./.test(id)) {
    return { problem: `${named} 里有数字以外的字符：只能是数字，末位可为 X` }
  }
  if (id.length !== 18 && id.length !== 15) {
    return { problem: `${named} 是 ${id.length} 位，应为 18 位（末位可为 X）` }
  }
  if (id.length === 15 && id.endsWith('X')) {
    return { problem: `${named} 是 15 位的旧号码，应全是数字` }
  }
  if (id.length === 18) {
    const expected = CHECK_CHARS[WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0) % 11]!
    if (id[17] !== expected) {
      return {
        problem: `${named} 校验位不对（按前 17 位应为 ${expected}），多半是抄错了一位`,
      }
    }
  }
  // The old 15-digit numbers were issued before 2000 with a two-digit 19xx year.
  const birth = id.length === 18 ? id.slice(6, 14) : `19${id.slice(6, 12)}`
  const problem = birthDateProblem(birth, today)
  return problem ? { problem: `${named} 的出生日期${problem}` } : { value: id }
}

function birthDateProblem(yyyymmdd: string, today: LocalDate): string | undefined {
  const year = Number(yyyymmdd.slice(0, 4))
  const month = Number(yyyymmdd.slice(4, 6))
  const day = Number(yyyymmdd.slice(6, 8))
  const where = '（第 7–14 位）'
  if (year < EARLIEST_BIRTH_YEAR) return `${where}年份 ${year} 早于 ${EARLIEST_BIRTH_YEAR} 年`
  if (month < 1 || month > 12) return `${where}不对：没有 ${month} 月`
  const date = makeLocalDate(year, month, day)
  if (date === undefined) return `${where}不对：${month} 月没有 ${day} 日`
  if (year > Number(today.slice(0, 4))) return `${where}年份 ${year} 还没到`
  if (date > today) return `${where}在今天之后`
  return undefined
}
