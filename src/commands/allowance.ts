import { z } from 'zod'
import {
  ADMIN_ONLY,
  CADRE_AND_UP,
  mayTouch,
  type Command,
  type CommandContext,
  writeMetaOf,
} from '../bot/command.js'
import { ConfirmationNeeded, type FormContext, type FormSpec } from '../bot/forms.js'
import { heldAmountUnreadLine, type FormSummary } from '../bot/form-notes.js'
import { UserFacingError } from '../errors.js'
import { formatYuan, parseAmountFen, typedYuan } from '../parse/amount.js'
import { describeImpossibleDate, parseDate, readDate, todayIn } from '../parse/date.js'
import { foldText } from '../parse/normalize.js'
import { looksLikeRecordLine, parseRecordLine, type RecordLine } from '../parse/record-line.js'
import { yearOfWord } from '../parse/year-word.js'
import { DuplicateRecordError } from '../records/duplicate-error.js'
import type { StoreReads } from '../records/reads.js'
import {
  CONSCRIPT_FAMILY,
  TOP_UP_MARK,
  fenSchema,
  standardFenFor,
  yearSchema,
  allowanceStandardSchema,
  type AllowanceStandard,
  type HouseholdType,
  type Person,
} from '../records/schemas.js'
import { daysBetween, partsOf, weekdayName, type LocalDate } from '../time/local-date.js'
import {
  applyLookup,
  candidateList,
  chooseCandidate,
  declinesChoice,
  lookUpPerson,
  passSnapshot,
  passedSnapshot,
  readNames,
  typedArgsOf,
  typedFreeText,
  type PrefetchedLine,
  type RecordText,
} from './people-lookup.js'
import {
  lineItems,
  namedOrList,
  recordTextsOf,
  storeBatch,
  type BatchItem,
  type BatchKind,
} from './batch-records.js'
import {
  allowanceYearProblem,
  asWordAndYear,
  takeAllowanceYear,
  TOP_UP_COMMAND,
} from './allowance-year.js'
import { acceptFarBack, checkLineDate, farBackQuestion } from './done-date.js'
import { checkedDateFields, duplicateConfirmed, lookupFields } from './draft-fields.js'
import type { CommandServices, RecordServices } from './services.js'
import { allowanceDeadline } from './tally.js'
import { localToday, monthDay } from './tally-query.js'
import { untypedFamily } from '../records/person-fields.js'

/** An allowance outside [0.1×, 3×] the standard is confirmed before it is stored (issue 3). */
export const ALLOWANCE_RATIO_LOW = 0.1
export const ALLOWANCE_RATIO_HIGH = 3
/**
 * A family's first payment of the year below this share of its standard (580 of 5,800, a
 * missing zero) is confirmed before it is stored too; from it up to the standard (2,900 of a
 * split payment, 8,000 of 8,600) it is stored at once and the reply says what is still owed.
 * A 补发 is not held for it (docs/figures.md, "A payment below the standard").
 */
export const ALLOWANCE_RATIO_SHORT = 0.5

function standardLabel(standard: AllowanceStandard, person: Person): string {
  if (standard.mode === 'unified') return '统一标准'
  return `${person.householdType ?? '农村'}标准`
}

/** Whether `fen` is in the range an allowance of `standardFen` is usually paid in. */
export function nearStandard(fen: number, standardFen: number): boolean {
  const ratio = fen / standardFen
  return ratio >= ALLOWANCE_RATIO_LOW && ratio <= ALLOWANCE_RATIO_HIGH
}

/** `10` or `0.05`: how many times `standardFen` the amount `fen` is, as a reply says it. */
export function timesOfStandard(fen: number, standardFen: number): string {
  const ratio = fen / standardFen
  return ratio >= 1 ? Math.round(ratio).toLocaleString('en-US') : ratio.toFixed(2)
}

/**
 * Why an amount looks like a slip, or undefined when it looks like an allowance. 万 is one of
 * the contract's amount forms (`0.58万` is 5,800 元), so it is held only outside the bounds an
 * amount without it is held outside too; the reply names the 万 when the amount without it
 * would have been an allowance (`5800万` for 5,800), the slip it most likely is.
 */
function slipReason(
  fen: number,
  standardFen: number,
  typedWan: boolean,
  year: number,
  label: string,
): string | undefined {
  if (nearStandard(fen, standardFen)) return undefined
  const wan = typedWan && nearStandard(fen / 10_000, standardFen) ? '（金额用了“万”）' : ''
  return `金额 ${formatYuan(fen)} 元${wan} 是 ${year} 年${label} ${formatYuan(standardFen)} 元 的 ${timesOfStandard(fen, standardFen)} 倍，未登记。`
}

/** The months (January to March) in which a payment without a year may be last year's. */
const LATE_PAYMENT_MONTHS = 3

/** A year answered to 哪一年的优待金 (`2026`, `去年`, `今年`: yearOfWord); one of the two offered. */
function answeredYear(answer: string, dateYear: number): number | undefined {
  const year = yearOfWord(answer.replace(/的$/, ''), dateYear)
  return year === dateYear || year === dateYear - 1 ? year : undefined
}

/** The other household type's standard, when the year's standard is split by type. */
function otherStandard(
  standard: AllowanceStandard,
  type: HouseholdType,
): { type: HouseholdType; fen: number } | undefined {
  if (standard.mode !== 'split') return undefined
  const other: HouseholdType = type === '农村' ? '城镇' : '农村'
  return { type: other, fen: standardFenFor(standard, other) }
}

/**
 * The hold of a family's first payment of the year clearly below its standard (under
 * ALLOWANCE_RATIO_SHORT of it, at or above ALLOWANCE_RATIO_LOW, which slipReason holds):
 * `金额 580 元，低于 2026 年农村标准 5,800 元，未登记。` and how to confirm or correct it.
 */
function belowStandardPrompt(fen: number, standardFen: number, year: number, label: string) {
  const standard = formatYuan(standardFen)
  return [
    `金额 ${formatYuan(fen)} 元，低于 ${year} 年${label} ${standard} 元，未登记。`,
    `确认无误（如分次发放）请回复「确认」；金额有误请回复正确金额，如「${typedYuan(standardFen)}」。`,
  ].join('\n')
}

/**
 * How a line says 补发 once markTopUp has read it: its 备注 is `补发`, or begins with `补发；`
 * before the note written (typed text never holds 「；」). paymentDraftOf turns that into the
 * draft's `topUp`, so the mark never reaches a stored note.
 */
const TOP_UP_NOTE = TOP_UP_MARK
const MARKED_NOTE = `${TOP_UP_MARK}；`

/** 补发 written as a word of the line, outside its 备注 (`发放优待金 李一 300元 补发`). */
const TOP_UP_WORD = /^补发(?:差额)?$/

/**
 * The payment line `text` (one line) with a 补发 said in its note: a `补发` word of the line is
 * taken out of the words (it names nobody) and the note begins with 补发 (`备注 补发`, or
 * `补发；` before the note written); `byWord` when the command word was 补发优待金. A note that
 * already begins with 补发 (`备注 补发差额`, what the hints used to ask for) is a 补发 as it is.
 * The look-up and the batch read the line so marked; paymentDraftOf reads the 补发 out of the
 * note into the draft's `topUp` (draftNoteOf).
 */
function markTopUp(text: string, byWord: boolean, options: DateOptionsOf): string {
  if (!byWord && !text.includes(TOP_UP_NOTE)) return text
  const line = parseRecordLine(text, options)
  const asWord = line.words.some((w) => TOP_UP_WORD.test(w))
  if (!asWord && !byWord) return text
  const rest = asWord ? text.replace(/补发(?:差额)?/, ' ') : text
  const note = line.note
  if (note?.startsWith(TOP_UP_NOTE)) return rest
  if (note === undefined) return `${rest.trimEnd()} 备注 ${TOP_UP_NOTE}`
  const at = rest.lastIndexOf(note)
  return `${rest.slice(0, at)}${topUpNote(note)}`
}

/** A note that marks a 补发: `补发`, or the note written after `补发；`. */
function topUpNote(note: string | undefined): string {
  if (note === undefined) return TOP_UP_NOTE
  return note.startsWith(TOP_UP_NOTE) ? note : `${MARKED_NOTE}${note}`
}

/**
 * A marked line's 备注 as the draft holds it: `补发` alone is a 补发 with no note, `补发；两年合发`
 * a 补发 noted 两年合发, and a note the cadre began with 补发 (`补发差额`) a 补发 keeping that note.
 */
function draftNoteOf(note: string): Pick<PaymentDraft, 'topUp' | 'notes'> {
  if (note === TOP_UP_NOTE) return { topUp: true }
  if (note.startsWith(MARKED_NOTE)) {
    const rest = note.slice(MARKED_NOTE.length).trim()
    return rest ? { topUp: true, notes: rest } : { topUp: true }
  }
  return note.startsWith(TOP_UP_NOTE) ? { topUp: true, notes: note } : { notes: note }
}

/**
 * The draft's note (`notes`, folded, never the 补发 mark: draftNoteOf) as the cadre typed it
 * (docs/lookups.md, "Free text is stored as typed"), or as folded when it cannot be found. A
 * line markTopUp marked is no longer the fold of what was typed, so a record's typed text is
 * folded again for it; a line of one record is read from the message. A note typed beginning
 * with 「补发；」 keeps that 「；」 half-width, as folded: so begun, a stored note would read back as
 * the old 补发 mark (schemas.ts, paymentNotesSchema).
 */
function typedPaymentNote(
  ctx: Pick<CommandContext, 'typedText' | 'message'>,
  notes: string,
  record: RecordText | undefined,
): string {
  const typedRecord =
    record?.typed === undefined ? record : { text: foldText(record.typed), typed: record.typed }
  const typed = typedFreeText(ctx, notes, typedRecord) ?? notes
  return typed.startsWith(MARKED_NOTE) ? `${TOP_UP_MARK};${typed.slice(MARKED_NOTE.length)}` : typed
}

type DateOptionsOf = Parameters<typeof parseRecordLine>[1]

/**
 * A payment line's own fields (everything but whom it names): its date, never today in place
 * of one written wrong (checkLineDate), its amount, its 补发 and note, read from the folded
 * note and the note stored as typed (`record`: the line's record when the message has several
 * lines, typedPaymentNote). The same for a line sent as a command and as the answer to
 * 发给哪一户？.
 */
function paymentLineFields(
  line: RecordLine,
  ctx: FormContext,
  text: string,
  timezone: string,
  record?: RecordText,
): PaymentDraft {
  // Goods on a payment line were dropped without a word (a tester): no payment holds any.
  if (line.goods.length > 0) {
    const goods = line.goods.map((g) => `${g.name}${g.quantity}${g.unit}`).join('、')
    throw new UserFacingError(
      `优待金只记金额，写了物品「${goods}」，未登记。\n物品请随走访登记，如「走访 姓名 日期 ${goods}」。`,
    )
  }
  const values: PaymentDraft = {
    ...checkLineDate(line, { now: ctx.now, timezone, what: '发放' }),
  }
  if (line.amountFen !== undefined) {
    values.amountFen = line.amountFen
    values.typedWan = /万/.test(text)
  }
  if (line.note) {
    const drafted = draftNoteOf(line.note)
    Object.assign(values, drafted)
    if (drafted.notes !== undefined) values.notes = typedPaymentNote(ctx, drafted.notes, record)
  }
  return values
}

/** Whether the draft is a 补发. */
function isTopUp(values: Pick<PaymentDraft, 'topUp'>): boolean {
  return values.topUp === true
}

/**
 * `李二 2026 年已发 3,100 元，尚欠 2,700 元（农村标准 5,800 元）`: a family's year against the
 * standard it is owed, as a 补发's reply and its hold say it (no closing mark).
 */
function familyLine(
  name: string,
  year: number,
  paidFen: number,
  standardFen: number,
  label: string,
): string {
  const paid = `${name} ${year} 年已发 ${formatYuan(paidFen)} 元`
  const standard = `${label} ${formatYuan(standardFen)} 元`
  if (paidFen < standardFen) {
    return `${paid}，尚欠 ${formatYuan(standardFen - paidFen)} 元（${standard}）`
  }
  if (paidFen === standardFen) return `${paid}，已发足${standard}`
  return `${paid}，比${standard}多发 ${formatYuan(paidFen - standardFen)} 元`
}

/**
 * What a payment held as a repeat says of a 补发, ending with 「；」. A family paid less than its
 * standard (`owed`, its sum at the standard: familyPaid) is told what it is still owed and the
 * 补发 of it: `尚欠 5,500 元（农村标准 5,800 元），补发差额请发「补发优待金 李一 5500元」；` (the
 * amount typed when it is no more than that); a family paid in full its sum, with no 补发 to
 * suggest (a tester copied one into a third payment); one of unknown standard the 补发 of the
 * amount typed. `yearWord` (` 2026年`) names a year that is not today's in the line suggested.
 */
function repeatHint(
  name: string,
  year: number,
  yearWord: string,
  owed: { paidFen: number; standardFen: number; label: string } | undefined,
  typedFen: number | undefined,
): string {
  const command = (fen: number | undefined) =>
    `「补发优待金 ${name}${yearWord}${fen === undefined ? '' : ` ${typedYuan(fen)}`}」`
  if (!owed) return `补发差额请发${command(typedFen)}；`
  if (owed.paidFen >= owed.standardFen) {
    return `${familyLine(name, year, owed.paidFen, owed.standardFen, owed.label)}；`
  }
  const rest = owed.standardFen - owed.paidFen
  const fen = typedFen !== undefined && typedFen <= rest ? typedFen : rest
  return `尚欠 ${formatYuan(rest)} 元（${owed.label} ${formatYuan(owed.standardFen)} 元），补发差额请发${command(fen)}；`
}

/** A payment being filled in, between turns (forms.ts): every value the payment form may hold. */
const paymentDraftSchema = z
  .object(
    Object.assign({}, lookupFields, checkedDateFields, {
      /** No date was written: today was taken, and the reply says so. */
      dateDefaulted: z.boolean().optional(),
      /** The allowance year the line named (allowance-year.ts); else the date's year. */
      year: yearSchema.optional(),
      amountFen: fenSchema.optional(),
      /** The amount was written with 万, which makes a slip likelier. */
      typedWan: z.boolean().optional(),
      /** 「确认」 to an amount far from the standard. */
      confirmed: z.boolean().optional(),
      duplicateConfirmed,
      /** A 补发 (the line said so, markTopUp): stored as the payment's `topUp`. */
      topUp: z.literal(true).optional(),
      /** The line's 备注 (两年合发), kept through every question and 「确认」; never the 补发. */
      notes: z.string().max(500).optional(),
    }),
  )
  .strict()
export type PaymentDraft = z.infer<typeof paymentDraftSchema>

/** What the payment form's pending `field` asks for, as the line about an open form names it. */
function paymentMissing(
  field: string,
  values: PaymentDraft,
): Pick<FormSummary, 'missing' | 'answer'> {
  switch (field) {
    case 'person':
      return { missing: '发给哪一户', answer: '姓名' }
    case 'choose':
      return { missing: `选哪位${String(values.candidateName)}`, answer: '序号' }
    case 'dateYear':
      return { missing: '确认日期', answer: '「确认」或正确日期' }
    case 'allowanceYear':
      return { missing: '哪一年的优待金', answer: '年份' }
    case 'amount':
      return { missing: '金额' }
    case 'confirm':
      return { missing: '确认金额', answer: '「确认」或正确金额' }
    default:
      return { missing: '您的确认', answer: '「确认」' }
  }
}

/**
 * The line under a payment stored with no date written: it took today, and a following
 * 「昨天」 would not be read as its date, so say how to change it (issue 11). 修改 refuses,
 * with the way out, a date that moves the payment into another allowance year.
 */
function todayNote(date: LocalDate, id: number): string {
  return `日期按今天（${date.slice(5)}）登记；不是今天请改，如「修改 #${id} 日期 昨天」。`
}

/** The payment form: family → (choose among namesakes) → amount when no standard → confirm a slip. */
export function createPaymentForm(services: RecordServices): FormSpec<PaymentDraft> {
  const dateOptions = (ctx: FormContext) => ({ now: ctx.now, timezone: services.timezone })
  const doneRules = (ctx: FormContext) => ({
    now: ctx.now,
    timezone: services.timezone,
    what: '发放',
  })
  // What a 补发's family was paid at its standard, read once per message (nextQuestion checks
  // the amount against it, complete guards the write with it) and moved on by each 补发 stored.
  const paidRead = new WeakMap<FormContext['message'], Map<string, number>>()
  const familyPaid = async (
    ctx: FormContext,
    person: Person,
    year: number,
    standardFen: number,
  ) => {
    const key = `${person.id}|${year}|${standardFen}`
    const known = paidRead.get(ctx.message)?.get(key)
    if (known !== undefined) return known
    const family = {
      village: person.village,
      householdType: person.householdType!,
      personId: person.id,
    }
    const paid = await services.allowances.familyPaidFen(year, family, standardFen)
    remember(ctx, key, paid)
    return paid
  }
  const remember = (ctx: FormContext, key: string, paid: number) => {
    const known = paidRead.get(ctx.message) ?? new Map<string, number>()
    paidRead.set(ctx.message, known.set(key, paid))
  }
  // In the first months of a year, a payment written without a year to a family still owed
  // last year's allowance may be last year's (testers: booked to the new year without a
  // word, or as a part of its standard): asked, with what is owed. Two reads, only then.
  const lastYearOwed = async (values: PaymentDraft, person: Person, ctx: FormContext) => {
    const date = values.date
    if (values.year !== undefined || !date || !person.householdType) return undefined
    const { year, month } = partsOf(date)
    if (month > LATE_PAYMENT_MONTHS) return undefined
    const standard = await services.allowances.getAllowanceStandard(year - 1)
    if (!standard) return undefined
    const standardFen = standardFenFor(standard, person.householdType)
    const paid = await familyPaid(ctx, person, year - 1, standardFen)
    if (paid >= standardFen) return undefined
    const owed = paid === 0 ? '还未发放' : `尚欠 ${formatYuan(standardFen - paid)} 元`
    return {
      field: 'allowanceYear',
      prompt: [
        `${person.name} ${year - 1} 年优待金${owed}。`,
        `这笔是 ${year - 1} 年的请回复「${year - 1}」，`,
        `是 ${year} 年的请回复「${year}」。`,
      ].join('\n'),
    }
  }
  // ` 2026年` in a line suggested to send, when the payment counts in a year not today's.
  const yearWordOf = (year: number, ctx: FormContext) =>
    year === partsOf(localToday(ctx.now, services.timezone)).year ? '' : ` ${year}年`
  // A one-line payment brings what its first round trip read (PaymentReads); a form finished
  // over several turns reads the person and the standard afresh.
  const load = async (values: PaymentDraft, ctx: FormContext) => {
    const reads = ctx.prefetched as PaymentReads | undefined
    const { personId, date } = values
    // nextQuestion asks for the person first, and a payment always has a date.
    if (personId === undefined || date === undefined) throw new Error('payment draft incomplete')
    const year = values.year ?? partsOf(date).year
    const problem = allowanceYearProblem(year, date)
    if (problem) throw new UserFacingError(problem)
    const readPerson = reads?.person?.person
    const readStandard = reads?.standard
    const readDeadline = reads?.deadline
    const [person, standard, deadline] = await Promise.all([
      readPerson && readPerson.id === personId ? readPerson : services.people.getPerson(personId),
      readStandard && readStandard.year === year
        ? readStandard.value
        : services.allowances.getAllowanceStandard(year),
      readDeadline && readDeadline.year === year
        ? readDeadline.value
        : services.allowances.getAllowanceDeadline(year),
    ])
    if (!person) throw new UserFacingError(`没有找到对象 #${personId}。`)
    return { person, year, date, standard, deadline: allowanceDeadline(year, deadline) }
  }

  return {
    kind: 'payment',
    draft: paymentDraftSchema,
    // 2: the 补发 is `topUp`, no longer a note (a version-1 draft's 补发 note would be misread).
    version: 2,
    declines: declinesChoice,
    async nextQuestion(values, ctx) {
      if (values.personId === undefined) {
        if (values.candidates) {
          const candidates = (await services.records.getRecords(values.candidates)) as Person[]
          return {
            field: 'choose',
            prompt: candidateList(String(values.candidateName), candidates),
          }
        }
        return {
          field: 'person',
          prompt: '发给哪一户？请回复姓名（可加村名），如「李四」。回复「取消」退出。',
        }
      }
      const farBack = farBackQuestion(values, doneRules(ctx))
      if (farBack) return farBack
      const { person, year, standard } = await load(values, ctx)
      // Said before any question: asking an amount the write would then refuse loses the work.
      if (person.category !== CONSCRIPT_FAMILY) {
        throw new UserFacingError(
          `${person.name}（#${person.id}）是${person.category}，不是义务兵家庭，未登记。\n优待金只发给义务兵家庭。`,
        )
      }
      const lastYear = await lastYearOwed(values, person, ctx)
      if (lastYear) return lastYear
      if (!standard) {
        throw new UserFacingError(
          `${year} 年优待金标准还没有设置，未登记。\n请管理员先设置，如「优待金标准 ${year} 农村5800 城镇8600」，再登记发放。`,
        )
      }
      if (isTopUp(values) && person.householdType) {
        // A 补发 is not a repeat to hold (the user said what it is), but is held when it would
        // pay the family more than it is still owed against the standard.
        if (values.confirmed === true) return undefined
        const standardFen = standardFenFor(standard, person.householdType)
        const paid = await familyPaid(ctx, person, year, standardFen)
        const owed = Math.max(0, standardFen - paid)
        const label = standardLabel(standard, person)
        const family = familyLine(person.name, year, paid, standardFen, label)
        if (values.amountFen === undefined && owed === 0) {
          throw new UserFacingError(
            `${family}，无需补发，未登记。\n确需多发请写上金额，如「补发优待金 ${person.name} 300元」。`,
          )
        }
        const amountFen = values.amountFen ?? owed
        if (amountFen <= owed) return undefined
        const over =
          owed > 0
            ? `补发 ${formatYuan(amountFen)} 元 超过尚欠的差额`
            : `再补发 ${formatYuan(amountFen)} 元 会多发 ${formatYuan(amountFen)} 元`
        const example = owed > 0 ? `，如「${typedYuan(owed)}」` : ''
        return {
          field: 'confirm',
          prompt: `${family}；${over}，未登记。\n如确有此事请回复「确认」；金额有误请回复正确金额${example}。`,
        }
      }
      if (values.amountFen === undefined) {
        if (person.householdType) return undefined
        // The standard is set (above): what is missing is the family's 农村/城镇, which the
        // store needs (it once asked the amount, saying no standard was set).
        throw new UserFacingError(untypedFamily(person))
      }
      if (standard && person.householdType && values.confirmed !== true) {
        const standardFen = standardFenFor(standard, person.householdType)
        const reason = slipReason(
          values.amountFen,
          standardFen,
          values.typedWan === true,
          year,
          standardLabel(standard, person),
        )
        if (reason) {
          return {
            field: 'confirm',
            prompt: `${reason}\n如确有此事请回复「确认」；金额有误请回复正确金额，如「${typedYuan(standardFen)}」。`,
          }
        }
        // Clearly less than the standard (580 for 5,800): a slip or a part paid now, held like
        // a slip. Only such amounts read the family's sum (one HGET): a family already paid
        // this year is a repeat, which the write holds with what is still owed, so it is not
        // asked twice.
        if (
          values.amountFen < standardFen * ALLOWANCE_RATIO_SHORT &&
          values.duplicateConfirmed !== true &&
          (await familyPaid(ctx, person, year, standardFen)) === 0
        ) {
          return {
            field: 'confirm',
            prompt: belowStandardPrompt(
              values.amountFen,
              standardFen,
              year,
              standardLabel(standard, person),
            ),
          }
        }
        // 8,600 for a rural family is the urban standard (a tester): most likely the wrong
        // family's rate, so held like a slip though it is no slip of the amount itself.
        const other = otherStandard(standard, person.householdType)
        if (other && values.amountFen === other.fen && values.amountFen !== standardFen) {
          return {
            field: 'confirm',
            prompt: [
              `金额 ${formatYuan(values.amountFen)} 元是 ${year} 年${other.type}标准，`,
              `${person.name}是${person.householdType}户（标准 ${formatYuan(standardFen)} 元），未登记。`,
              '确认无误请回复「确认」；',
              `金额有误请回复正确金额，如「${typedYuan(standardFen)}」。`,
            ].join('\n'),
          }
        }
      }
      return undefined
    },

    async accept(field, answer, values, ctx) {
      const next: PaymentDraft = Object.assign({}, values)
      switch (field) {
        case 'person': {
          const line = parseRecordLine(answer, { now: ctx.now, timezone: services.timezone })
          // A whole line as the answer (`李二 2900元 昨天`) gives its date and amount too: taking
          // the name alone stored today's date and the standard without a word.
          const fields = paymentLineFields(line, ctx, answer, services.timezone)
          Object.assign(next, fields)
          if (fields.date !== undefined) delete next.dateDefaulted
          applyLookup(
            next,
            await lookUpPerson(line.words, ctx.actor, services, { allowUnit: false }),
          )
          return { values: next }
        }
        case 'choose': {
          const candidates = (await services.records.getRecords(
            values.candidates ?? [],
          )) as Person[]
          next.personId = chooseCandidate(
            answer,
            candidates,
            await services.villages.listVillages(),
          ).id
          delete next.candidates
          return { values: next }
        }
        case 'dateYear':
          return { values: acceptFarBack(answer, next, doneRules(ctx)) }
        case 'allowanceYear': {
          const dateYear = partsOf(values.date ?? localToday(ctx.now, services.timezone)).year
          const year = answeredYear(answer.trim(), dateYear)
          if (year === undefined) {
            throw new UserFacingError(`请回复「${dateYear - 1}」或「${dateYear}」。`)
          }
          return { values: Object.assign({}, next, { year }) }
        }
        case 'amount':
        case 'confirm': {
          if (field === 'confirm' && answer === '确认')
            return { values: Object.assign({}, next, { confirmed: true }) }
          const fen = parseAmountFen(answer)
          if (
            fen === undefined &&
            field === 'confirm' &&
            looksLikeRecordLine(answer, dateOptions(ctx))
          ) {
            // A new record (a 走访 line with its word mistyped, another family's payment) is not
            // read as this answer, and the user is told so, rather than asked the amount again.
            const what = isTopUp(values) ? '补发' : '优待金'
            throw new UserFacingError(heldAmountUnreadLine(what, formatYuan(values.amountFen ?? 0)))
          }
          if (fen === undefined) {
            throw new UserFacingError(
              field === 'confirm'
                ? '请回复「确认」，或正确金额如「5800元」。'
                : `没看懂金额「${answer}」，请回复如「8600元」。`,
            )
          }
          return {
            values: Object.assign({}, next, {
              amountFen: fen,
              typedWan: /万/.test(answer),
              confirmed: false,
            }),
          }
        }
        default:
          throw new Error(`payment form has no field ${field}`)
      }
    },

    async describe(values, field) {
      const person =
        values.personId === undefined ? undefined : await services.people.getPerson(values.personId)
      const filled = [
        person?.name,
        values.amountFen === undefined ? undefined : `${formatYuan(values.amountFen)} 元`,
        values.dateDefaulted === true ? undefined : values.date,
      ].filter((part): part is string => part !== undefined)
      const title = isTopUp(values) ? '优待金补发登记' : '优待金发放登记'
      return { title, filled, ...paymentMissing(field, values) }
    },

    async complete(values, idempotencyKey, ctx) {
      const { person, year, date, standard, deadline } = await load(values, ctx)
      if (!mayTouch(ctx.actor, person.village)) {
        throw new UserFacingError(`${person.name}在${person.village}，不在您负责的村，未登记。`)
      }
      const standardFen =
        standard && person.householdType
          ? standardFenFor(standard, person.householdType)
          : undefined
      // A 补发 is checked against, and guarded by, what the family was paid (nextQuestion).
      const paidBefore =
        isTopUp(values) && standardFen !== undefined
          ? await familyPaid(ctx, person, year, standardFen)
          : undefined
      const amountFen =
        values.amountFen ??
        (paidBefore !== undefined ? Math.max(0, standardFen! - paidBefore) : standardFen)
      if (amountFen === undefined) throw new UserFacingError('请写上发放金额，如「8600元」。')
      const snapshot = passedSnapshot(ctx)
      const { record, created, progress } = await services.allowances
        .addPayment(
          {
            personId: person.id,
            year,
            amountFen,
            date,
            standardFen,
            ...(values.topUp && { topUp: true }),
            ...(values.notes !== undefined && { notes: values.notes }),
          },
          { actor: ctx.actor.key, at: ctx.now, idempotencyKey },
          paidBefore !== undefined
            ? { topUpOf: paidBefore, snapshot }
            : { allowDuplicate: values.duplicateConfirmed === true, snapshot },
        )
        .catch(async (err: unknown) => {
          if (!(err instanceof DuplicateRecordError) || err.earlier.kind !== 'payment') throw err
          const earlier = err.earlier
          // A family paid part of its standard is told what it is still owed (one HGET, on
          // this refusal only): a 补发 of that, not a second payment, is what it most likely is.
          const owed =
            standardFen === undefined
              ? undefined
              : {
                  paidFen: await familyPaid(ctx, person, year, standardFen),
                  standardFen,
                  label: standard ? standardLabel(standard, person) : '标准',
                }
          throw new ConfirmationNeeded(
            [
              `${person.name} ${year} 年优待金已于 ${earlier.date.startsWith(String(year)) ? earlier.date.slice(5) : earlier.date} 发放 ${formatYuan(earlier.amountFen)} 元（#${earlier.id}），这次未登记。`,
              `${repeatHint(person.name, year, yearWordOf(year, ctx), owed, values.amountFen)}确需再发一笔请回复「确认」，否则不用回复。`,
            ].join('\n'),
            'duplicateConfirmed',
          )
        })
      const paidAfter =
        paidBefore === undefined ? undefined : created ? paidBefore + amountFen : paidBefore
      if (paidAfter !== undefined) remember(ctx, `${person.id}|${year}|${standardFen}`, paidAfter)
      // Counted as 统计 优待金 counts it (families due), so the two always agree (issue 11): as
      // the write script read it back, or read now for a redelivery answered from the first write.
      const village =
        progress ?? (await services.tallies.readVillageAllowance(year, person.village))
      const tookToday = values.dateDefaulted === true && created
      const defaulted =
        values.amountFen === undefined ? `（按 ${year} 年${person.householdType}标准）` : ''
      const topUp = paidAfter !== undefined
      const label = standard ? standardLabel(standard, person) : '标准'
      // A payment below the family's standard (a part, stored at once or confirmed) says what
      // the family is still owed, as a 补发's reply does, so 「已发 3/3 户」 under it does not read
      // as paid in full: one HGET after the write, for such payments only (the ordinary one
      // reads nothing more; its progress comes back from the write script).
      const shortAfter =
        !topUp && standardFen !== undefined && record.amountFen < standardFen
          ? await services.allowances.familyPaidFen(
              year,
              {
                village: person.village,
                householdType: person.householdType!,
                personId: person.id,
              },
              standardFen,
            )
          : undefined
      if (shortAfter !== undefined) remember(ctx, `${person.id}|${year}|${standardFen}`, shortAfter)
      const paidNow = topUp ? paidAfter : shortAfter
      const note = record.notes
      const owedNote = topUp && values.amountFen === undefined ? '（按尚欠差额）' : defaulted
      return {
        text: [
          `${created ? '已登记' : '此前已登记'} #${record.id}：${record.date} ${topUp ? '补发' : '发放'} ${year} 年优待金 ${person.village} ${person.name}（${record.householdType}）${formatYuan(record.amountFen)} 元${owedNote}${note ? `；备注：${note}` : ''}`,
          ...(paidNow !== undefined
            ? [`${familyLine(person.name, year, paidNow, standardFen!, label)}。`]
            : []),
          `${person.village}已发 ${village.families}/${village.due} 户。撤销请回复「撤销 #${record.id}」`,
          ...lateNote(record.date, year, deadline),
          ...(tookToday ? [todayNote(record.date, record.id)] : []),
        ].join('\n'),
      }
    },
  }
}

/**
 * `已过 2026 年截止日期（07-31）2 天。` for a payment dated after its year's deadline: still
 * stored (the money did reach the family), but the cadre is told it was late. None otherwise.
 */
function lateNote(date: LocalDate, year: number, deadline: LocalDate): string[] {
  const late = daysBetween(deadline, date)
  return late > 0 ? [`已过 ${year} 年截止日期（${monthDay(deadline)}）${late} 天。`] : []
}

/**
 * What a one-line payment reads in the message's first round trip: the line, the names, and
 * the standard of the year the line's date (or today) falls in. The command adds the person
 * its look-up settled on. The write's compare-and-set on the person catches a stale read.
 */
interface PaymentReads extends PrefetchedLine {
  standard?: { year: number; value: AllowanceStandard | undefined }
  /** The year's configured deadline, read beside the standard (the reply says a late payment). */
  deadline?: { year: number; value: LocalDate | undefined }
}

function prefetchPaymentLine(services: RecordServices) {
  return async (args: string, now: Date, reads: StoreReads): Promise<PaymentReads> => {
    const options = { now, timezone: services.timezone }
    const today = localToday(now, services.timezone)
    // A year word is no name (allowance-year.ts); a misread one is run's to refuse.
    let named: { args: string; year?: number } = { args }
    try {
      named = takeAllowanceYear(args, today)
    } catch (err) {
      if (!(err instanceof UserFacingError)) throw err
    }
    // A 补发 word names nobody, so it is not looked up (markTopUp; run marks the line again).
    const line = parseRecordLine(
      named.args.includes('\n') ? named.args : markTopUp(named.args, false, options),
      options,
    )
    const year = named.year ?? partsOf(line.date ?? today).year
    const [names, value, deadline] = await Promise.all([
      line.words.length > 0 ? readNames(line.words, services, reads) : undefined,
      services.allowances.getAllowanceStandard(year, reads),
      services.allowances.getAllowanceDeadline(year, reads),
    ])
    return { line, names, standard: { year, value }, deadline: { year, value: deadline } }
  }
}

/** 发放优待金: logs a conscript-family allowance payment; the amount defaults to the standard. */
export function createPaymentCommand(services: CommandServices): Command {
  // The line's own fields, and today when it names no day (stored with a note saying so).
  const paymentDraftOf = (
    line: RecordLine,
    ctx: CommandContext,
    text: string,
    record?: RecordText,
  ): PaymentDraft => {
    const fields = paymentLineFields(line, ctx, text, services.timezone, record)
    return fields.date === undefined
      ? Object.assign(
          { date: localToday(ctx.now, services.timezone), dateDefaulted: true as const },
          fields,
        )
      : fields
  }
  const batch: BatchKind<PaymentDraft> = {
    spec: createPaymentForm(services),
    what: '优待金发放',
    word: /^(?:发放优待金|优待金发放|发优待金|补发优待金|优待金补发)/,
    others: /^(?:登记走访|走访|慰问|活动|添加对象)/,
    example: '如「发放优待金 李一、李二 今天」',
    moneyHint: '金额写「5800元」，如「发放优待金 李一 5800元」。',
    allowUnit: false,
    draftOf: paymentDraftOf,
  }
  const many = (items: BatchItem<PaymentDraft>[], ctx: CommandContext) =>
    storeBatch(batch.spec, items, ctx as FormContext, batch.what, services.forms())
  return {
    name: '发放优待金',
    // 补发优待金 is the same command: run reads the word from the message (markTopUp).
    aliases: ['优待金发放', '发优待金', '补发优待金', '优待金补发'],
    wordFirst: asWordAndYear,
    audience: CADRE_AND_UP,
    summary: '登记义务兵家庭优待金发放（金额默认当年标准）',
    example: '发放优待金 李四 8600元 7月20日',
    prefetch: prefetchPaymentLine(services),
    async run(ctx) {
      // 补发 (the command word, a word of a line, a 备注 that begins with it) is carried as the
      // note's first word until each line becomes a draft (draftNoteOf): each is marked once.
      const options = { now: ctx.now, timezone: services.timezone }
      const byWord = TOP_UP_COMMAND.test(ctx.message.text.trim())
      // `补发优待金` alone asks for the family: its draft is a 补发 from the start. The text as
      // typed is mapped only for a text of several lines (one line maps its 备注 alone).
      // `发放优待金 李一 2026年`: the year it counts in, when not the date's (allowance-year.ts).
      const { args, year } = takeAllowanceYear(ctx.args, localToday(ctx.now, services.timezone))
      const inYear = (item: BatchItem<PaymentDraft>): BatchItem<PaymentDraft> =>
        year === undefined || !('values' in item)
          ? item
          : Object.assign({}, item, { values: Object.assign({}, item.values, { year }) })
      const several = args.includes('\n')
      const records: RecordText[] =
        args.trim() === ''
          ? [{ text: '' }]
          : recordTextsOf(args, several ? typedArgsOf(ctx) : undefined)
      const lines = records.map(({ text }) =>
        markTopUp(text, byWord || TOP_UP_COMMAND.test(text), options),
      )
      if (lines.length > 1) {
        const typed = records.map((r) => r.typed)
        return many((await lineItems(batch, lines, ctx, services, typed)).map(inYear), ctx)
      }
      // The prefetched line was read from the text as sent: not this record's when the record
      // was typed over several lines or 补发优待金 adds its note. Its names serve when they are
      // the same words (lookUpPerson checks).
      const text = lines[0] ?? ''
      const prefetched = ctx.prefetched as PaymentReads | undefined
      const line =
        prefetched && !byWord && !several ? prefetched.line : parseRecordLine(text, options)
      const names = prefetched?.names
      const values = paymentDraftOf(line, ctx, text, several ? records[0] : undefined)
      if (year !== undefined) values.year = year
      if (line.words.length > 0) {
        // `发放优待金 李一、李二`: several families, one payment each (batch-records.ts).
        const named = await namedOrList(batch, line, values, ctx, services, names)
        if ('items' in named) return many(named.items, ctx)
        const { lookup } = named
        applyLookup(values, lookup)
        passSnapshot(ctx, lookup)
      }
      return services.forms().start('payment', values, ctx as FormContext)
    },
  }
}

const STANDARD_USAGE =
  '格式：优待金标准 年份 农村金额 城镇金额，如「优待金标准 2027 农村5800 城镇8600」；统一标准如「优待金标准 2027 统一8600」。'

/**
 * The bounds of a year's standard per family (docs/figures.md, "Setting a standard"): below
 * STANDARD_MIN_FEN or above STANDARD_MAX_FEN it is refused (58 元 is no year's allowance, 580 万
 * a unit slip); below STANDARD_LOW_FEN or above STANDARD_HIGH_FEN it is held for 「确认」, as is
 * one more than STANDARD_CHANGE_RATIO times from the year before's or rural above urban.
 */
export const STANDARD_MIN_FEN = 100_00
export const STANDARD_LOW_FEN = 1_000_00
export const STANDARD_HIGH_FEN = 50_000_00
export const STANDARD_MAX_FEN = 100_000_00
/** A standard further than this many times from the year before's is held for 「确认」. */
export const STANDARD_CHANGE_RATIO = 2

/** `100 元` or `10 万元`, as the standard's bounds are said. */
function boundYuan(fen: number): string {
  return fen % 10_000_00 === 0 ? `${fen / 10_000_00} 万元` : `${formatYuan(fen)} 元`
}

/**
 * `农村5800 城镇8600` or `统一8600` (the words after the year) as a standard; undefined when
 * neither is written out. Throws UserFacingError, with the usage, for an amount it cannot read
 * or one outside [STANDARD_MIN_FEN, STANDARD_MAX_FEN]: nothing is set.
 */
function parseStandardAmounts(text: string): AllowanceStandard | undefined {
  const amounts: Record<string, number> = {}
  for (const m of text.matchAll(/(农村|城镇|统一)\s*[:：]?\s*([^\s农城统]+)/g)) {
    const fen = parseAmountFen(m[2]!)
    if (fen === undefined || fen === 0)
      throw new UserFacingError(`没看懂${m[1]}金额「${m[2]}」。${STANDARD_USAGE}`)
    if (fen < STANDARD_MIN_FEN)
      throw new UserFacingError(
        `${m[1]}标准 ${formatYuan(fen)} 元 低于 ${boundYuan(STANDARD_MIN_FEN)}，不像一年的优待金标准，未设置。请核对金额。${STANDARD_USAGE}`,
      )
    if (fen > STANDARD_MAX_FEN)
      throw new UserFacingError(
        `${m[1]}标准 ${formatYuan(fen)} 元 超过 ${boundYuan(STANDARD_MAX_FEN)}，未设置，请核对单位。${STANDARD_USAGE}`,
      )
    amounts[m[1]!] = fen
  }
  if (amounts.统一 !== undefined) return { mode: 'unified', fen: amounts.统一 }
  if (amounts.农村 !== undefined && amounts.城镇 !== undefined) {
    return { mode: 'split', ruralFen: amounts.农村, urbanFen: amounts.城镇 }
  }
  return undefined
}

/**
 * Why one figure of a standard looks like a slip: `农村 580 元 低于 1,000 元`, `城镇 60,000 元
 * 高于 5 万元`, or `农村 58,000 元 是 2026 年农村 5,800 元 的 10 倍` (`before`: the year before's
 * figures it may be compared with, a unified one against either type); undefined when none.
 */
function figureConcern(
  what: string,
  fen: number,
  before: readonly { what: string; fen: number }[],
  year: number,
): string | undefined {
  const figure = `${what} ${formatYuan(fen)} 元`
  if (fen < STANDARD_LOW_FEN) return `${figure} 低于 ${boundYuan(STANDARD_LOW_FEN)}`
  if (fen > STANDARD_HIGH_FEN) return `${figure} 高于 ${boundYuan(STANDARD_HIGH_FEN)}`
  const near = (b: number) => fen <= b * STANDARD_CHANGE_RATIO && fen * STANDARD_CHANGE_RATIO >= b
  if (before.length === 0 || before.some((b) => near(b.fen))) return undefined
  // The nearest of the year before's figures, so the ratio said is the smallest.
  const [b] = [...before].sort(
    (x, y) => Math.abs(Math.log(fen / x.fen)) - Math.abs(Math.log(fen / y.fen)),
  )
  return `${figure} 是 ${year} 年${b!.what} ${formatYuan(b!.fen)} 元 的 ${timesOfStandard(fen, b!.fen)} 倍`
}

/**
 * Why `standard` for `year` looks like a slip: a figure below STANDARD_LOW_FEN or above
 * STANDARD_HIGH_FEN, more than STANDARD_CHANGE_RATIO times or less than its inverse the year
 * before's for the same household type, or rural above urban. Empty when it looks like a
 * standard.
 */
function standardConcerns(
  standard: AllowanceStandard,
  year: number,
  before: AllowanceStandard | undefined,
): string[] {
  const was = (type: HouseholdType) =>
    before
      ? [{ what: before.mode === 'unified' ? '统一' : type, fen: standardFenFor(before, type) }]
      : []
  const concerns: (string | undefined)[] =
    standard.mode === 'unified'
      ? [
          figureConcern(
            '统一',
            standard.fen,
            before?.mode === 'unified' ? was('农村') : [...was('农村'), ...was('城镇')],
            year - 1,
          ),
        ]
      : [
          figureConcern('农村', standard.ruralFen, was('农村'), year - 1),
          figureConcern('城镇', standard.urbanFen, was('城镇'), year - 1),
          standard.ruralFen > standard.urbanFen
            ? `农村 ${formatYuan(standard.ruralFen)} 元 高于城镇 ${formatYuan(standard.urbanFen)} 元`
            : undefined,
        ]
  return concerns.filter((c): c is string => c !== undefined)
}

/** A standard being set (优待金标准), held for 「确认」 when it looks like a slip. */
const standardDraftSchema = z
  .object({
    year: z.number().int(),
    standard: allowanceStandardSchema,
    /** 「确认」 to a standard that looks like a slip (standardConcerns). */
    confirmed: z.boolean().optional(),
  })
  .strict()
export type StandardDraft = z.infer<typeof standardDraftSchema>

/** The form kind of 优待金标准 (registry.ts's createForms). */
export const STANDARD_FORM = 'standard'

/**
 * 优待金标准 as a form: stored at once unless it looks like a slip (standardConcerns), then held
 * with the year before's figures until 「确认」 or a corrected standard (checked again);
 * 「取消」 sets nothing.
 */
export function createStandardForm(services: RecordServices): FormSpec<StandardDraft> {
  return {
    kind: STANDARD_FORM,
    draft: standardDraftSchema,
    version: 1,
    async nextQuestion(values) {
      if (values.confirmed === true) return undefined
      const { year, standard } = values
      const before = await services.allowances.getAllowanceStandard(year - 1)
      const concerns = standardConcerns(standard, year, before)
      if (concerns.length === 0) return undefined
      const example = describeStandardLine(
        before ?? { mode: 'split', ruralFen: 580_000, urbanFen: 860_000 },
      )
      return {
        field: 'confirm',
        prompt: [
          `${year} 年优待金标准（${describeStandard(standard)}）未设置：`,
          `${concerns.join('；')}。`,
          ...(before ? [`${year - 1} 年标准：${describeStandard(before)}。`] : []),
          `确有此事请回复「确认」；有误请回复正确标准，如「${example}」；不设置请回复「取消」。`,
        ].join('\n'),
      }
    },
    async accept(field, answer, values) {
      if (field !== 'confirm') throw new Error(`standard form has no field ${field}`)
      if (answer.replace(/[。.!！]+$/, '') === '确认') {
        return { values: Object.assign({}, values, { confirmed: true }) }
      }
      const standard = parseStandardAmounts(answer.replace(/^(?:\d{4}\s*年?)/, ''))
      if (!standard) {
        throw new UserFacingError(
          `请回复「确认」，或正确标准如「${describeStandardLine(values.standard)}」；不设置请回复「取消」。`,
        )
      }
      return { values: { year: values.year, standard, confirmed: false } }
    },
    async describe(values) {
      return {
        title: '优待金标准设置',
        filled: [`${values.year} 年`, describeStandard(values.standard)],
        missing: '确认标准',
        answer: '「确认」或正确标准',
      }
    },
    async complete(values, idempotencyKey, ctx) {
      // Held between turns: the sender must still be an administrator when it is set.
      if (ctx.actor.role !== 'admin')
        throw new UserFacingError('设置优待金标准需要管理员权限，未设置。')
      const { year, standard } = values
      await services.allowances.setAllowanceStandard(year, standard, {
        actor: ctx.actor.key,
        at: ctx.now,
        idempotencyKey,
      })
      return { text: `已设置 ${year} 年优待金标准：${describeStandard(standard)}。` }
    },
  }
}

/** 优待金标准 2027 农村5800 城镇8600 | 优待金标准 2027 统一8600 (admin). */
export function createStandardCommand(services: CommandServices): Command {
  return {
    name: '优待金标准',
    aliases: ['设置优待金标准'],
    // `今年优待金标准是多少`, `农村优待金标准多少钱`, `明年优待金标准定了吗`: asking, in words.
    wordFirst: (text) =>
      /^[^\d]{1,8}优待金标准[^\d]*$/.test(text) && !/^设置/.test(text) ? '优待金标准' : undefined,
    // Anyone who pays or reports the allowance reads the standards (a leader was refused them,
    // a tester); only an administrator sets one.
    audience: CADRE_AND_UP,
    summary: '查看各年义务兵家庭优待金标准（管理员可设置）',
    example: '优待金标准',
    async run(ctx) {
      const { args, now } = ctx
      const year = /^(\d{4})\s*年?/.exec(args)
      // `优待金标准是多少`, `优待金标准定了吗`: asked in words, no figure in them, is a reading.
      if (!args.trim() || /^\d{4}\s*年?$/.test(args.trim()) || !/\d/.test(args)) {
        const asked = /^(\d{4})\s*年?$/.exec(args.trim())
        const shown = await showStandards(services, now, asked ? Number(asked[1]) : undefined)
        if (ctx.actor.role !== 'admin') return shown
        const next = partsOf(todayIn(now, services.timezone)!).year + 1
        return { text: `${shown.text}\n设置请发如「优待金标准 ${next} 农村5800 城镇8600」。` }
      }
      if (ctx.actor.role !== 'admin') {
        throw new UserFacingError(
          '设置优待金标准需要管理员权限。\n发「优待金标准」可查看各年标准。',
        )
      }
      if (!year) throw new UserFacingError(STANDARD_USAGE)
      const standard = parseStandardAmounts(args.slice(year[0].length))
      if (!standard) throw new UserFacingError(STANDARD_USAGE)
      const draft: StandardDraft = { year: Number(year[1]), standard }
      return services.forms().start(STANDARD_FORM, draft, ctx as FormContext)
    },
  }
}

/** `农村5800 城镇8600` or `统一8600`: a standard as the admin would type it. */
function describeStandardLine(standard: AllowanceStandard): string {
  const yuan = (fen: number) => formatYuan(fen).replace(/,/g, '')
  return standard.mode === 'unified'
    ? `统一${yuan(standard.fen)}`
    : `农村${yuan(standard.ruralFen)} 城镇${yuan(standard.urbanFen)}`
}

function describeStandard(standard: AllowanceStandard): string {
  return standard.mode === 'unified'
    ? `统一 ${formatYuan(standard.fen)} 元`
    : `农村 ${formatYuan(standard.ruralFen)} 元，城镇 ${formatYuan(standard.urbanFen)} 元`
}

/** Last year's, this year's and next year's standards, or only `asked`'s when a year is named. */
async function showStandards(services: CommandServices, now: Date, asked?: number) {
  const year = partsOf(todayIn(now, services.timezone)!).year
  const lines = []
  for (const y of asked === undefined ? [year - 1, year, year + 1] : [asked]) {
    const standard = await services.allowances.getAllowanceStandard(y)
    const deadline = await services.allowances.getAllowanceDeadline(y)
    lines.push(
      `${y} 年：${standard ? describeStandard(standard) : '未设置'}；截止 ${deadline ?? `${y}-07-31（默认）`}`,
    )
  }
  return { text: lines.join('\n') }
}

/** 优待金截止 2027-07-25 (admin): the date by which that year's allowance must be paid. */
export function createDeadlineCommand(services: CommandServices): Command {
  return {
    name: '优待金截止',
    audience: ADMIN_ONLY,
    summary: '设置某年优待金发放截止日期（默认 7 月 31 日）',
    example: '优待金截止 2027-07-25',
    async run({ args, actor, now, message }) {
      const options = { now, timezone: services.timezone, direction: 'future' as const }
      const date = parseDate(args.trim(), options)
      if (!date) {
        // `2027-02-30` is named as no such day, not answered with the format (a tester).
        const read = readDate(args.trim(), options)
        if (read && 'impossible' in read) {
          throw new UserFacingError(describeImpossibleDate(read.impossible, 'answer'))
        }
        throw new UserFacingError(
          '请写上截止日期，如「优待金截止 2027-07-25」或「优待金截止 7月25日」。',
        )
      }
      const year = partsOf(date).year
      await services.allowances.setAllowanceDeadline(
        year,
        date,
        writeMetaOf({ actor, now, message }),
      )
      // A deadline already past sends no reminder: saying one would come promised nothing.
      const past = date < localToday(now, services.timezone)
      return {
        text: `已设置 ${year} 年优待金发放截止日期：${date}（${weekdayName(date)}）。${past ? '这一天已过，不再发截止提醒。' : '截止前会提醒未发放的户。'}`,
      }
    },
  }
}
