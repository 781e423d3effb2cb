import { findAmount, decodeChineseInteger, MEASURE_WORDS, wholeNumberOf } from './amount.js'
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
  /**
   * Text after 备注/需求/困难/问题: kept verbatim (as folded); then, after 「；」, what the line
   * says that no field holds (`走访人 李书记`, `慰问品价值300元`), as written.
   */
  note?: string
  /**
   * Who went along, named after 走访人 or 陪同 (`走访人 李书记 王主任`), each as written. `note`
   * still says them for the records that have no such field (活动, 优待金).
   */
  visitors?: string[]
  /**
   * `note` without the clause naming the visitors, set when `visitors` is: a visit keeps them
   * as its record's visitors, and a need must not carry them into 待办.
   */
  noteWithoutVisitors?: string
  /** The word the note was written after: a 需求 is a need unless it says there is none. */
  noteLabel?: NoteLabel
}

export type NoteLabel = '备注' | '需求' | '困难' | '问题'

const AMOUNT_LABELS = ['慰问金', '现金', '金额', '发放', '优待金']

// Goods counted in a measure word (amount.ts); `米一袋` = rice × 1 bag. A count may be written
// in 大写 as on a receipt (`米壹袋`, `油贰桶`: a tester's were read as a person and dropped).
const UNIT = `(${MEASURE_WORDS.join('|')})`
const COUNT_NUMERALS = '一二两三四五六七八九十百壹贰叁肆伍陆柒捌玖拾佰'
const GOODS = new RegExp(`^(.{1,8}?)([0-9]+|[${COUNT_NUMERALS}]+)${UNIT}$`)
// One item of several written together (`米2袋油1桶`): a name with no numeral in it.
const GOODS_ITEM = new RegExp(
  `([^0-9${COUNT_NUMERALS}]{1,8}?)([0-9]+|[${COUNT_NUMERALS}]+)${UNIT}`,
  'y',
)
// A goods name that is only a numeral (`三十斤` is no item called 三).
const NUMERAL_ONLY = /^[0-9零〇一二两三四五六七八九十百千万]+$/

// After a space or a punctuation mark (`…油1桶。备注：…` folds to `.备注:`); 困难帮扶 is an
// occasion, not the start of a need.
const NOTE = /(?:^|[\s,.;，。；、])(备注|需求|困难(?!帮扶)|问题)\s*[:：]?\s*(.*)$/s
// Between spaces or list punctuation, and before a closing 。!? (`人数40。`).
// In digits or in characters (`人数十五`, `二十人`), as amounts may be written (a tester).
const COUNT =
  /(?:^|[\s,，、;；])(?:人数\s*[:：]?\s*(\d+|[零〇一二两三四五六七八九十百千万]+)|(\d+|[零〇一二两三四五六七八九十百千万]+)\s*(?:人|名|人次))(?=[\s,，、;；。!?]|$)/
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
// Words of a line that only say what it is (`春节 慰问`, `走访 慰问 张三`) or that something was
// given (`送了 慰问金200元`): they name no one.
const FILLER =
  /^(?:前|节前|走访|慰问|看望|探望|走访慰问|慰问走访|(?:赠送|送给|送|带|给|发|拿|捎|赠)(?:去了|上了|来了|了|去|上|来)?)$/
// Saying what was given before the money or goods: `送了慰问金二百元`, `送去米一袋`, `带了油一桶`,
// `李二送了200元`, `送米一袋`, `给200元`. The verb is cut before the amount and the goods are read,
// so neither is taken for a name (`送了` was looked up as one, `送了米` stored as goods). With its
// 了/去/上/来 it is cut wherever it stands (no name holds one); a bare 送 or 赠送 only where a word
// begins, and a bare 给, 带 or 发 only before money (带鱼2条 and 发糕 are goods).
const SEP = '\\s,，、;；。!?'
const NUMERAL_START = '零〇一二两三四五六七八九十百千万'
const GIVEN_MONEY = `(?=\\s*(?:慰问金|现金|红包|[¥\\d${NUMERAL_START}]))`
const GIVEN = `(?=\\s*(?:慰问金|慰问品|现金|红包|物品|礼品|[¥\\d${NUMERAL_START}]|[^${SEP}\\d${NUMERAL_START}]{1,8}?(?:[0-9]+|[${COUNT_NUMERALS}]+)${UNIT}))`
const GIVING = new RegExp(
  `(?:(?:赠送|送给|送|带|给|捎|拿|赠)(?:去了|上了|来了|了|去|上|来)|(?<=[${SEP}])(?:赠送|送给|送|赠))${GIVEN}|(?<=[${SEP}])(?:给|带|发)${GIVEN_MONEY}`,
  'g',
)
// After such a verb goods may be counted first, as said aloud (`送了两袋米、一桶油`): each item is
// put in the line's own order (`米两袋 油一桶`) before the goods are read. Only after the verb: a
// word such as 三台村 is no goods.
const COUNTED = `(?:[0-9]+|[${COUNT_NUMERALS}]+)`
const COUNTED_ITEM = `${COUNTED}(?:${MEASURE_WORDS.join('|')})[^${SEP}\\d${NUMERAL_START}和及]{1,8}?`
const GIVEN_COUNTED_FIRST = new RegExp(
  `(?:(?:赠送|送给|送|带|给|捎|拿|赠)(?:去了|上了|来了|了|去|上|来)|(?<=[${SEP}])(?:赠送|送给|送|赠))\\s*(${COUNTED_ITEM}(?:[、,，和及]${COUNTED_ITEM})*)(?=[${SEP}])`,
  'g',
)
const COUNTED_PARTS = new RegExp(`^(${COUNTED})${UNIT}(.+)$`)
// Goods written with spaces (`米 一袋`, `油 1 桶`, `月饼 2 盒`) are joined (`米一袋`) before the
// amount is read, so `2` is no cash and neither part is looked up as a name. Only a name that
// cannot be a person's: one character, or a word ending as goods do (大米, 食用油, 月饼, 被子),
// since `张三 2袋` names nobody's goods.
const GOODS_NAME = `(?:[^${SEP}\\d${NUMERAL_START}元]|[^${SEP}\\d${NUMERAL_START}元]{0,6}(?:[米面油饼粽奶果蛋肉鱼鸡鸭茶酒糖毯衣联货品菜药]|被子|饺子|汤圆|元宵|点心|糕点|饮料))`
const SPACED_GOODS = new RegExp(
  `(?<=[${SEP}])(${GOODS_NAME})[${SEP}]+(${COUNTED})[${SEP}]*(${MEASURE_WORDS.join('|')})(?=[${SEP}])`,
  'g',
)
// `米:1袋` (`米：1袋` folded), goods written as a form's label and value (a tester): as `米 1袋`.
const COLON_GOODS = new RegExp(
  `(?<=[${SEP}])(${GOODS_NAME})\\s*:\\s*(?=${COUNTED}[${SEP}]*(?:${MEASURE_WORDS.join('|')})(?=[${SEP}]))`,
  'g',
)

// A value of goods (`慰问品价值300元`) is not cash: kept as written in the 备注.
const GOODS_VALUE = new RegExp(
  `(?<=[${SEP}])(?:慰问品|物品|礼品)?价值[${SEP}]*(?:约|共|共计|合计)?[${SEP}]*(?:[0-9.]+|[${NUMERAL_START}]+)[${SEP}]*(?:元|块钱|块)?(?=[${SEP}])`,
)
// A negative amount (`慰问金-300元`) is kept whole as a word, so it is refused, not stored as 300.
const NEGATIVE_AMOUNT = new RegExp(
  `(?<=[${SEP}])(?:${['慰问金', '现金', '金额', '优待金'].join('|')})?[${SEP}]*-[${SEP}]*[0-9][0-9.,]*[${SEP}]*(?:元|块钱|块)?(?=[${SEP}])`,
)
// Who went with the cadre (`走访人 李书记 王主任`, `陪同 …`): the names after the mark.
const VISITOR_MARK = /^(走访人员?|陪同人员?|陪同)[:：]?(.*)$/
const ITEM_BREAK = /[、,，和及]/

/** `两袋米、一桶油` (GIVEN_COUNTED_FIRST's items) as ` 米两袋 油一桶`. */
function inLineOrder(_given: string, items: string): string {
  let out = ''
  for (const item of items.split(ITEM_BREAK)) {
    const parts = COUNTED_PARTS.exec(item)
    out += parts ? ` ${parts[3]}${parts[1]}${parts[2]}` : ` ${item}`
  }
  return out
}

// What a command word leaves when it was said as a verb done: `慰问了李二` → `了李二`.
const DONE_MARK = /^(\s*)了(?=\S)/

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
  let rest = ` ${text.replace(DONE_MARK, '$1')} `
  const line: RecordLine = { words: [], goods: [] }

  const note = NOTE.exec(rest)
  if (note) {
    line.note = note[2]!.trim() || undefined
    if (line.note) line.noteLabel = note[1] as NoteLabel
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

  rest = rest.replace(COLON_GOODS, '$1 ').replace(SPACED_GOODS, '$1$2$3')
  const extraNotes: string[] = []
  const value = GOODS_VALUE.exec(rest)
  if (value) {
    extraNotes.push(value[0].replace(/\s+/g, ''))
    rest = `${rest.slice(0, value.index)} ${rest.slice(value.index + value[0].length)}`
  }
  const negative = NEGATIVE_AMOUNT.exec(rest)
  if (negative) {
    rest = `${rest.slice(0, negative.index)} ${rest.slice(negative.index + negative[0].length)}`
  }

  rest = rest.replace(GIVEN_COUNTED_FIRST, inLineOrder).replace(GIVING, ' ')

  const count = COUNT.exec(rest)
  const counted = count ? wholeNumberOf(count[1] ?? count[2]!) : undefined
  if (count && counted !== undefined) {
    line.count = counted
    rest = `${rest.slice(0, count.index)} ${rest.slice(count.index + count[0].length)}`
  }

  const amount = findAmount(rest, AMOUNT_LABELS)
  if (amount) {
    line.amountFen = amount.fen
    rest = `${rest.slice(0, amount.start)} ${rest.slice(amount.end)}`
  }

  let visitorMark: string | undefined
  const visitors: string[] = []
  for (const token of rest.split(SEPARATORS).filter((t) => MEANINGFUL.test(t))) {
    const mark = VISITOR_MARK.exec(token)
    if (mark) {
      visitorMark = mark[1]
      if (mark[2]) visitors.push(mark[2])
      continue
    }
    const goodsText = token.replace(/^(?:慰问品|物品)[:：]?/, '')
    const together = goodsWrittenTogether(goodsText)
    const goods = GOODS.exec(goodsText)
    const quantity = goods ? quantityOf(goods[2]!) : undefined
    if (together) {
      line.goods.push(...together)
    } else if (goods && quantity !== undefined && !NUMERAL_ONLY.test(goods[1]!)) {
      line.goods.push({ name: goods[1]!, quantity, unit: goods[3]! })
    } else if (!/^(?:慰问品|物品|慰问金|现金)[:：]?$/.test(token) && !FILLER.test(token)) {
      if (visitorMark === undefined) line.words.push(token)
      else visitors.push(token)
    }
  }
  // After the name, so that a line's first word is still whom it names.
  if (negative) line.words.push(negative[0].replace(/\s+/g, ''))
  if (visitors.length > 0) {
    line.visitors = visitors
    const apart = extraNotes.length > 0 ? extraNotes.join('，') : undefined
    const written = line.note
    line.noteWithoutVisitors = written && apart ? `${written}；${apart}` : (written ?? apart)
    extraNotes.unshift(`${visitorMark} ${visitors.join(' ')}`)
  }
  if (extraNotes.length > 0) {
    const extra = extraNotes.join('，')
    line.note = line.note ? `${line.note}；${extra}` : extra
    line.noteLabel ??= '备注'
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

// The clauses of a note, between its punctuation (folded: `,` `;` but `。` `、` as typed).
const CLAUSE_BREAK = /[\s,.;:!?。、]+/
const NEED_NOUN = '(?:需求|需要|困难|要求|问题|诉求|帮助|帮扶|救助)'
// A clause that says there is no need: 无, 暂无, 没有什么困难, 暂无困难和需求, 不需要帮助.
const NO_NEED = new RegExp(
  '^(?:目前|现在|暂时|暂|家里|家中|生活上|其他|其它|另外|也|均|都|并|尚)*' +
    '(?:无|没有|没|暂无|并无|没啥|没什么|不需要|无需|不用|不缺)' +
    `(?:特殊|特别|其他|其它|任何|什么|啥|明显|大的)?的?(?:${NEED_NOUN}(?:[和或及与]${NEED_NOUN})*)?了?$`,
)
// A clause that says all is well: 一切正常, 一切安好, 身体健康, 身体很好, 生活稳定.
const ALL_WELL =
  /^(?:一切|各方面|生活|身体|家里|家中|家庭|情况|精神|老人)?(?:都|均|还|很|挺|比较|非常)?(?:正常|安好|良好|健康|硬朗|不错|挺好|很好|还好|还行|好|稳定|和睦|满意|平安|顺利)的?$/
// Words that name a need: what a family lacks, asks for or suffers (腿脚不便需修缮, 房屋漏雨,
// 孙子看病需要医疗救助, 医疗费用报销, 子女就学困难).
const NEED_WORD =
  /需|要求|希望|盼|想要|请求|申请|求助|帮|救助|补助|补贴|难|缺|不便|不好|病|医|药|住院|手术|报销|残|瘫|照顾|照料|修|漏|破|塌|危|坏|问题|反映|诉求|就业|上学|就学|入学|学费|低保|欠|债|贷|没钱|拮据|纠纷|维权|解决|协调|落实|办理/

/**
 * Whether `note`, written after `label`, is a need found on the visit (a 帮扶 case, 待办) rather
 * than plain notes. A clause that says there is none (无, 暂无特殊困难, 一切正常, 身体健康) is never
 * a need. After 需求/困难/问题 any other clause is one; after 备注 only a clause that names a need
 * (NEED_WORD), so `备注 问了家里情况怎么样` is notes. Pure.
 */
export function isNeedNote(note: string, label: NoteLabel | undefined): boolean {
  const labelled = label !== undefined && label !== '备注'
  return note
    .split(CLAUSE_BREAK)
    .some(
      (c) =>
        MEANINGFUL.test(c) &&
        !NO_NEED.test(c) &&
        !ALL_WELL.test(c) &&
        (labelled || NEED_WORD.test(c)),
    )
}
