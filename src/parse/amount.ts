import Nzh from 'nzh'

/**
 * Money typed by cadres (`500`, `五百元`, `1.5万`, `伍佰元整`) as integer fen (分).
 * Input is expected to be folded already (src/parse/normalize.ts); nothing here throws.
 */

/** 10^10 yuan (100亿元): no 双拥 payment comes near it, so anything above is a slip. */
const MAX_FEN = 10 ** 12

/** 大写 digits and units, the ones printed on receipts; users paste them, so they are accepted. */
const FINANCIAL_TO_PLAIN: Record<string, string> = {
  壹: '一',
  贰: '二',
  叁: '三',
  // 參, the traditional 叁, folds to 参 (opencc): 參佰元 is 300 元 (a tester's was refused).
  参: '三',
  肆: '四',
  伍: '五',
  陆: '六',
  柒: '七',
  捌: '八',
  玖: '九',
  拾: '十',
  佰: '百',
  仟: '千',
  两: '二',
  〇: '零',
}

const CN_DIGIT = '零〇一二两三四五六七八九壹贰叁参肆伍陆柒捌玖'
const CN_NUMERAL = `${CN_DIGIT}十百千万亿拾佰仟`

/** Power of ten of a trailing multiplier (`1.5万`, `3千`, `2k`, `1.5w`). */
const MULTIPLIER: Record<string, number> = {
  十: 1,
  百: 2,
  千: 3,
  万: 4,
  十万: 5,
  百万: 6,
  千万: 7,
  亿: 8,
  k: 3,
  K: 3,
  w: 4,
  W: 4,
}
const MULTIPLIER_SOURCE = '千万|百万|十万|亿|万|千|百|十|[kKwW]'

const ARABIC = new RegExp(`^(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?\\s*(${MULTIPLIER_SOURCE})?$`)
const CHINESE_DECIMAL = new RegExp(
  `^([${CN_NUMERAL}]+)点([${CN_DIGIT}]+)(${MULTIPLIER_SOURCE.replace('|[kKwW]', '')})?$`,
)
const CHINESE_INTEGER = new RegExp(`^[${CN_NUMERAL}]+$`)
const PREFIX = /^(?:¥|人民币|RMB)\s*/i
const SUFFIX = /\s*(?:元整?|圆整?|块钱?整?)$/

/**
 * Parses a whole string as an amount of money and returns integer fen (分).
 * `undefined` means "not an amount we can trust": empty, negative, not a number, more than
 * 2 decimals of 元 (`8.600元` is more likely a slip than 8.6 元), fractions of a fen, or > 10^12 fen.
 */
export function parseAmountFen(text: string): number | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined
  const body = text.trim().replace(PREFIX, '').replace(SUFFIX, '').trim()
  if (body === '') return undefined
  const arabic = ARABIC.exec(body)
  if (arabic) {
    const fraction = arabic[2] ?? ''
    const power = arabic[3] === undefined ? 0 : MULTIPLIER[arabic[3]]!
    if (power === 0 && fraction.length > 2) return undefined
    return toFen(arabic[1]!.replaceAll(',', ''), fraction, power)
  }
  // `5千8`, `1万2`: said as 五千八, 一万二, the digit after the unit in the next unit down.
  const spoken = SPOKEN_ARABIC.exec(body)
  if (spoken) {
    const power = spoken[2] === '万' ? 4 : 3
    return toFen(
      String(Number(spoken[1]) * 10 ** power + Number(spoken[3]) * 10 ** (power - 1)),
      '',
      0,
    )
  }
  return parseChineseAmount(body)
}

const SPOKEN_ARABIC = /^(\d{1,4})\s*([千万])\s*(\d)$/

function parseChineseAmount(body: string): number | undefined {
  const decimal = CHINESE_DECIMAL.exec(body)
  if (decimal) {
    const integer = decodeChineseInteger(decimal[1]!)
    if (integer === undefined) return undefined
    const fraction = [...decimal[2]!].map((c) => String(digitValue(c))).join('')
    const power = decimal[3] === undefined ? 0 : MULTIPLIER[decimal[3]]!
    if (power === 0 && fraction.length > 2) return undefined
    // `一万点五万` is nonsense: a multiplier applies to a plain number only.
    if (power > 0 && /[万亿]/.test(decimal[1]!)) return undefined
    return toFen(integer, fraction, power)
  }
  if (!CHINESE_INTEGER.test(body)) return undefined
  const integer = decodeChineseInteger(body)
  return integer === undefined ? undefined : toFen(integer, '', 0)
}

function digitValue(char: string): number {
  const plain = FINANCIAL_TO_PLAIN[char] ?? char
  return '零一二三四五六七八九'.indexOf(plain)
}

/** A whole number as written: `40`, or in characters `十五`, `两千`; undefined when neither. */
export function wholeNumberOf(written: string): number | undefined {
  if (/^\d+$/.test(written)) return Number(written)
  const value = decodeChineseInteger(written)
  return value === undefined ? undefined : Number(value)
}

/**
 * A Chinese integer numeral (小写 or 大写, 两, colloquial `一万五`) as a digit string;
 * undefined when it is not a well-formed numeral (`五五五`, `万`).
 */
export function decodeChineseInteger(numeral: string): string | undefined {
  // nzh 1.0.14 silently skips characters it does not know (`abc` → 0), reads 两 as nothing and
  // `一万五` as 10005: so canonicalise first, and keep nzh's value only if it encodes back.
  let plain = [...numeral].map((c) => FINANCIAL_TO_PLAIN[c] ?? c).join('')
  if (!/^[零一二三四五六七八九十百千万亿]+$/.test(plain)) return undefined
  // One numeral alone (`米一袋`, the usual count of goods) needs no library: the same answer,
  // without nzh's encode-back check, which is most of a visit line's parsing.
  if (plain.length === 1 && plain !== '零') {
    const single = '一二三四五六七八九十'.indexOf(plain)
    if (single >= 0) return String(single + 1)
  }
  // Colloquial short forms: 一万五 = 一万五千, 三百五 = 三百五十, 一亿五 = 一亿五千万.
  const shortForm = /([百千万亿])([一二三四五六七八九])$/.exec(plain)
  if (shortForm) {
    const next: Record<string, string> = { 百: '十', 千: '百', 万: '千', 亿: '千万' }
    plain += next[shortForm[1]!]!
  }
  let decoded: string
  try {
    decoded = String(Nzh.cn.decodeS(plain))
  } catch {
    return undefined
  }
  if (!/^\d+$/.test(decoded)) return undefined
  const canonical = [Nzh.cn.encodeS(decoded), Nzh.cn.encodeS(decoded, { tenMin: false })]
  return canonical.includes(plain) ? decoded : undefined
}

/**
 * `integer.fraction × 10^power` yuan in fen, by shifting the decimal point in the digit
 * string: floats would turn 1.1万 into 1099999.9999 fen.
 */
function toFen(integer: string, fraction: string, power: number): number | undefined {
  const shift = power + 2
  let digits: string
  if (fraction.length > shift) {
    const rest = fraction.slice(shift)
    if (/[^0]/.test(rest)) return undefined
    digits = integer + fraction.slice(0, shift)
  } else {
    digits = integer + fraction.padEnd(shift, '0')
  }
  digits = digits.replace(/^0+(?=\d)/, '')
  if (digits.length > 13) return undefined
  const fen = Number(digits)
  return Number.isSafeInteger(fen) && fen <= MAX_FEN ? fen : undefined
}

/**
 * Fen as yuan for replies and ledgers: thousands separators, two decimals only when there are
 * fen (7180000 → `71,800`, 50050 → `500.50`, 5 → `0.05`). Never uses 万 (conversations.md).
 * A non-integer is rounded to the nearest fen first.
 */
export function formatYuan(fen: number): string {
  if (!Number.isFinite(fen)) return String(fen)
  const rounded = Math.round(fen)
  const sign = rounded < 0 ? '-' : ''
  const abs = Math.abs(rounded)
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return cents === 0 ? `${sign}${grouped}` : `${sign}${grouped}.${String(cents).padStart(2, '0')}`
}

/**
 * Fen as the user would type the amount back in a command shown as an example: `5800元`, no
 * thousands separators (`5,800元` is read, but a cadre copying an example should not have to).
 */
export function typedYuan(fen: number): string {
  return `${formatYuan(fen).replace(/,/g, '')}元`
}

export interface AmountMatch {
  /** Integer fen. */
  fen: number
  /** UTF-16 offsets into the searched text; with a label, the span starts at the label. */
  start: number
  end: number
}

// `人民币伍仟捌佰元整`, `五千八百块钱整`: the receipt's words around an amount (a tester).
const MONEY_PREFIX_AT = '(?:(?:¥|人民币|RMB)\\s*)?'
const MONEY_SUFFIX_AT = '(?:\\s*(?:元整?|圆整?|块钱?整?))?'
const ARABIC_AT = new RegExp(
  `${MONEY_PREFIX_AT}(?:\\d{1,4}\\s*[千万]\\s*\\d(?![\\d.])|\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:\\s*(?:${MULTIPLIER_SOURCE}))?${MONEY_SUFFIX_AT}`,
  'y',
)
const CHINESE_AT = new RegExp(
  `${MONEY_PREFIX_AT}[${CN_NUMERAL}]+(?:点[${CN_DIGIT}]+)?${MONEY_SUFFIX_AT}`,
  'y',
)
const PREFIX_AT = /^(?:¥|人民币|RMB)\s*/i
const LABEL_GAP = /[\s:=为是]*/y

/**
 * The amount inside free text (`慰问金500元` → 50000 fen) with its span, which starts at the
 * label when one of `labels` precedes it; `undefined` when there is none. Cut dates out first.
 */
export function findAmount(text: string, labels?: readonly string[]): AmountMatch | undefined {
  if (typeof text !== 'string') return undefined
  // Preference: an amount right after a label; else the first with a money mark (¥, 元, 块钱,
  // 万…); else a token of digits only (`8600`), which is why `7.28` must be cut out beforehand.
  for (const label of labels ?? []) {
    if (label === '') continue
    for (let at = text.indexOf(label); at >= 0; at = text.indexOf(label, at + 1)) {
      LABEL_GAP.lastIndex = at + label.length
      LABEL_GAP.exec(text)
      const found = amountAt(text, LABEL_GAP.lastIndex, false)
      if (found) return { fen: found.fen, start: at, end: found.end }
    }
  }
  for (let i = 0; i < text.length; i++) {
    const found = amountAt(text, i, true)
    if (found) return found
  }
  return findBareToken(text)
}

/**
 * The measure words goods are counted in (`米一袋`, `猪肉5斤`, `鸡蛋一筐`, `大米50千克`), longest
 * first (`公斤` before `斤`). Kept to the ones a township hands out, and none the usual last
 * character of a name; 块 counts money as often as goods (hasMoneyMark), so it is not one.
 * record-line.ts reads goods with them.
 */
export const MEASURE_WORDS: readonly string[] =
  '公斤 千克 袋 桶 箱 件 个 份 床 套 瓶 斤 盒 提 条 只 包 壶 对 张 台 束 克 升 筐 篮 篓 副 幅 罐 捆 卷 双 挂 串'.split(
    ' ',
  )

/**
 * What may not follow a number for it to be money: more digits, or a date, time or counted
 * goods (`7月`, `9点`, `米一袋`, `40人`, `50千克`: not 50千 元).
 */
const NOT_MONEY_AFTER = new RegExp(
  `^(?:[\\d:/\\-%月日号年点时分户人名次]|${MEASURE_WORDS.join('|')}|[.,]\\d)`,
)

/** The longest amount starting exactly at `index`; `marked` requires a money mark. */
function amountAt(text: string, index: number, marked: boolean): AmountMatch | undefined {
  const prefix = PREFIX_AT.exec(text.slice(index, index + 8))?.[0].length ?? 0
  const isArabicStart = /[\d¥]/.test(text[index + prefix] ?? '')
  if (isArabicStart && precededByNumber(text, index)) return undefined
  const pattern = isArabicStart ? ARABIC_AT : CHINESE_AT
  // A bounded window keeps a long run of numerals linear (parseAmountFen refuses > 64 anyway).
  pattern.lastIndex = 0
  const match = pattern.exec(text.slice(index, index + 64))
  if (!match) return undefined
  // Backtrack so that `五百元米` still finds the amount inside a longer run.
  for (let end = index + match[0].length; end > index; end--) {
    const candidate = text.slice(index, end)
    const after = text.slice(end)
    if (/[\d零一二两三四五六七八九十百千万亿]$/.test(candidate) && NOT_MONEY_AFTER.test(after))
      continue
    if (/元$/.test(candidate) && /^[旦宵]/.test(after)) continue
    if (marked && !hasMoneyMark(candidate, after)) continue
    const fen = parseAmountFen(candidate)
    if (fen !== undefined) return { fen, start: index, end: trimEnd(text, index, end) }
  }
  return undefined
}

/** `1,500` or `8600.50` seen from inside; a comma after a word (`张三,500元`) is punctuation. */
function precededByNumber(text: string, index: number): boolean {
  const before = text[index - 1] ?? ''
  if (/\d/.test(before)) return true
  return /[.,]/.test(before) && /\d/.test(text[index - 2] ?? '')
}

function hasMoneyMark(candidate: string, after: string): boolean {
  if (/^(?:¥|人民币|RMB)|[元圆]整?$/i.test(candidate)) return true
  // 块 counts goods as often as money (肥皂两块): only after digits, a numeral of hundreds or
  // more (五百块, 一千二百块), or as 块钱.
  if (/块钱整?$/.test(candidate) || /\d\s*块整?$/.test(candidate)) return true
  if (/[百千万][一二两三四五六七八九十]*块$/.test(candidate)) return true
  if (/^[\d,.]+\s*(?:千万|百万|十万|亿|万|千|[kKwW])$/.test(candidate)) return !/^[\w]/.test(after)
  if (/^\d{1,4}\s*[千万]\s*\d$/.test(candidate)) return true
  return /[万亿]/.test(candidate) && !/^[\d,.]/.test(candidate)
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end
  while (e > start && /\s/.test(text[e - 1]!)) e--
  return e
}

const FINANCIAL_TOKEN = /^[零〇壹贰叁参肆伍陆柒捌玖拾佰仟万亿一二两三四五六七八九十百千]+$/

/**
 * Digits alone, or Chinese numerals of hundreds or more said the way people say money
 * (`一千二`, `五百`, `三百五`): a shorter Chinese token is too often something else (`八一`, `三等`).
 */
function findBareToken(text: string): AmountMatch | undefined {
  const token = /\S+/g
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const spoken = /^[零一二两三四五六七八九十百千万]+$/.test(m[0]) && /[百千万]/.test(m[0])
    // 大写 as on a receipt (`叁仟`, `伍仟捌佰`): written for money only. A tester's 叁仟 was
    // read as a second person, and the family paid the full standard.
    const financial = FINANCIAL_TOKEN.test(m[0]) && /[拾佰仟]/.test(m[0])
    if (!/^[\d,.]+$/.test(m[0]) && !spoken && !financial) continue
    const fen = parseAmountFen(m[0])
    if (fen !== undefined) return { fen, start: m.index, end: m.index + m[0].length }
  }
  return undefined
}
