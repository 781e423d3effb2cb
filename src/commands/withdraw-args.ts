import { UserFacingError } from '../errors.js'

// What 撤销 is given: record numbers, then (for a person) why they leave the roster.

/** At most this many record numbers in one 撤销: a reply still fits one screen. */
export const MAX_WITHDRAW_IDS = 20

export const WITHDRAW_USAGE =
  '请写上记录号，如「撤销 #128」；\n几条一起写「撤销 #128 #130」；\n撤销自己刚登记的写「撤销上一条」。\n记录号在登记成功的回复里。'

/** `#165 #167`, `165、167`, `#165,#167`: the record numbers, in order, once each. */
export function readRecordNumbers(args: string): number[] {
  const tokens = args
    .trim()
    .split(/[\s,，、;；]+|(?=#)/)
    .filter(Boolean)
  if (tokens.length === 0) throw new UserFacingError(WITHDRAW_USAGE)
  const ids: number[] = []
  for (const token of tokens) {
    const m = /^#?(\d{1,12})$/.exec(token)
    if (!m) throw new UserFacingError(notARecordNumber(token))
    const id = Number(m[1])
    if (!ids.includes(id)) ids.push(id)
  }
  if (ids.length > MAX_WITHDRAW_IDS) {
    throw new UserFacingError(`一次最多撤销 ${MAX_WITHDRAW_IDS} 条，未撤销任何记录。请分几次发送。`)
  }
  return ids
}

export function notARecordNumber(token: string): string {
  return `「${token.slice(0, 20)}」不是记录号，未撤销任何记录。${WITHDRAW_USAGE}`
}

// Record numbers at the start, each ending at a separator, a `#` or the end: `#45 3月迁出`
// keeps the `3` with its 月 instead of reading it as record #3.
const NUMBERS = /^(?:[\s,，、;；]*#?\d{1,12}(?=[\s,，、;；#]|$))+/

/**
 * `#45 #46 迁出 搬到县城` → the record numbers and the words after them (the removal reason of
 * the people among them; empty when none). Throws UserFacingError when no number leads.
 */
export function readWithdrawArgs(args: string): { ids: number[]; rest: string } {
  const trimmed = args.trim()
  const numbers = NUMBERS.exec(trimmed)?.[0] ?? ''
  const rest = trimmed.slice(numbers.length).trim()
  if (numbers.trim() === '') {
    if (rest === '') throw new UserFacingError(WITHDRAW_USAGE)
    throw new UserFacingError(notARecordNumber(rest.split(/[\s,，、;；]+/).find(Boolean) ?? rest))
  }
  return { ids: readRecordNumbers(numbers), rest }
}
