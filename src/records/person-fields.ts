import { lastFour } from './id-number.js'

/**
 * Checks of a person's free fields as typed in chat or a roster file, each answering with what
 * is wrong and how to write it, before the stored schema (schemas.ts) would refuse the same
 * value with a message only a developer reads. The limits are the schema's.
 */

export const NAME_MAX = 30
export const NOTES_MAX = 500

// `|` and `:` separate the parts of counter fields and keys (schemas.ts, label()).
const SEPARATORS = /[|:]/
// Control and format characters (a pasted bell, a right-to-left override) are invisible in a
// chat and make a name that no one can type back to find it; lone surrogates break Lua's cjson.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u
// Notes may run over several lines.
const INVISIBLE_IN_TEXT = /(?![\n\t])[\p{Cc}\p{Cf}\p{Cs}]/u

/** Why `name` cannot be a person's name (a sentence without a final stop), or undefined. */
export function nameProblem(name: string): string | undefined {
  const trimmed = name.trim()
  if (trimmed === '') return '姓名为空：请把姓名写在最前面，如「张三」'
  if (INVISIBLE.test(trimmed)) {
    return '姓名里有看不见的控制字符（多半是从别处粘贴带来的）：请手动输入姓名'
  }
  if (SEPARATORS.test(trimmed)) {
    return `姓名「${trimmed}」不能含「:」或「|」：只写姓名，如「张三」`
  }
  if (trimmed.length > NAME_MAX) {
    return `姓名有 ${trimmed.length} 个字，最多 ${NAME_MAX} 个字：姓名、村名、类别之间请用空格隔开`
  }
  return undefined
}

/** Why `notes` cannot be stored as a person's 备注, or undefined. */
export function notesProblem(notes: string): string | undefined {
  const trimmed = notes.trim()
  if (INVISIBLE_IN_TEXT.test(trimmed)) {
    return '备注里有看不见的控制字符（多半是从别处粘贴带来的）：请手动输入'
  }
  if (trimmed.length > NOTES_MAX) {
    return `备注有 ${trimmed.length} 个字，最多 ${NOTES_MAX} 个字：请精简后重发`
  }
  return undefined
}

export type PhoneCheck = { value: string } | { problem: string }

/**
 * A phone as a cadre types it in chat: a mobile number (11 digits from 1) or a landline with
 * its area code (`0571-88886666`), spaces, dashes and a +86 prefix allowed. The canonical
 * digits, or a problem naming the number by its last four digits.
 */
export function checkChatPhone(input: string): PhoneCheck {
  const digits = input
    .normalize('NFKC')
    .replace(/[\s\-()]/g, '')
    .replace(/^(?:\+86|0086)/, '')
  const named = `电话 ${lastFour(digits)}`
  const how = '手机号为 11 位、以 1 开头；座机请带区号，如「0571-88886666」'
  if (!/^\d+$/.test(digits)) return { problem: `${named} 里有数字以外的字符：${how}` }
  if (/^1\d{10}$/.test(digits) || /^0\d{9,11}$/.test(digits)) return { value: digits }
  return { problem: `${named} 是 ${digits.length} 位，不像电话号码：${how}` }
}
