import { REPLY_WIDTH, displayWidth } from './display-width.js'

/** Marks a line may end with: a phrase ends after them. */
const BREAK_AFTER = new Set([...'，；、。：'])
/** Marks a line never starts with: no break is made before them. */
const NO_LINE_START = new Set([...'，；、。：）」”%'])
/** A parenthesis this short (`（社区）`, `（+4.2%）`) stays with the words before it. */
const SHORT_ASIDE = 6
/** Characters of one number or Latin word (`74,800`, `+4.2%`, `wecom:lisi`), never cut apart. */
const WORD_CHAR = /[0-9A-Za-z,.%+\-:]/

/**
 * `text` as phrases a line may break between: after a 「，；、。：」 (not before a closing mark
 * or a 「「」, so `核对：「导出 台账 2026」` stays whole) and before a longer 「（…）」.
 */
function phrasesOf(text: string): string[] {
  const chars = [...text]
  const phrases: string[] = []
  let current = ''
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    if (ch === '（' && current !== '') {
      const close = chars.indexOf('）', i)
      if (close < 0 || close - i > SHORT_ASIDE) {
        phrases.push(current)
        current = ''
      }
    }
    current += ch
    const next = chars[i + 1]
    if (BREAK_AFTER.has(ch) && next !== undefined && !NO_LINE_START.has(next) && next !== '「') {
      phrases.push(current)
      current = ''
    }
  }
  if (current !== '') phrases.push(current)
  return phrases
}

/**
 * A phrase wider than a line, cut into pieces of at most `width` columns: never inside a
 * number or Latin word that fits on a line, never before a closing mark.
 */
function cutPhrase(phrase: string, width: number): string[] {
  const chars = [...phrase]
  const pieces: string[] = []
  let start = 0
  while (start < chars.length) {
    let end = start
    let used = 0
    while (end < chars.length && used + displayWidth(chars[end]!) <= width) {
      used += displayWidth(chars[end]!)
      end++
    }
    if (end < chars.length) {
      let at = end
      while (at > start + 1 && WORD_CHAR.test(chars[at]!) && WORD_CHAR.test(chars[at - 1]!)) at--
      while (at > start + 1 && NO_LINE_START.has(chars[at]!)) at--
      if (at > start + 1) end = at
    }
    pieces.push(chars.slice(start, end).join(''))
    start = end
  }
  return pieces
}

/**
 * `text` broken into lines of at most `width` display columns (a phone's bubble, REPLY_WIDTH),
 * at its punctuation where it can, filled greedily. Nothing is added or dropped but spaces at
 * a break: the lines joined are the text again, so a reader can paste them back into one
 * sentence. Existing newlines are kept.
 */
export function wrapToWidth(text: string, width: number = REPLY_WIDTH): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    if (paragraph.trim() === '') {
      lines.push('')
      continue
    }
    let line = ''
    const flush = () => {
      if (line.trim() !== '') lines.push(line.trim())
      line = ''
    }
    for (const phrase of phrasesOf(paragraph)) {
      if (displayWidth(line + phrase) <= width) {
        line += phrase
        continue
      }
      flush()
      const pieces = cutPhrase(phrase.trimStart(), width)
      for (const piece of pieces.slice(0, -1)) lines.push(piece.trim())
      line = pieces.at(-1) ?? ''
    }
    flush()
  }
  return lines
}
