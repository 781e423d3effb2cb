import { REPLY_WIDTH, displayWidth } from './display-width.js'

/** Marks a line may end with: a phrase ends after them. */
const BREAK_AFTER = new Set([...'，；、。：'])
/** Marks a line never starts with: no break is made before them. */
const NO_LINE_START = new Set([...'，；、。：）」”%'])
/**
 * Closing marks after which a new phrase may begin (`（“合计”表）另有…`), outside an aside; not
 * a 「」」, which ends a command the words after it go with (`回复「未走访 八一」查看名单`).
 */
const CLOSING = new Set([...'）'])
/** A 「…：」 this narrow is a label (`最高：`, `全镇：`), kept with the words after it. */
const LABEL_COLUMNS = 6
/** A parenthesis this short (`（社区）`, `（+4.2%）`) stays with the words before it. */
const SHORT_ASIDE = 6
/** Characters of one number or Latin word (`74,800`, `+4.2%`, `wecom:lisi`), never cut apart. */
const WORD_CHAR = /[0-9A-Za-z,.%+\-:]/
/** A Han character (or kana, hangul): a word a Latin run or a number may follow. */
const HAN = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7a3]/u

/**
 * `text` as phrases a line may break between: after a 「，；、。：」 (not before a closing mark,
 * nor between a 「：」 and a 「「」, so `核对：「导出 台账 2026」` stays whole), after a closing
 * 「）」 that a word follows outside any aside (`（“合计”表）另有…`), and before a longer 「（…）」.
 */
function phrasesOf(text: string): string[] {
  const chars = [...text]
  const phrases: string[] = []
  let current = ''
  let depth = 0
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    if (ch === '（') depth++
    else if (ch === '）') depth = Math.max(0, depth - 1)
    if (ch === '（' && current !== '') {
      const close = chars.indexOf('）', i)
      if (close < 0 || close - i > SHORT_ASIDE) {
        phrases.push(current)
        current = ''
      }
    }
    current += ch
    const next = chars[i + 1]
    // `核对：「导出 台账 2026」` stays whole; `…」、「未发放 2026」` may break after its 、.
    if (next === undefined || NO_LINE_START.has(next) || (next === '「' && ch === '：')) continue
    // A short label stays with what it names (`最高：铁炉嘴村 …`, `全镇：应访 …`).
    const label = ch === '：' && displayWidth(current) <= LABEL_COLUMNS
    const afterMark = BREAK_AFTER.has(ch) && !label
    // A word after a closing mark begins the next phrase; an aside or a quote keeps its words.
    const afterClose = CLOSING.has(ch) && depth === 0 && next !== '（'
    if (afterMark || afterClose) {
      phrases.push(current)
      current = ''
    }
  }
  if (current !== '') phrases.push(current)
  return phrases
}

/** For each position of `chars`, whether a break there would fall inside a 「…」. */
function quotedAt(chars: readonly string[]): boolean[] {
  let depth = 0
  return chars.map((ch) => {
    const inside = depth > 0
    if (ch === '「') depth++
    else if (ch === '」') depth = Math.max(0, depth - 1)
    return inside && ch !== '」'
  })
}

/** How good a break inside a phrase is (breakQuality), best first; 0 is none. */
const BETWEEN_WORDS = 5
const AFTER_CLOSE = 4
const BEFORE_NUMBER = 3
const IN_COMMAND = 2
const IN_WORD = 1

/**
 * How good a break before `chars[at]` is inside a phrase (higher is better), 0 when there
 * must be none: at a space after a word (`春节走访 1 次`, never `68 户`'s number from its unit),
 * after a closing 「」」 or 「）」 (`回复「未走访 八一」查看…`), where a number or Latin word
 * follows a Han word (`铁炉嘴镇2026 年`), at a space inside a 「…」 (a command to send, cut only
 * when it is wider than what is left), and last between two Han characters (the middle of a
 * word: a township's name of more than 20 characters). Never before a closing mark, nor inside
 * a number or Latin word.
 */
function breakQuality(chars: readonly string[], at: number, quoted: readonly boolean[]): number {
  const before = chars[at - 1]!
  const after = chars[at]!
  if (NO_LINE_START.has(after)) return 0
  if (WORD_CHAR.test(before) && WORD_CHAR.test(after)) return 0
  if (after === ' ') return 0
  const afterWord = before === ' ' && at >= 2 && !WORD_CHAR.test(chars[at - 2]!)
  if (quoted[at]) return afterWord ? IN_COMMAND : IN_WORD
  if (before === ' ') return afterWord ? BETWEEN_WORDS : 0
  if (before === '」' || before === '）') return AFTER_CLOSE
  if (HAN.test(before) && WORD_CHAR.test(after)) return BEFORE_NUMBER
  return IN_WORD
}

/**
 * A phrase wider than a line, cut into pieces of at most `width` columns, each at its best
 * break (breakQuality): between words where there is one, in a Han word only where nothing
 * else fits (a township's name of more than 20 characters).
 */
function cutPhrase(phrase: string, width: number): string[] {
  const chars = [...phrase]
  const quoted = quotedAt(chars)
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
      let best = 0
      let at = end
      for (let i = end; i > start; i--) {
        const q = breakQuality(chars, i, quoted)
        if (q > best) [best, at] = [q, i]
        if (best === BETWEEN_WORDS) break
      }
      if (best > 0) end = at
      // Nowhere to break (a number wider than a line): cut where it fills.
      else if (end === start) end = start + 1
    }
    pieces.push(chars.slice(start, end).join(''))
    start = end
  }
  return pieces
}

/**
 * Where `phrase` may break between words so its head takes at most `room` columns: the
 * latest space after a word (breakQuality BETWEEN_WORDS) that fits, or 0 when there is none.
 */
function wordBreakWithin(phrase: string, room: number): number {
  const chars = [...phrase]
  const quoted = quotedAt(chars)
  let used = 0
  let at = 0
  for (let i = 0; i < chars.length; i++) {
    used += displayWidth(chars[i]!)
    if (used > room) break
    if (i + 1 < chars.length && breakQuality(chars, i + 1, quoted) === BETWEEN_WORDS) at = i + 1
  }
  return at
}

/**
 * `text` broken into lines of at most `width` display columns (a phone's bubble, REPLY_WIDTH),
 * at its punctuation or between its words, filled greedily; never in the middle of a word
 * while a break between words fits. A line less than half full takes the next phrase's
 * words up to a space rather than end short (`今天（12-02）铁炉嘴村登记走访` / `2 次（2 户），…`).
 * Nothing is added or dropped but spaces at a break: the lines joined are the text again, so
 * a reader can paste them back into one sentence. Existing newlines are kept.
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
    for (let phrase of phrasesOf(paragraph)) {
      if (displayWidth((line + phrase).trim()) <= width) {
        line += phrase
        continue
      }
      const used = displayWidth(line.trim())
      if (used > 0 && used < width / 2) {
        const at = wordBreakWithin(phrase, width - displayWidth(line.trimEnd()))
        if (at > 0) {
          const chars = [...phrase]
          line += chars.slice(0, at).join('')
          phrase = chars.slice(at).join('')
          flush()
          if (displayWidth(phrase.trim()) <= width) {
            line = phrase.trimStart()
            continue
          }
        }
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

/** Every line of `lines` broken to `width` (wrapToWidth), in order. */
export function wrapAll(lines: readonly string[], width: number = REPLY_WIDTH): string[] {
  return lines.flatMap((line) => wrapToWidth(line, width))
}
