import type { Removal, RemovalReason } from '../records/schemas.js'

// Why a person leaves the roster, as a cadre writes it after 撤销 #45 or answers the question:
// `去世`, `迁出 搬到县城`, `退伍`, `其他 户口注销` (docs/corrections.md, "撤销 of a person").

/** The words for each reason; the first is the reason itself. */
const REASON_WORDS: readonly (readonly [RemovalReason, readonly string[]])[] = [
  ['去世', ['去世', '死亡', '病故', '逝世', '亡故', '过世', '已故', '病逝']],
  ['迁出', ['迁出', '外迁', '迁走', '搬走', '户口迁出']],
  ['退役', ['退役', '退伍', '复员']],
  ['其他', ['其他', '其它']],
]

/** Longest word first, so `户口迁出` is not read as an unknown word before `迁出`. */
const WORDS = REASON_WORDS.flatMap(([reason, words]) =>
  words.map((w) => [w, reason] as const),
).sort((a, b) => b[0].length - a[0].length)

export const REMOVAL_NOTE_MAX = 30

// A note is one short line; control and format characters would hide in a printed sheet.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u

/** How a reason is written, for every reply that asks for one. */
export const REMOVAL_HOW =
  '请写去世、迁出、退役，或「其他 说明」，可加说明，如「迁出 搬到县城」「其他 户口注销」。'

export type RemovalRead = { removal: Removal } | { problem: string }

/**
 * Reads a removal reason: a reason word, then an optional note of at most REMOVAL_NOTE_MAX
 * characters (`其他` needs one). `原因：` (理由, 因为) before it and `了` after the word are dropped. The
 * problem is a sentence saying what is wrong and how to write it.
 */
export function readRemoval(text: string): RemovalRead {
  const trimmed = text
    .trim()
    .replace(/^(?:(?:移出)?(?:原因|理由)|因为)\s*[:：]?\s*/, '')
    .replace(/[。.!！]+$/, '')
  const found = WORDS.find(([word]) => trimmed.startsWith(word))
  if (!found) {
    const shown = trimmed.slice(0, 12)
    return { problem: `「${shown}」不是移出原因。${REMOVAL_HOW}` }
  }
  const [word, reason] = found
  const note = trimmed
    .slice(word.length)
    .replace(/^了/, '')
    .replace(/^[\s:：,，、;；-]+/, '')
    .trim()
  if (note === '') {
    if (reason === '其他') {
      return { problem: '选「其他」请写明原因，如「其他 户口注销」。' }
    }
    return { removal: { reason } }
  }
  if (INVISIBLE.test(note) || /\n/.test(note)) {
    return { problem: '原因说明里有看不见的字符或换行，请写成一行，如「迁出 搬到县城」。' }
  }
  if ([...note].length > REMOVAL_NOTE_MAX) {
    return {
      problem: `原因说明有 ${[...note].length} 个字，最多 ${REMOVAL_NOTE_MAX} 个字，请简短些，如「迁出 搬到县城」。`,
    }
  }
  return { removal: { reason, note } }
}

// `原因 重复登记`, `因为：录错了`, `理由 重复`: why a visit, payment or activity is withdrawn.
const WITHDRAW_REASON = /^(?:原因|理由|因为)\s*[:：]?\s*(.*)$/s

/**
 * The reason written after the numbers of records that are no person (`撤销 #13 原因 重复登记`):
 * undefined when the words do not start with 原因/理由/因为; a problem when the reason is empty,
 * longer than REMOVAL_NOTE_MAX or not one line. It is stored with the withdrawal (the store
 * checks it again, withdrawReasonSchema, whose bound is wider) and shown.
 */
export function readWithdrawReason(
  text: string,
): { reason: string } | { problem: string } | undefined {
  const m = WITHDRAW_REASON.exec(text.trim())
  if (!m) return undefined
  const reason = m[1]!.replace(/[。.!！]+$/, '').trim()
  if (reason === '') return { problem: '请在「原因」后写明原因，如「撤销 #128 原因 重复登记」。' }
  if (INVISIBLE.test(reason) || /\n/.test(reason)) {
    return { problem: '原因里有看不见的字符或换行，请写成一行，如「原因 重复登记」。' }
  }
  if ([...reason].length > REMOVAL_NOTE_MAX) {
    return {
      problem: `原因有 ${[...reason].length} 个字，最多 ${REMOVAL_NOTE_MAX} 个字，请简短些，如「原因 重复登记」。`,
    }
  }
  return { reason }
}
