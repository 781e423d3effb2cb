import type { Actor } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { OCCASION_CHOICES, occasionOfAnswer } from '../occasions.js'
import { formatYuan, parseAmountFen } from '../parse/amount.js'
import { describeImpossibleDate, readDate } from '../parse/date.js'
import { parseRecordLine } from '../parse/record-line.js'
import {
  TOP_UP_MARK,
  activityUnitSchema,
  unitNameSchema,
  type AnyRecord,
  type Person,
  type RecordChanges,
} from '../records/schemas.js'
import { daysBetween } from '../time/local-date.js'
import { FAR_BACK_DAYS, previousHint, recentExample, requireDone } from './done-date.js'
import {
  isGuess,
  isUnitWord,
  lookUpPerson,
  scopeOf,
  unitNameOf,
  unitNameOfWords,
} from './people-lookup.js'
import type { RecordServices } from './services.js'
import { localToday } from './tally-query.js'
import { countSlip, retitled } from './activity.js'
import { nearStandard, timesOfStandard } from './allowance.js'
import { VISIT_CASH_CONFIRM_ABOVE_FEN } from './visit.js'
import { visitorsOfVisit, visitorsWritten } from './visitors.js'
import { NONE, PERSON_FIELD_WORDS } from './person-changes.js'

// What `修改 #N 项目 新值` asks to change, read and checked by the rules the record was added
// under: a done date never after today, an occasion from the one vocabulary, a person within
// the asker's villages (docs/corrections.md).

/** How 修改 is written, a short line each (a phone's width): the format, examples, 上一条. */
export const CORRECTION_USAGE = [
  '格式：修改 #记录号 项目 新值',
  '如「修改 #128 金额 300元」',
  '「修改 #128 日期 7月29日」',
  '「修改 #128 场合 春节」',
  '「修改 #128 对象 李四」',
  '「修改 #128 部队 武警中队」',
  '「修改 #128 物品 米2袋 油1桶」',
  '「修改 #128 陪同 王五、赵六」',
  '「修改 #128 备注 已修缮」',
  '「修改 #130 人数 50」',
  '对象信息：「修改 #45 户口 农村」',
  '改自己刚登记的一条：',
  '「修改 上一条 金额 300元」',
].join('\n')

/** The field words of 修改, each to its canonical field. */
const FIELD_WORDS: Record<string, Field> = {
  金额: 'amount',
  慰问金: 'amount',
  优待金: 'amount',
  日期: 'date',
  场合: 'occasion',
  节日: 'occasion',
  // The visit form asks 「这次是哪类走访？」, so a cadre calls the occasion its 类型.
  类型: 'occasion',
  走访类型: 'occasion',
  对象: 'person',
  走访对象: 'person',
  人数: 'count',
  物品: 'goods',
  慰问品: 'goods',
  备注: 'notes',
  需求: 'needs',
  跟进: 'followUp',
  名称: 'title',
  活动名称: 'title',
  单位: 'unit',
  部队: 'unit',
  部队名称: 'unit',
  // Who went along: the one who logged the visit stays its first visitor.
  陪同: 'visitors',
  陪同人员: 'visitors',
  走访人: 'visitors',
  走访人员: 'visitors',
}
type Field =
  | 'amount'
  | 'date'
  | 'occasion'
  | 'person'
  | 'count'
  | 'goods'
  | 'notes'
  | 'needs'
  | 'followUp'
  | 'title'
  | 'unit'
  | 'visitors'

const FIELD_PATTERN = new RegExp(
  `^(${[...Object.keys(FIELD_WORDS), ...Object.keys(PERSON_FIELD_WORDS)]
    .sort((a, b) => b.length - a.length)
    .join('|')})\\s*[:：]?\\s*(.*)$`,
  's',
)

/** Which record a correction names: its number, or the asker's newest active one (上一条). */
export type CorrectionTarget = number | 'last'

/** What `修改 …` asks: the record, the field word as written, and the new value. */
export interface CorrectionRequest {
  target: CorrectionTarget
  word: string
  /** The new value, without a sentence's closing mark (`300元。` is `300元`). */
  value: string
  /** The value as it ends the text, marks kept: a tail of the message, for typedFreeText. */
  tail: string
}

// What opens a correction said in words (`改一下#13`, `把13号的…`, 修改's own `修改一下`): read
// past, as is the record word after the number (`13号记录的`, `第13条`) and a change word before
// the field (`把13号改一下，金额…`).
const LEAD =
  /^(?:请|麻烦|帮我|帮忙)*(?:一下|下)?\s*(?:把|将|改一下|改下|修改一下|更正一下|更正|改)?\s*/
const TARGET =
  /^(?:#\s*(\d{1,12})(?!\d)|第\s*(\d{1,12})\s*条|(\d{1,12})(?!\d)|(上一条|上条|最后一条|刚才那条)(?![0-9]))\s*(?:号记录|号|条记录|条|记录)?\s*的?[\s,:;]*(?:改一下|改下|修改一下|修改|更正|改)?[\s,:]*的?/

// `金额改成400`, `日期改为昨天`: the change word between the field and its value.
const CHANGE_TO =
  '(?:要?改成|改为|改作|改到|更正为|更正成|更改为|修改为|修改成|换成|应为|应是|应该是|应该为)'
const LEADING_CHANGE = new RegExp(`^${CHANGE_TO}\\s*[:：]?\\s*`)
// A value that is no free text may also say what it was (`金额从500改成400`) or follow 为/是.
const WAS_THEN = new RegExp(`^(?:由|从)?.*?${CHANGE_TO}\\s*[:：]?\\s*`, 's')
const PLAIN_IS = /^(?:为|是)\s*[:：]?\s*/
/** The fields 为/是 may lead (`金额为400`); a name or a note may begin with either. */
const FIGURE_FIELDS: ReadonlySet<Field> = new Set(['amount', 'date', 'count', 'occasion'])

/** The fields whose value is the cadre's own words: a change word inside them stays. */
const FREE_TEXT_FIELDS: ReadonlySet<Field> = new Set(['notes', 'needs', 'followUp'])

/**
 * `#128 金额 300元`, and the same said as cadres say it (`改一下#13，金额四百`, `#13 金额改成400`,
 * `把13号的金额改为四百元`, `第2条的日期改为昨天`), split into the record, the field word and the
 * new value. Throws UserFacingError with the format when the record or the field is not there.
 */
export function readCorrection(args: string): CorrectionRequest {
  const text = args.trim()
  const afterLead = text.slice(LEAD.exec(text)![0].length)
  const m = TARGET.exec(afterLead)
  if (!m) throw new UserFacingError(CORRECTION_USAGE)
  const target: CorrectionTarget = m[4] ? 'last' : Number(m[1] ?? m[2] ?? m[3])
  // The year a record counts in is where its figures and duplicate check live (a tester asked
  // for 修改 #13 年份 2026): said at once, with the way that works.
  if (/^(?:年份|年度)/.test(afterLead.slice(m[0].length).trim())) {
    const which = target === 'last' ? '撤销上一条' : `撤销 #${target}`
    throw new UserFacingError(
      `年份不能修改。请「${which}」后重新登记，\n优待金写上年份，如「发放优待金 李一 2026年」。`,
    )
  }
  const field = FIELD_PATTERN.exec(afterLead.slice(m[0].length).trim())
  if (!field) throw new UserFacingError(CORRECTION_USAGE)
  const word = field[1]!
  const kind = FIELD_WORDS[word]!
  let tail = field[2]!
  const changeTo = FREE_TEXT_FIELDS.has(kind)
    ? LEADING_CHANGE.exec(tail)
    : (WAS_THEN.exec(tail) ?? (FIGURE_FIELDS.has(kind) ? PLAIN_IS.exec(tail) : null))
  if (changeTo) tail = tail.slice(changeTo[0].length)
  // A sentence's full stop is not part of the value: 「修改 #128 金额 300元。」
  return { target, word, value: tail.replace(/[。！!]+$/, '').trim(), tail }
}

export interface CorrectionContext {
  actor: Actor
  now: Date
  services: RecordServices
  /**
   * The value as the sender typed it, its closing mark kept (typedFreeText of the request's
   * `tail`): what a visit's 备注, 需求 and 跟进 are stored as (docs/lookups.md, "Free text is
   * stored as typed"). Undefined: the folded value serves.
   */
  typedValue?: string
}

/** `50000元 确认` → the value written and whether the slip check was confirmed in the line. */
function confirmationOf(value: string): { written: string; confirmed: boolean } {
  const written = value.replace(/\s*确认$/, '')
  return { written, confirmed: written !== value }
}

/** Why a corrected amount looks like a slip (as the commands that record it judge one). */
function amountSlip(record: AnyRecord, fen: number): string | undefined {
  if (record.kind === 'visit' && fen > VISIT_CASH_CONFIRM_ABOVE_FEN) {
    return `慰问金 ${formatYuan(fen)} 元 超过 ${formatYuan(VISIT_CASH_CONFIRM_ABOVE_FEN)} 元`
  }
  if (
    record.kind === 'payment' &&
    record.standardFen > 0 &&
    !nearStandard(fen, record.standardFen)
  ) {
    const times = timesOfStandard(fen, record.standardFen)
    return `金额 ${formatYuan(fen)} 元 是标准 ${formatYuan(record.standardFen)} 元 的 ${times} 倍`
  }
  return undefined
}

/**
 * The changes `word value` makes to `record`. Throws UserFacingError naming what was wrong
 * and how to write it.
 */
export async function toChanges(
  record: Exclude<AnyRecord, { kind: 'person' }>,
  word: string,
  value: string,
  ctx: CorrectionContext,
): Promise<RecordChanges> {
  // A person's field word (电话, 户口) names nothing a record has: refused below.
  const field = FIELD_WORDS[word] as Field | undefined
  const id = record.id
  if (value === '') {
    const example = field ? ` ${exampleOf(field)}` : ''
    throw new UserFacingError(`请写上新的${word}，如「修改 #${id} ${word}${example}」。`)
  }
  switch (field) {
    case 'date':
      return { date: readDoneDate(id, value, ctx) }
    case 'notes':
      if (NONE.test(value)) return { notes: null }
      if (record.kind === 'visit') return { notes: ctx.typedValue ?? value }
      // 补发 is what a payment is (its topUp), not a note, and a 修改 does not change it.
      if (record.kind === 'payment' && value === TOP_UP_MARK) {
        throw new UserFacingError(
          record.topUp
            ? `#${id} 已是补发，备注不用写「补发」，未修改。`
            : `#${id} 登记为发放，备注写「补发」不会改成补发，未修改。确是补发请撤销 #${id}，再发「补发优待金 姓名 金额」。`,
        )
      }
      return { notes: value }
    case 'title': {
      // A visit to a unit is named by the unit (`修改 #N 名称 武警中队`).
      if (record.kind === 'visit' && record.unitName !== undefined) {
        return visitUnitChange(id, value)
      }
      if (record.kind !== 'activity' || record.activityKind === '共建点') break
      // A 慰问部队 is named by the unit it went to.
      if (record.activityKind === '慰问部队') return unitChange(record.id, value)
      if (NONE.test(value)) return { title: null }
      const title = retitled(value.replace(/\s+/g, ''), record.activityKind)
      if (title === undefined) {
        throw new UserFacingError(
          `「${value.slice(0, 20)}」不是${record.activityKind}的名称，#${id} 未修改。名称要写成这类活动，如「修改 #${id} 名称 ${exampleTitle(record.activityKind)}」；类别登记错了请撤销后重新登记。`,
        )
      }
      return { title }
    }
    case 'unit':
      if (record.kind === 'visit') {
        if (record.unitName === undefined) throw new UserFacingError(personVisitAsUnit(id))
        return visitUnitChange(id, value)
      }
      if (record.kind !== 'activity' || record.activityKind !== '慰问部队') break
      return unitChange(record.id, value)
    case 'amount': {
      // The slip checks of 走访 and 发放优待金 hold for a correction too; one line here, so the
      // confirmation is written into it (`… 金额 50000元 确认`).
      const { written, confirmed } = confirmationOf(value)
      const fen = parseAmountFen(written)
      if (fen === undefined) throw new UserFacingError(`没看懂金额「${written}」，如「300元」。`)
      const slip = confirmed ? undefined : amountSlip(record, fen)
      if (slip) {
        throw new UserFacingError(
          `${slip}，未修改。如确有此事请发送「修改 #${id} ${word} ${written} 确认」。`,
        )
      }
      if (record.kind === 'visit') return { cashFen: fen }
      if (record.kind === 'payment') return { amountFen: fen }
      break
    }
    case 'count': {
      if (record.kind !== 'activity') break
      const { written, confirmed } = confirmationOf(value)
      const count = /^(\d{1,8})\s*人?$/.exec(written)
      if (!count) throw new UserFacingError(`没看懂人数「${written}」，如「50」。`)
      const slip = confirmed ? undefined : countSlip(record.activityKind, Number(count[1]))
      if (slip) {
        throw new UserFacingError(
          `${slip}，未修改。如确有此事请发送「修改 #${id} ${word} ${written} 确认」。`,
        )
      }
      return { count: Number(count[1]) }
    }
    case 'occasion': {
      if (record.kind !== 'visit') break
      const occasion = occasionOfAnswer(value)
      if (!occasion) {
        throw new UserFacingError(
          `没看懂场合「${value}」，请写${OCCASION_CHOICES}，如「修改 #${id} 场合 春节」。`,
        )
      }
      return { occasion }
    }
    case 'person': {
      if (record.kind !== 'visit') break
      if (record.personId === undefined) {
        // A unit visit's 对象 is its unit: another unit's name renames it.
        if (unitNameOfWords(value.split(/\s+/).filter(Boolean)) !== undefined) {
          return visitUnitChange(id, value)
        }
        throw new UserFacingError(
          [
            `#${id} 是对单位的走访，未修改。`,
            `改部队名称如「修改 #${id} 部队 武警中队」；`,
            '改成对个人的请撤销后重新登记。',
          ].join('\n'),
        )
      }
      return { personId: (await findPerson(id, value, ctx)).id }
    }
    case 'needs':
    case 'followUp':
      if (record.kind !== 'visit') break
      return { [field]: NONE.test(value) ? null : (ctx.typedValue ?? value) }
    case 'visitors': {
      if (record.kind !== 'visit') break
      const first = record.visitors[0]!
      const along = NONE.test(value)
        ? []
        : visitorsWritten(value.split(/[、，,;；\s]+/).filter(Boolean), first, '未修改')
      return { visitors: visitorsOfVisit(first, along) }
    }
    case 'goods': {
      if (record.kind !== 'visit') break
      if (NONE.test(value)) return { goods: [] }
      const goods = parseRecordLine(value, { now: ctx.now, timezone: ctx.services.timezone }).goods
      if (goods.length === 0) {
        throw new UserFacingError('物品请写成「米2袋 油1桶」，没有请写「无」。')
      }
      return { goods }
    }
  }
  // A field of other records (对象 of a payment) is refused in a few lines: the 17 of the full
  // format read as if it could be done after all (a tester). A word of no record gets it.
  const wrongFamily =
    field === 'person' && record.kind === 'payment' ? [`发错了户请「撤销 #${id}」后重新登记。`] : []
  throw new UserFacingError(
    [
      `#${id} 不能修改「${word}」。`,
      '这条可改：',
      editableOf(record),
      ...wrongFamily,
      ...(field === undefined ? [CORRECTION_USAGE] : []),
    ].join('\n'),
  )
}

/** The field words 修改 takes for `record`, as the refusal lists them. */
function editableOf(record: Exclude<AnyRecord, { kind: 'person' }>): string {
  switch (record.kind) {
    case 'visit':
      // Two lines: nine words are wider than a phone.
      return [
        `金额 日期 场合 ${record.unitName === undefined ? '对象' : '部队'}`,
        '物品 陪同 需求 跟进 备注',
      ].join('\n')
    case 'payment':
      return '金额 日期 备注'
    case 'activity':
      return [
        '日期 人数',
        record.activityKind === '慰问部队'
          ? '部队'
          : record.activityKind === '共建点'
            ? ''
            : '名称',
        '备注',
      ]
        .filter(Boolean)
        .join(' ')
  }
}

function personVisitAsUnit(id: number): string {
  return [
    `#${id} 是对个人的走访，未修改。`,
    `改对象如「修改 #${id} 对象 李四」；`,
    '改成对单位的请撤销后重新登记。',
  ].join('\n')
}

/**
 * A visited unit's new name (`修改 #N 部队 武警中队一排`): the name as 走访 reads one, without
 * a leading 部队 word, up to 40 characters, never cleared (a unit visit names one).
 */
function visitUnitChange(id: number, value: string): RecordChanges {
  const example = `如「修改 #${id} 部队 武警中队」。`
  if (NONE.test(value)) {
    throw new UserFacingError(`对单位的走访要写明部队名称，#${id} 未修改。\n${example}`)
  }
  const written = value.replace(/\s+/g, '')
  const unit = unitNameSchema.safeParse(unitNameOf(written) ?? written)
  if (unit.success && isUnitWord(unit.data)) throw generalUnitWord(id, unit.data)
  if (!unit.success) {
    throw new UserFacingError(`部队名称请写 40 字以内、不含「|」「:」，#${id} 未修改。\n${example}`)
  }
  return { unitName: unit.data }
}

/** `部队`, `军营` (UNIT_WORDS) written where one unit's name belongs. */
function generalUnitWord(id: number, word: string): UserFacingError {
  return new UserFacingError(
    `「${word}」不是某支部队的名称，#${id} 未修改。\n如「修改 #${id} 部队 武警中队」。`,
  )
}

/** A 慰问部队's new unit, which it cannot be without. */
function unitChange(id: number, value: string): RecordChanges {
  if (NONE.test(value)) {
    throw new UserFacingError(
      `慰问部队要写明部队名称，#${id} 未修改。如「修改 #${id} 部队 武警中队」。`,
    )
  }
  const unit = activityUnitSchema.safeParse(value.replace(/\s+/g, ''))
  if (unit.success && isUnitWord(unit.data)) throw generalUnitWord(id, unit.data)
  if (!unit.success) {
    throw new UserFacingError(
      `部队名称请写 30 字以内、不含「|」「:」，#${id} 未修改。如「修改 #${id} 部队 武警中队」。`,
    )
  }
  return { unitName: unit.data }
}

/** A longer name of an activity of `kind`, for an example. */
function exampleTitle(kind: string): string {
  return kind === '军训' ? '学生军训' : `双拥${kind}`
}

function exampleOf(field: Field): string {
  const examples: Record<Field, string> = {
    amount: '300元',
    date: '7月29日',
    occasion: '春节',
    person: '李四',
    count: '50',
    goods: '米2袋 油1桶',
    notes: '已修缮',
    needs: '房屋漏雨',
    followUp: '已联系民政办',
    title: '双拥晚会',
    unit: '武警中队',
    visitors: '王五、赵六',
  }
  return examples[field]
}

/**
 * A corrected date by the done-date rules: never after today, and a date without a year that
 * reads more than about six months back must be written with its year (a correction has no
 * form to ask in).
 */
function readDoneDate(id: number, value: string, ctx: CorrectionContext): string {
  const { now, services } = ctx
  const read = readDate(value, { now, timezone: services.timezone, direction: 'past' })
  if (read && 'impossible' in read) {
    throw new UserFacingError(
      describeImpossibleDate(read.impossible).replace('未登记', `#${id} 未修改`),
    )
  }
  if (!read) {
    throw new UserFacingError(`没看懂日期「${value}」，如「修改 #${id} 日期 7月29日」。`)
  }
  const { date, yearFrom, previous } = read.date
  const today = localToday(now, services.timezone)
  try {
    requireDone(date, today, '修改')
  } catch {
    throw new UserFacingError(
      [
        `${date} 在今天之后，还没到，#${id} 未修改。已经做过的请写实际日期，如「昨天」「${recentExample(today)}」。`,
        ...(previous ? [previousHint(previous, `修改 #${id} 日期 ${previous}`)] : []),
      ].join('\n'),
    )
  }
  const back = daysBetween(date, today)
  if (yearFrom === 'direction' && back > FAR_BACK_DAYS) {
    throw new UserFacingError(
      `「${value}」按 ${date} 算，是 ${Math.round(back / 30.4)} 个月前，#${id} 未修改。确是这一天请写上年份，如「修改 #${id} 日期 ${date}」。`,
    )
  }
  return date
}

/** The person `value` names (`李四`, `铁炉嘴村 李四`, `#45`) within the asker's villages. */
async function findPerson(id: number, value: string, ctx: CorrectionContext): Promise<Person> {
  const { actor, services } = ctx
  const byNumber = /^#\s*(\d{1,12})$/.exec(value)
  if (byNumber) {
    const person = await services.people.getPerson(Number(byNumber[1]))
    if (!person || person.status === 'withdrawn') {
      throw new UserFacingError(`没有找到对象 #${byNumber[1]}，请核对。`)
    }
    const scope = scopeOf(actor)
    if (scope && !scope.includes(person.village)) {
      throw new UserFacingError(
        `${person.name}在${person.village}，不在您负责的村，#${id} 未修改。`,
      )
    }
    return person
  }
  const words = value.split(/\s+/).filter(Boolean)
  const found = await lookUpPerson(words, actor, services, { allowUnit: false })
  if (found.kind === 'person') return found.person
  if (found.kind === 'choose') {
    const lines = found.candidates.map((p) => `#${p.id} ${p.name} ${p.village} ${p.category}`)
    throw new UserFacingError(
      [
        isGuess(found.name, found.candidates)
          ? `没有叫「${found.name}」的对象，#${id} 未修改。您是不是要找：`
          : `有 ${found.candidates.length} 位${found.name}，#${id} 未修改。请写明是哪位：`,
        ...lines,
        `如「修改 #${id} 对象 #${found.candidates[0]!.id}」。`,
      ].join('\n'),
    )
  }
  throw new UserFacingError(`走访对象须是花名册上的人，#${id} 未修改。`)
}
