import { messageKey, type CommandContext } from '../bot/command.js'
import {
  ConfirmationNeeded,
  type FormContext,
  type FormEngine,
  type FormSpec,
  type FormValues,
} from '../bot/forms.js'
import { ZodError } from 'zod'
import { UserFacingError } from '../errors.js'
import { findAmount, formatYuan, MEASURE_WORDS } from '../parse/amount.js'
import { isNeedNote, parseRecordLine, type RecordLine } from '../parse/record-line.js'
import { matchVillage } from '../parse/village.js'
import type { Reply } from '../platforms/types.js'
import { wrapToWidth } from '../replies/wrap-lines.js'
import { HOUSEHOLD_TYPES, type HouseholdType } from '../records/schemas.js'
import {
  applyLookup,
  guessedNames,
  isGuess,
  lookUpPerson,
  recordStarts,
  textLines,
  type Lookup,
  type NameReads,
  type RecordText,
} from './people-lookup.js'
import type { RecordServices } from './services.js'

/** Longer than a person's name, unless it has the 「·」 of a minority name. */
const LONGEST_NAME = 6

/** Whether an item's last word (its name; a village may precede it) cannot be a name. */
function notAName(label: string): boolean {
  const name = label.split(' ').at(-1) ?? label
  return [...name].length > LONGEST_NAME && !name.includes('·')
}

/** Most records one message may carry: a village's visit round, still one phone screen or two. */
export const BATCH_LIMIT = 20

/**
 * One record of a message that carries several: who it names, and its draft or why none; or the
 * words of a line that were not read (`unread`), said once after the records (line-leftovers).
 */
export type BatchItem<D extends FormValues> =
  | { label: string; values: D }
  | { label: string; problem: string }
  | { label: string; unread: string }

// Words no person's name is, left over in a line that names someone (`走访 李一 … 米 一袋` once
// looked up 米 and 一袋): one character; a figure, a sign or 元; a numeral or a measure word
// alone; a money or goods label; a title (李书记, 王主任); the 走访人 mark.
const NUMERALS = '零〇一二两三四五六七八九十百千万'
const UNITS = MEASURE_WORDS.join('|')
const NOT_A_NAME = new RegExp(
  `^(?:.|.*[0-9¥￥元\\-].*|[${NUMERALS}]+(?:${UNITS})?|(?:${UNITS})|.*(?:慰问金|现金|金额|价值|慰问品|物品|礼品).*|.{1,3}(?:书记|主任|镇长|村长|乡长|部长|干事|委员|主席|同志|干部|领导)|走访人员?|陪同人员?|陪同)$`,
)
// Of those, the ones that may say money or goods: dropping them could change what is stored
// (the cash, the goods), so the line is refused and the sender asked to rewrite it.
const MONEY_OR_GOODS = new RegExp(
  `^.$|[0-9¥￥元${NUMERALS}\\-]|${UNITS}|慰问金|现金|金额|价值|慰问品|物品|礼品`,
)
const NEGATIVE = /-\s*[0-9]/

/** A line's words sorted: whom it names, the household type it says, what it did not read. */
interface SortedWords {
  people: string[]
  household?: HouseholdType
  unread: string[]
}

/**
 * The words of a line that names someone, with the leftovers no name is taken out; throws a
 * UserFacingError (nothing stored) for a leftover that says money or goods: a second amount, a
 * negative one, or one not read. We refuse rather than hold a draft: the form to hold it is the
 * visit's own (visit.ts), and a one-line reply saying how to write it is quicker to fix.
 */
function sortWords(line: RecordLine, moneyHint: string): SortedWords {
  const sorted: SortedWords = { people: [], unread: [] }
  for (const word of line.words) {
    if ((HOUSEHOLD_TYPES as readonly string[]).includes(word)) {
      if (sorted.household !== undefined && sorted.household !== word) {
        throw new UserFacingError('写了「农村」又写「城镇」，未登记。请只写一个。')
      }
      sorted.household = word as HouseholdType
    } else if (NOT_A_NAME.test(word)) sorted.unread.push(word)
    else sorted.people.push(word)
  }
  if (sorted.people.length === 0) return { people: line.words.slice(), unread: [] }
  for (const word of sorted.unread) {
    const second = findAmount(word, ['慰问金', '现金', '金额', '发放', '优待金'])
    if (NEGATIVE.test(word)) {
      throw new UserFacingError(`「${word}」是负数，未登记。\n请写正数，如「慰问金300元」。`)
    }
    if (second && line.amountFen !== undefined) {
      throw new UserFacingError(
        `写了两个慰问金（${formatYuan(line.amountFen)} 元、${formatYuan(second.fen)} 元），\n未登记。请只写一个。`,
      )
    }
    if (MONEY_OR_GOODS.test(word)) {
      throw new UserFacingError(`没看懂「${word}」，未登记。\n${moneyHint}`)
    }
  }
  return sorted
}

/** What a batch says of the words it did not read: stored without them. */
function unreadItem<D extends FormValues>(unread: readonly string[], who = ''): BatchItem<D>[] {
  if (unread.length === 0) return []
  const words = unread.join(' ')
  const text = wrapToWidth(`${who}没看懂「${words}」，未登记这部分。`).join('\n')
  return [{ label: words, unread: text }]
}

/**
 * Stores each item as its own record through the form's own checks and write, in order, each
 * under the message's key plus its index (`wecom:m1#2`), so a redelivery finds every write
 * done and a crash part-way stores the rest on the redelivery. Only the write under the
 * message's bare key finalises its marker (message-commits.ts), so the dispatcher does that
 * after the reply. One that cannot be stored at once (not found, a question it would need, a
 * duplicate held for 「确认」) is named with its reason; the others are stored.
 */
export async function storeBatch<D extends FormValues>(
  spec: FormSpec<D>,
  items: readonly BatchItem<D>[],
  ctx: FormContext,
  what: string,
  forms: Pick<FormEngine, 'storedAtOnce'>,
): Promise<Reply> {
  if (items.length > BATCH_LIMIT) {
    throw new UserFacingError(`一条消息最多登记 ${BATCH_LIMIT} 条${what}，请分开发送。`)
  }
  const key = messageKey(ctx.message)
  const stored: string[] = []
  const failed: string[] = []
  const unread: string[] = []
  const inGroup = ctx.message.chat.isGroup
  // Words no name was found for that read as a need (`房子漏雨`, a tester): not a missing person.
  const needLike: string[] = []
  for (const [index, item] of items.entries()) {
    if ('unread' in item) {
      unread.push(item.unread)
      continue
    }
    if ('problem' in item && inGroup && (notAName(item.label) || looksLikeNeed(item.label))) {
      // Longer than any name: likely a family's need written without 备注, which must not be
      // repeated to the whole group.
      failed.push(`有一段文字不是对象姓名，未登记。需求请写在「备注」后，私聊发我。`)
      continue
    }
    if ('problem' in item && looksLikeNeed(item.label)) {
      needLike.push(item.label)
      continue
    }
    if ('problem' in item) {
      failed.push(`${item.label}：${item.problem}`)
      continue
    }
    try {
      const question = await spec.nextQuestion(item.values, ctx)
      if (question) {
        const summary = await spec.describe?.(item.values, question.field, ctx)
        failed.push(`${item.label}：还差${summary?.missing ?? '内容'}，请单独发送`)
        continue
      }
      const reply = await spec.complete(item.values, `${key}#${index + 1}`, ctx)
      stored.push(storedLines(reply))
    } catch (err) {
      if (err instanceof ConfirmationNeeded) {
        failed.push(`${item.label}：${firstLine(err.prompt)}确需再登记请单独发送。`)
      } else if (err instanceof UserFacingError) {
        failed.push(`${item.label}：${firstLine(err.message)}`)
      } else if (err instanceof ZodError) {
        // A word that fails a record's schema (a unit name with 「:」) is this item's problem,
        // not the message's: the items before it are stored and must be reported as such.
        failed.push(`${item.label}：含无法登记的字符（如「:」「|」）或太长，请改写后单独发送`)
      } else throw err
    }
  }
  if (stored.length > 0) forms.storedAtOnce(spec.kind, ctx.message)
  const lines: string[] = []
  if (stored.length > 0) lines.push(`已登记 ${stored.length} 条${what}：`, ...stored)
  if (failed.length > 0) lines.push(`未登记 ${failed.length} 条：`, ...failed)
  lines.push(...unread)
  if (needLike.length > 0) lines.push(...needLines(needLike, stored))
  if (stored.length > 0) lines.push('撤销某条请回复「撤销 #编号」。')
  return { text: lines.join('\n') }
}

/**
 * A word left over that is not a name but says a need (`房子漏雨`: NEED_WORD, longer than most
 * names): said as such, with how to add it to the one record stored, not as a person missing.
 */
function looksLikeNeed(label: string): boolean {
  const word = label.split(' ').at(-1) ?? label
  return [...word].length >= 4 && isNeedNote(word, undefined)
}

function needLines(words: readonly string[], stored: readonly string[]): string[] {
  const text = words.join('，')
  const id = stored.length === 1 ? /#(\d+)/.exec(stored[0]!)?.[1] : undefined
  const how = id
    ? `是需求请发「修改 #${id} 需求 ${text}」。`
    : `需求请写在「需求」后，如「需求 ${text}」。`
  return wrapToWidth(`「${text}」不是对象姓名，未登记。${how}`)
}

/** A stored record's reply without 已登记 and its lines on progress, 撤销 and today's date. */
function storedLines(reply: Reply | Reply[]): string {
  const text = (Array.isArray(reply) ? reply[0]?.text : reply.text) ?? ''
  return text
    .split('\n')
    .filter((line, i) => i === 0 || !/撤销|^日期按今天/.test(line))
    .join('\n')
    .replace(/^(?:此前)?已登记 /, '')
}

/** What a record command gives the batch: its form, words and how a line becomes a draft. */
export interface BatchKind<D extends FormValues> {
  spec: FormSpec<D>
  /** 走访, 优待金发放: what the reply says was stored. */
  what: string
  /** The command's words at the start of a line after the first (optional there). */
  word: RegExp
  /** Other record commands' words at a line's start: such a line goes in its own message. */
  others: RegExp
  /** How to write several in one line, for the replies that refuse one. */
  example: string
  /** How this kind's money (and goods) are written, after a word that may be either. */
  moneyHint: string
  allowUnit: boolean
  /**
   * A line's own fields (`text` as written, folded), everything but whom it names; throws
   * UserFacingError as the one-line command does. `record` is the record the line was read
   * from, with its text as typed when known (typedFreeText reads a 备注 from it).
   */
  draftOf(line: RecordLine, ctx: CommandContext, text: string, record?: RecordText): D
  /** Why a line's shared fields cannot serve several people (a need, a missing date), if so. */
  sharedProblem?(base: D): string | undefined
}

/** What one person's look-up gives a batch: the draft with them, or why not. */
async function itemOf<D extends FormValues>(
  kind: BatchKind<D>,
  words: readonly string[],
  base: D,
  ctx: CommandContext,
  services: RecordServices,
  household?: HouseholdType,
): Promise<BatchItem<D>> {
  const label = words.join(' ')
  try {
    const lookup = await lookUpPerson(words, ctx.actor, services, { allowUnit: kind.allowUnit })
    // 农村/城镇 says which standard the sender meant: one that is not the person's is refused.
    if (household !== undefined && lookup.kind === 'person') {
      const own = lookup.person.householdType
      if (own !== household) {
        const problem = own
          ? `${own}户，不是「${household}」，未登记。`
          : `未记户口类型，未按「${household}」登记。`
        return { label, problem }
      }
    }
    if (lookup.kind === 'choose' && isGuess(lookup.name, lookup.candidates)) {
      return {
        label,
        problem: `没有叫「${lookup.name}」的对象，是不是 ${guessedNames(lookup.candidates)}？请写全名。`,
      }
    }
    if (lookup.kind === 'choose') {
      const example = `${lookup.candidates[0]!.village} ${lookup.name}`
      return {
        label,
        problem: `有 ${lookup.candidates.length} 位${lookup.name}，请加村名，如「${example}」`,
      }
    }
    const values = Object.assign({}, base)
    applyLookup(values, lookup)
    return { label, values }
  } catch (err) {
    if (err instanceof UserFacingError) return { label, problem: err.message }
    throw err
  }
}

/**
 * `走访 杨英明、高长福 今天 日常`: the words name several people (the whole did not name one),
 * so each is its own record with the line's date, occasion and amounts. Undefined when no
 * word names anybody: then the line was one name after all, and its own error stands.
 */
export async function nameListItems<D extends FormValues>(
  kind: BatchKind<D>,
  line: RecordLine,
  base: D,
  ctx: CommandContext,
  services: RecordServices,
): Promise<BatchItem<D>[] | undefined> {
  const known = await services.villages.listVillages()
  const village = line.words.find((w) => matchVillage(w, known))
  const sorted = sortWords(
    Object.assign({}, line, { words: line.words.filter((w) => w !== village) }),
    kind.moneyHint,
  )
  const names = sorted.people
  const leftovers = sorted.unread.length > 0 || sorted.household !== undefined
  if (names.length < 2 && !leftovers) return undefined
  const items = await Promise.all(
    names.map((name) =>
      itemOf(kind, village ? [village, name] : [name], base, ctx, services, sorted.household),
    ),
  )
  // With leftovers the line named one person at most, whose own problem is the answer.
  if (!leftovers && items.every((item) => 'problem' in item)) return undefined
  const shared = names.length > 1 ? kind.sharedProblem?.(base) : undefined
  if (shared) throw new UserFacingError(shared)
  return items.concat(unreadItem<D>(sorted.unread))
}

// 和 (与, 及, 跟, 同) between names, as a cadre says a list aloud: `李三和李二`.
const CONJUNCTION = /[和与及跟同]/
const NAME_PART = /^\p{Script=Han}{2,4}$/u

/**
 * The line with each word that joins names by 和 (与, 及, 跟, 同) split into them (`李三和李二` →
 * `李三 李二`), or undefined when no word does. Every part is two to four Han characters, so
 * 张和平 (张, 平) is never split, and 李三同志 (志) neither; a name with 和 in it that is on the
 * roster is found as one before this is tried (namedOrList).
 */
export function splitConjoinedNames(line: RecordLine): RecordLine | undefined {
  let split = false
  const words = line.words.flatMap((word) => {
    const parts = word.split(CONJUNCTION)
    if (parts.length < 2 || !parts.every((part) => NAME_PART.test(part))) return [word]
    split = true
    return parts
  })
  return split ? Object.assign({}, line, { words }) : undefined
}

/**
 * Whom a record line names, or the batch its words are as a list: the words as one look-up
 * first; when that names nobody (a refusal, or only guesses at part of a name), the words as
 * a list of names (`李一、李二`, `李三和李二`: nameListItems), one record each. The look-up's
 * refusal or guesses stand when no list serves.
 */
export async function namedOrList<D extends FormValues>(
  kind: BatchKind<D>,
  line: RecordLine,
  base: D,
  ctx: CommandContext,
  services: RecordServices,
  names?: NameReads,
): Promise<{ lookup: Lookup } | { items: BatchItem<D>[] }> {
  const conjoined = splitConjoinedNames(line)
  const asList = async () =>
    line.words.length > 1 || conjoined
      ? nameListItems(kind, conjoined ?? line, base, ctx, services)
      : undefined
  let lookup: Lookup
  try {
    const options = { allowUnit: kind.allowUnit }
    lookup = await lookUpPerson(line.words, ctx.actor, services, options, names)
  } catch (err) {
    const items = err instanceof UserFacingError ? await asList() : undefined
    if (!items) throw err
    return { items }
  }
  if (conjoined && lookup.kind === 'choose' && isGuess(lookup.name, lookup.candidates)) {
    const items = await asList()
    if (items) return { items }
  }
  return { lookup }
}

/**
 * One record per line of a message with several (the command word optional after the first);
 * `typed[i]` is `lines[i]` as typed, when known (recordTextsOf).
 */
export async function lineItems<D extends FormValues>(
  kind: BatchKind<D>,
  lines: readonly string[],
  ctx: CommandContext,
  services: RecordServices,
  typed?: readonly (string | undefined)[],
): Promise<BatchItem<D>[]> {
  const perLine = await Promise.all(
    lines.map(async (text, i): Promise<BatchItem<D>[]> => {
      const other = kind.others.exec(text)?.[0]
      if (other) {
        const named = text.slice(other.length).trim().split(' ')[0] || other
        return [{ label: named, problem: `「${other}」请另发一条消息` }]
      }
      const body = text.replace(kind.word, '').trim()
      const label = body.split(' ')[0] || text
      try {
        const line = parseRecordLine(body, { now: ctx.now, timezone: services.timezone })
        if (line.words.length === 0) {
          return [{ label, problem: `请写上姓名，${kind.example}` }]
        }
        const record = { text, typed: typed?.[i] }
        const draft = kind.draftOf(line, ctx, body, record)
        // As the one-line command does: the words are sorted only when together they name no one
        // (a unit such as `71234部队 三连` is whole words with figures).
        const whole = await itemOf(kind, line.words, draft, ctx, services)
        if (!('problem' in whole) || line.words.length < 2) return [whole]
        const sorted = sortWords(line, kind.moneyHint)
        if (sorted.unread.length === 0 && sorted.household === undefined) return [whole]
        const item = await itemOf(kind, sorted.people, draft, ctx, services, sorted.household)
        // Among several lines, which record's words these were.
        return [item].concat(unreadItem<D>(sorted.unread, `${item.label}：`))
      } catch (err) {
        if (err instanceof UserFacingError) return [{ label, problem: err.message }]
        throw err
      }
    }),
  )
  return perLine.flat()
}

/**
 * The records of a command's text, one text each: more than one means one record per line. A
 * record typed over several lines whose later lines only add fields (`走访 张三\n今天\n八一`) is
 * one, its lines joined; a line that begins with a command word or names someone starts the next
 * (recordStarts, people-lookup.ts).
 */
export function linesOf(args: string): string[] {
  return recordTextsOf(args).map((record) => record.text)
}

/**
 * The records of a command's text (linesOf), each with its lines as typed when `typedArgs` (the
 * text as typed: typedArgsOf) has the same lines; they are joined the same way.
 */
export function recordTextsOf(args: string, typedArgs?: string): RecordText[] {
  const lines = textLines(args)
  if (lines.length < 2) return lines.map((text) => ({ text }))
  const typedLines = typedArgs === undefined ? undefined : textLines(typedArgs)
  const aligned = typedLines?.length === lines.length ? typedLines : undefined
  const starts = recordStarts(lines)
  return starts.map((start, i) => {
    const end = starts[i + 1] ?? lines.length
    const text = lines.slice(start, end).join(' ')
    const typed = aligned?.slice(start, end).join(' ')
    return typed === undefined ? { text } : { text, typed }
  })
}

function firstLine(text: string): string {
  return text.split('\n')[0]!
}
