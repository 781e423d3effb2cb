import { lastFour } from './id-number.js'
import type { Removal } from './schemas.js'

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
  // A tester added 😀, 1234, 。。 and <script>…</script> as people: a name nobody can say,
  // find by typing it, or read on a roster. Names are Chinese characters; a minority name's
  // parts are joined by 「·」.
  if (!PERSON_NAME.test(trimmed)) {
    const shown = [...trimmed].length > 10 ? `${[...trimmed].slice(0, 10).join('')}…` : trimmed
    return `姓名「${shown}」不像姓名：请写汉字姓名（少数民族姓名用「·」隔开）`
  }
  return undefined
}

const PERSON_NAME = /^\p{Script=Han}+(?:·\p{Script=Han}+)*$/u

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

/** `去世`, `迁出（搬到县城）`: a removal reason as replies and sheets show it. */
export function removalText(removal: Removal | undefined): string {
  if (!removal) return REASON_UNKNOWN
  return removal.note ? `${removal.reason}（${removal.note}）` : removal.reason
}

/** What a removal stored before reasons were asked (issue 13) shows. */
export const REASON_UNKNOWN = '未注明'

export type SoldierNameCheck = { value: string } | { problem: string }

// The dots a minority name's parts are joined by, as phones and PCs type them.
const NAME_DOTS = /[·•・．.]/g
const HAN_NAME = /^\p{Script=Han}{2,6}$/u
const DOTTED_NAME = /^\p{Script=Han}+(?:·\p{Script=Han}+)+$/u
export const SOLDIER_NAME_MAX = 15

/**
 * The conscript's own name (义务兵姓名) as typed in chat or a roster cell: 2–6 Chinese
 * characters, or a minority name of Chinese parts joined by `·` (up to 15 characters in all).
 * Spaces are dropped and the dot is stored as `·`. The problem says what is wrong and how.
 */
export function checkSoldierName(input: string): SoldierNameCheck {
  const name = input.normalize('NFKC').replace(/\s+/g, '').replace(NAME_DOTS, '·')
  const how = '请写义务兵本人的姓名（2–6 个汉字，少数民族姓名用「·」隔开），如「义务兵 张小明」'
  if (name === '') return { problem: `义务兵姓名为空：${how}` }
  if (INVISIBLE.test(name)) {
    return { problem: '义务兵姓名里有看不见的控制字符（多半是从别处粘贴带来的）：请手动输入' }
  }
  if ([...name].length > SOLDIER_NAME_MAX) {
    return { problem: `义务兵姓名「${name.slice(0, 8)}…」太长：${how}` }
  }
  if (HAN_NAME.test(name) || DOTTED_NAME.test(name)) return { value: name }
  const shown = name.length > 10 ? `${name.slice(0, 10)}…` : name
  if (/^\p{Script=Han}$/u.test(name)) return { problem: `义务兵姓名「${shown}」只有一个字：${how}` }
  if (/^\p{Script=Han}{7,}$/u.test(name)) {
    return { problem: `义务兵姓名「${shown}」有 ${name.length} 个字，不像姓名：${how}` }
  }
  return { problem: `义务兵姓名「${shown}」不像姓名：${how}` }
}

/**
 * Why a conscript family whose roster entry has no 农村/城镇 cannot be paid, and how it is
 * fixed (修改 #N 户口): the allowance standard is set by it.
 */
export function untypedFamily(person: { id: number; name: string }): string {
  return [
    `${person.name}（#${person.id}）的户口是农村还是城镇，`,
    '花名册上没有注明，未登记。',
    '请领导或管理员先补上，',
    `如「修改 #${person.id} 户口 农村」。`,
  ].join('\n')
}
