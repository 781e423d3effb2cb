import { findAmount, decodeChineseInteger } from './amount.js'
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

// Measure words goods are counted in; `米一袋` = rice × 1 bag. Kept to the ones cadres
// write on visit slips so a surname + numeral is not taken for goods.
const GOODS =
  /^(.{1,8}?)([0-9]+|[一二两三四五六七八九十百]+)(袋|桶|箱|件|个|份|床|套|瓶|斤|盒|提|条|只|包|壶|对|张|台|束)$/
// One item of several written together (`米2袋油1桶`): a name with no numeral in it.
const GOODS_ITEM =
  /([^0-9一二两三四五六七八九十百]{1,8}?)([0-9]+|[一二两三四五六七八九十百]+)(袋|桶|箱|件|个|份|床|套|瓶|斤|盒|提|条|只|包|壶|对|张|台|束)/y

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
    rest = `${rest.slice(0, occasion.start)} ${rest.slice(occasion.end)}`
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
    } else if (goods && quantity !== undefined && !/^\d+$/.test(goods[1]!)) {
      line.goods.push({ name: goods[1]!, quantity, unit: goods[3]! })
    } else if (!/^(?:慰问品|物品|慰问金|现金)[:：]?$/.test(token)) {
      line.words.push(token)
    }
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
