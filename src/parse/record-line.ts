import { findAmount, decodeChineseInteger, MEASURE_WORDS } from './amount.js'
import {
  pickDate,
  scanDateWords,
  type DateMatch,
  type DateOptions,
  type ImpossibleDate,
} from './date.js'
import { findOccasion, type Occasion } from '../occasions.js'

/** What one line such as `走访 张三 7月28日 八一 慰问金500元 米一袋 油一桶 备注 腿脚不便` says. */
export interface RecordLine {
  /** Words left once every recognised field is cut out: the person, unit or kind named. */
  words: string[]
  date?: string
  /**
   * How the date was read: the words it took (`八一前一周`), its kind, and whether its year was
   * written or picked by the past rule (for the year-ambiguity and future-date checks).
   */
  dateRead?: DateMatch
  /** A date that was meant but does not exist (`11月31日`): the command refuses the line. */
  impossibleDate?: ImpossibleDate
  /** 八一, 春节, 元旦, 日常 or 困难帮扶 when written (any of their words, occasions.ts). */
  occasion?: Occasion
  amountFen?: number
  goods: { name: string; quantity: number; unit: string }[]
  /** `人数40` / `40人`. */
  count?: number
  /** Text after 备注/需求/困难: kept verbatim. */
  note?: string
}

const AMOUNT_LABELS = ['慰问金', '现金', '金额', '发放', '优待金']

// Goods counted in a measure word (amount.ts); `米一袋` = rice × 1 bag.
const UNIT = `(${MEASURE_WORDS.join('|')})`
const GOODS = new RegExp(`^(.{1,8}?)([0-9]+|[一二两三四五六七八九十百]+)${UNIT}$`)
// One item of several written together (`米2袋油1桶`): a name with no numeral in it.
const GOODS_ITEM = new RegExp(
  `([^0-9一二两三四五六七八九十百]{1,8}?)([0-9]+|[一二两三四五六七八九十百]+)${UNIT}`,
  'y',
)
// A goods name that is only a numeral (`三十斤` is no item called 三).
const NUMERAL_ONLY = /^[0-9零〇一二两三四五六七八九十百千万]+$/

// After a space or a punctuation mark (`…油1桶。备注：…` folds to `.备注:`); 困难帮扶 is an
// occasion, not the start of a need.
const NOTE = /(?:^|[\s,.;，。；、])(?:备注|需求|困难(?!帮扶)|问题)\s*[:：]?\s*(.*)$/s
// Between spaces or list punctuation, and before a closing 。!? (`人数40。`).
const COUNT =
  /(?:^|[\s,，、;；])(?:人数\s*[:：]?\s*(\d+)|(\d+)\s*(?:人|名|人次))(?=[\s,，、;；。!?]|$)/
// Between the fields: spaces and the punctuation a phone keyboard puts in a line.
const SEPARATORS = /[\s,，、;；。!?]+/
// A token with no letter or digit in it (a lone `.` or `…`) names no one.
const MEANINGFUL = /[\p{L}\p{N}]/u
// What is said around an occasion is part of it: 春节前, 春节期间, 春节慰问, 八一前走访慰问 (not
// the label of 春节慰问金500元). 春节前 names the season, not a day: only `春节前一周` and the like
// are a day (date.ts), read before this.
const OCCASION_TAIL = '(?:前夕|前后|期间|前)?(?:走访|看望|探望)?(?:慰问(?![金品]))?'
const AFTER_OCCASION = new RegExp(`^${OCCASION_TAIL}`)
// 迎春 and 新春 (迎春慰问, 迎新春走访) say the 春节 season as a word of their own.
const SPRING_WORD = new RegExp(`^(?:迎新春|迎春|新春)${OCCASION_TAIL}$`)
// Words of a line that only say what it is (`春节 慰问`, `走访 慰问 张三`): they name no one.
const FILLER = /^(?:前|节前|走访|慰问|看望|探望|走访慰问|慰问走访)$/

/**
 * Whether `text`, sent as the answer to a form's question, is a new record instead: it names
 * someone and has a date or an occasion (`走仿 张三 今天 日常`, `李三 7月19日`). A form then
 * says the message was not read rather than taking it for an amount (docs/forms.md).
 */
export function looksLikeRecordLine(
  text: string,
  options: Omit<DateOptions, 'direction'>,
): boolean {
  const line = parseRecordLine(text, options)
  const dated = line.date !== undefined || line.impossibleDate !== undefined
  return line.words.length > 0 && (dated || line.occasion !== undefined)
}

/**
 * Cuts the fields of a record line out of folded text, in an order that keeps one field
 * from being read as another: the note first (free text), then the date (so `7.28` is not
 * money), the occasion, the count, the amount, then goods. Pure; never throws.
 */
export function parseRecordLine(text: string, options: Omit<DateOptions, 'direction'>): RecordLine {
  let rest = ` ${text} `
  const line: RecordLine = { words: [], goods: [] }

  const note = NOTE.exec(rest)
  if (note) {
    line.note = note[1]!.trim() || undefined
    rest = rest.slice(0, note.index)
  }

  // Named and cut out first, so `杨福凤11月31日` is not looked up as a name. One scan serves
  // both unless an impossible date was cut out (rare), which moves every later span.
  const past = Object.assign({}, options, { direction: 'past' as const })
  let words = scanDateWords(rest, past)
  const impossible = words.impossible[0]
  if (impossible) {
    line.impossibleDate = impossible
    rest = `${rest.slice(0, impossible.start)} ${rest.slice(impossible.end)}`
    words = scanDateWords(rest, past)
  }

  const date = pickDate(rest, words.dates, { occasions: false })
  if (date) {
    line.date = date.date
    line.dateRead = date
    rest = `${rest.slice(0, date.start)} ${rest.slice(date.end)}`
  }

  const occasion = findOccasion(rest)
  if (occasion) {
    line.occasion = occasion.occasion
    const end = occasion.end + AFTER_OCCASION.exec(rest.slice(occasion.end))![0].length
    rest = `${rest.slice(0, occasion.start)} ${rest.slice(end)}`
  }

  const count = COUNT.exec(rest)
  if (count) {
    line.count = Number(count[1] ?? count[2])
    rest = `${rest.slice(0, count.index)} ${rest.slice(count.index + count[0].length)}`
  }

  const amount = findAmount(rest, AMOUNT_LABELS)
  if (amount) {
    line.amountFen = amount.fen
    rest = `${rest.slice(0, amount.start)} ${rest.slice(amount.end)}`
  }

  for (const token of rest.split(SEPARATORS).filter((t) => MEANINGFUL.test(t))) {
    const goodsText = token.replace(/^(?:慰问品|物品)[:：]?/, '')
    const together = goodsWrittenTogether(goodsText)
    const goods = GOODS.exec(goodsText)
    const quantity = goods ? quantityOf(goods[2]!) : undefined
    if (together) {
      line.goods.push(...together)
    } else if (goods && quantity !== undefined && !NUMERAL_ONLY.test(goods[1]!)) {
      line.goods.push({ name: goods[1]!, quantity, unit: goods[3]! })
    } else if (!/^(?:慰问品|物品|慰问金|现金)[:：]?$/.test(token) && !FILLER.test(token)) {
      line.words.push(token)
    }
  }
  // Beside a name only: alone, 迎春 may be part of one (王迎春), and is looked up.
  const spring = line.occasion ? -1 : line.words.findIndex((w) => SPRING_WORD.test(w))
  if (spring >= 0 && line.words.length > 1) {
    line.occasion = '春节'
    line.words.splice(spring, 1)
  }
  return line
}

/**
 * `米2袋油1桶` as two items, when the token is nothing but two or more `name numeral unit`
 * runs; otherwise undefined (the single-item reading applies: `米一袋`).
 */
function goodsWrittenTogether(text: string): RecordLine['goods'] | undefined {
  const items: RecordLine['goods'] = []
  GOODS_ITEM.lastIndex = 0
  for (let m = GOODS_ITEM.exec(text); m; m = GOODS_ITEM.exec(text)) {
    const quantity = quantityOf(m[2]!)
    if (quantity === undefined) return undefined
    items.push({ name: m[1]!, quantity, unit: m[3]! })
    if (GOODS_ITEM.lastIndex === text.length) return items.length > 1 ? items : undefined
  }
  return undefined
}

function quantityOf(numeral: string): number | undefined {
  if (/^\d+$/.test(numeral)) return Number(numeral)
  const decoded = decodeChineseInteger(numeral)
  return decoded === undefined ? undefined : Number(decoded)
}
