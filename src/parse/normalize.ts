import * as OpenCC from 'opencc-js/t2cn'

// OpenCC's traditional → mainland-simplified table (opencc-js, Apache-2.0): the same
// dictionaries the desktop OpenCC uses, so 登記/鐵爐嘴/優待金 fold the way a cadre expects.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' })

type Dict = string | readonly (readonly [string, string])[]

/**
 * Every character that some entry of the converter's dictionaries changes: one the entry's
 * replacement does not keep in place. A text with none of them converts to itself, whatever
 * entries match in it. Undefined when the dictionaries are not where this looks (a new
 * opencc-js): then every text is converted.
 */
function changedCharacters(): Set<string> | undefined {
  const configs = OpenCC.Locale.configs as unknown as Record<
    string,
    { normalizationChain?: Dict[][]; conversionChain?: Dict[][] } | undefined
  >
  // Converter({ from: 't', to: 'cn' }) is the t2s configuration.
  const config = configs.t2s
  if (!config?.conversionChain) return undefined
  const changed = new Set<string>()
  for (const dict of [...(config.normalizationChain ?? []), ...config.conversionChain].flat()) {
    const entries =
      typeof dict === 'string' ? dict.split('|').map((entry) => entry.split(' ')) : dict
    for (const [from = '', to = ''] of entries) {
      const source = [...from]
      const target = [...to]
      source.forEach((c, i) => {
        if (source.length !== target.length || target[i] !== c) changed.add(c)
      })
    }
  }
  return changed.size > 0 ? changed : undefined
}

const CHANGED = changedCharacters()

/** False when opencc-js no longer exposes its tables where changedCharacters looks. */
export const SKIPS_UNCHANGED_TEXT = CHANGED !== undefined

/**
 * `text` in mainland simplified characters. Skipped for a text with no character the tables
 * change: most cadres type simplified, and the conversion was 2% of a visit's CPU.
 */
export function simplify(text: string): string {
  if (CHANGED === undefined) return toSimplified(text)
  for (const c of text) if (CHANGED.has(c)) return toSimplified(text)
  return text
}

const ZERO_WIDTH = /[\u200b-\u200d\ufeff]/g

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * Folds what a cadre types on a phone into one canonical form, once, on the way in:
 * traditional → simplified, full-width digits/letters/punctuation → half-width (NFKC),
 * ideographic space and runs of whitespace → one space. A lone surrogate (half of an emoji a
 * keyboard cut, or a forged message) is dropped: nothing could store or show it. Pure; never
 * throws.
 */
export function foldText(input: string): string {
  // The script conversion last, once zero-width characters are gone: 乾\u200b隆 is the
  // phrase 乾隆, not 干 beside 隆; foldWithOffsets converts in the same order.
  const spaced = input
    .replace(LONE_SURROGATE, '')
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(/[ \t\u3000\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim()
  return simplify(spaced)
}

/** A text as foldText folds it, and where in the input each folded character came from. */
export interface FoldedOffsets {
  text: string
  /** `at[i]`: the index in the input of the character (or cluster) folded[i] was made from. */
  at: readonly number[]
}

const MARK = /^\p{M}/u

// NFKC of one character, and whether it is a mark, as read once: a note is a few dozen
// characters, most of them in every note. Cleared past a bound, so no input grows it for long.
const NFKC_OF = new Map<string, string>()
const IS_MARK = new Map<string, boolean>()
const MEMO_LIMIT = 20_000

function nfkcOf(c: string): string {
  let folded = NFKC_OF.get(c)
  if (folded === undefined) {
    if (NFKC_OF.size >= MEMO_LIMIT) NFKC_OF.clear()
    folded = c.normalize('NFKC')
    NFKC_OF.set(c, folded)
  }
  return folded
}

function isMark(c: string): boolean {
  let mark = IS_MARK.get(c)
  if (mark === undefined) {
    if (IS_MARK.size >= MEMO_LIMIT) IS_MARK.clear()
    mark = MARK.test(c)
    IS_MARK.set(c, mark)
  }
  return mark
}

/** Printable ASCII or a CJK ideograph. */
function isPlain(code: number): boolean {
  return (code >= 0x20 && code < 0x7f) || (code >= 0x4e00 && code <= 0x9fff)
}

/**
 * foldText's steps but the script conversion, traced: `at[i]` is where the i-th character
 * came from. The conversion is left out because it changes no offset when it keeps the text's
 * length (foldWithOffsets checks; typedTail checks what it finds instead). Undefined when NFKC
 * composes across characters in a way one character at a time does not follow.
 */
function traceFold(input: string): FoldedOffsets | undefined {
  // Lone surrogates out; NFKC a character (with the marks after it) at a time.
  let text = ''
  let at: number[] = []
  let lone = false
  // The character being read with the marks after it (from input[clusterAt]), NFKC'd together.
  let cluster = ''
  let clusterAt = 0
  for (let i = 0; i <= input.length; i++) {
    const code = i < input.length ? input.charCodeAt(i) : -1
    const next = i + 1 < input.length ? input.charCodeAt(i + 1) : -1
    // Printable ASCII and CJK ideographs are kept by NFKC and are no marks: taken as they are,
    // unless a mark follows, which NFKC may compose with them (`e` and U+0301 are `é`).
    const plain = isPlain(code) && !(next >= 0x300 && !isPlain(next) && isMark(input[i + 1]!))
    // The character at i when it is not plain; '' at the end.
    let c = ''
    if (code >= 0 && !plain) {
      const high = code >= 0xd800 && code <= 0xdbff
      if (high && next >= 0xdc00 && next <= 0xdfff) c = input.slice(i, i + 2)
      else if (high || (code >= 0xdc00 && code <= 0xdfff)) {
        lone = true
        continue
      } else c = input[i]!
    }
    // A cluster ends where a character that is no mark begins, and at the end.
    if (cluster !== '' && (c === '' || !isMark(c))) {
      const folded = cluster.length === 1 ? nfkcOf(cluster) : cluster.normalize('NFKC')
      text += folded
      for (let k = 0; k < folded.length; k++) at.push(clusterAt)
      cluster = ''
    }
    if (plain) {
      text += input[i]!
      at.push(i)
    } else if (c !== '') {
      if (cluster === '') clusterAt = i
      cluster += c
      i += c.length - 1
    }
  }
  const whole = lone ? input.replace(LONE_SURROGATE, '') : input
  if (text !== whole && text !== whole.normalize('NFKC')) return undefined
  // The rest of foldText, each replacement's characters taken from where its match began; a
  // match that is already what it is replaced by (one space, a bare newline) is left alone.
  const steps: [RegExp, string][] = [
    [ZERO_WIDTH, ''],
    [/[ \t\u3000\u00a0]+/g, ' '],
    [/ *\n */g, '\n'],
  ]
  for (const [pattern, by] of steps) {
    let out = ''
    const outAt: number[] = []
    let from = 0
    for (const m of text.matchAll(pattern)) {
      if (m[0] === by) continue
      out += text.slice(from, m.index)
      for (let k = from; k < m.index; k++) outAt.push(at[k]!)
      out += by
      for (let k = 0; k < by.length; k++) outAt.push(at[m.index]!)
      from = m.index + m[0].length
    }
    if (from === 0) continue
    out += text.slice(from)
    for (let k = from; k < text.length; k++) outAt.push(at[k]!)
    text = out
    at = outAt
  }
  const start = text.length - text.trimStart().length
  const end = text.trimEnd().length
  return { text: text.slice(start, end), at: at.slice(start, Math.max(start, end)) }
}

/**
 * `input` folded as foldText folds it, with each folded character's source: the fold is not
 * char-for-char (NFKC turns `…` into `...`, runs of spaces become one, zero-width characters go),
 * so an offset in the folded text is mapped, not carried over. Undefined when a step cannot be
 * followed character by character (NFKC composing across clusters, a script conversion that
 * changes the length): the caller then keeps the folded text.
 */
export function foldWithOffsets(input: string): FoldedOffsets | undefined {
  const traced = traceFold(input)
  if (traced === undefined) return undefined
  const text = simplify(traced.text)
  return text.length === traced.text.length ? { text, at: traced.at } : undefined
}

/**
 * Free text as typed, for storing: the characters foldText drops because nothing could store or
 * show them (lone surrogates, zero-width characters) left out, trimmed. Punctuation, script and
 * spacing stay as typed.
 */
export function asTyped(text: string): string {
  return text.replace(LONE_SURROGATE, '').replace(ZERO_WIDTH, '').trim()
}

/**
 * The typed text whose fold is `tail`, a tail of `folded` = foldText(`typed`): `家中老人身體尚好，
 * 需要輪椅` for the folded note `家中老人身体尚好,需要轮椅`, as typed (asTyped). Undefined when
 * `folded` is not the fold of `typed`, `tail` is not its tail, the tail starts inside what one
 * typed character folded to (`…` → `...`), or what was found does not fold back to `tail`: the
 * caller then keeps the folded text.
 */
export function typedTail(typed: string, folded: string, tail: string): string | undefined {
  if (!folded.endsWith(tail)) return undefined
  if (tail === '') return ''
  // Traced without the script conversion (a third of the cost): it moves no offset when it
  // keeps the length, and what is found is checked against the tail at the end.
  const map = traceFold(typed)
  if (map === undefined || map.text.length !== folded.length) return undefined
  const start = folded.length - tail.length
  const from = map.at[start]!
  if (start > 0 && map.at[start - 1] === from) return undefined
  const found = asTyped(typed.slice(from))
  // It folds back to the tail, or it is not the tail's typed text (a conversion that moved
  // offsets; a zero-width character between a letter and its mark, which folds apart).
  return foldText(found) === tail ? found : undefined
}

/**
 * The typed text whose fold is `folded.slice(start, end)` (its ends trimmed), `folded` being
 * foldText(`typed`): the typed tail from `start` without the typed tail from `end`, both found
 * by typedTail. Undefined when either cannot be found or what is left does not fold back to the
 * span: the caller then keeps the folded text.
 */
export function typedSpan(
  typed: string,
  folded: string,
  start: number,
  end: number,
): string | undefined {
  const span = folded.slice(start, end)
  const text = span.trim()
  if (text === '') return undefined
  // typedTail finds a tail that folds to itself: one starting with a space never does.
  const from = start + span.length - span.trimStart().length
  const after = folded.slice(end).trimStart()
  const whole = typedTail(typed, folded, folded.slice(from))
  const rest = after === '' ? '' : typedTail(typed, folded, after)
  if (whole === undefined || rest === undefined || !whole.endsWith(rest)) return undefined
  const found = whole.slice(0, whole.length - rest.length).trim()
  return foldText(found) === text ? found : undefined
}

/** A list's number at a line's start (`1、`, `2.`, `(3)`, `四、`), folded; never `1.5万`. */
const LIST_MARKER = /^(?:\(\d{1,2}\)|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[、.)])\s*(?!\d)/

/**
 * A folded message of several lines each numbered as a list (`1、走访 李三 今天\n2、走访 张三
 * 今天`, a tester) without the numbers, so each line is read as sent alone; any other text as it
 * is. Only when every line is numbered: one numbered line may be a record's own text.
 */
export function withoutListNumbers(text: string): string {
  const lines = text.split('\n')
  if (lines.length < 2) return text
  if (lines.every((line) => LIST_MARKER.test(line))) {
    return lines.map((line) => line.replace(LIST_MARKER, '')).join('\n')
  }
  // `①走访 李三` folds to `1走访 李三`: numbers run together with the text count only when they
  // run 1, 2, 3… down the lines and are no date or count (`1月5日…`, `2户…`).
  if (
    lines.every(
      (line, i) =>
        line.startsWith(String(i + 1)) &&
        /^\d{1,2}(?![月日号点时年元万千百块岁人户次个条])\p{Script=Han}/u.test(line),
    )
  ) {
    return lines.map((line, i) => line.slice(String(i + 1).length)).join('\n')
  }
  return text
}
