import { scopeOf, type Actor, type CommandContext } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { typedTail } from '../parse/normalize.js'
import { looksLikeRecordLine, parseRecordLine, type RecordLine } from '../parse/record-line.js'
import { looksLikeVillage, matchVillage, splitVillagePrefix } from '../parse/village.js'
import type { PeopleStore } from '../records/people-store.js'
import { removalText } from '../records/person-fields.js'
import type { StoreReads } from '../records/reads.js'
import type { PersonSnapshot } from '../records/record-store.js'
import { unitNameSchema, type Person } from '../records/schemas.js'
import type { VillageStore } from '../records/village-store.js'
import { describeCategory, outsideScopeLine, searchRoster } from './find-people.js'
import type { RecordServices } from './services.js'

/**
 * Who a record names: one person (with the snapshot the look-up read, for the write to guard
 * on), several to choose from, or a unit (garrison, 中队…).
 */
export type Lookup =
  | { kind: 'person'; person: Person; snapshot: PersonSnapshot }
  | { kind: 'choose'; name: string; candidates: Person[] }
  | { kind: 'unit'; unitName: string }

/**
 * How a line names a unit (docs/lookups.md, "Units"), for 走访, 慰问, 慰问部队 and questions
 * alike: a name that ends in one of these words (武警中队, 消防救援站, 驻军某部, 三连) …
 */
export const UNIT_ENDINGS = [
  '部队',
  '驻军',
  '中队',
  '大队',
  '支队',
  '总队',
  '旅',
  '团',
  '营',
  '连',
  '哨所',
  '部',
  '站',
  '所',
  '武警',
  '消防',
  '军分区',
  '医院',
  '单位',
] as const
/** … or begins with one of these (武警中队一排, 消防大队二班). */
export const UNIT_LEADS = ['武警', '消防', '驻军', '部队', '解放军', '人武部', '军分区'] as const
/**
 * The one vocabulary of words that name units in general, not one unit (`部队`, `驻军`,
 * `单位`), for record lines and questions alike: a question about one of them is about every
 * unit (`慰问部队几次`, question-units.ts isAnyUnit), and a record that names only one of them is
 * asked for the unit's name (requireNamedUnit). Longest first, as a regex alternation needs.
 */
export const UNIT_WORDS = [
  '驻地部队',
  '驻军部队',
  '驻地单位',
  '部队单位',
  '部队',
  '驻军',
  '军队',
  '军营',
  '营区',
  '单位',
] as const
/**
 * Of UNIT_WORDS, those that before a unit's name only say a unit follows, and are not part of
 * it: `慰问部队 武警中队` (read as the command 慰问 and `部队 武警中队`), `慰问 驻地部队 消防救援站`.
 * 驻军 and 军营 begin a name instead (`驻军某部`, `军营三连`).
 */
const UNIT_MARKERS = [
  '驻地部队',
  '驻军部队',
  '驻地单位',
  '部队单位',
  '部队',
  '单位',
] as const satisfies readonly (typeof UNIT_WORDS)[number][]
const UNIT_MARKER = new RegExp(`^(?:${UNIT_MARKERS.join('|')})`)
const UNIT = new RegExp(`(?:${UNIT_ENDINGS.join('|')})$|^(?:${UNIT_LEADS.join('|')})`)

/** Whether `word` is one of UNIT_WORDS: units in general, not one unit's name. */
export function isUnitWord(word: string): boolean {
  return (UNIT_WORDS as readonly string[]).includes(word)
}

/** Whether `name` (one word, spaces removed) reads as a unit's name rather than a person's. */
export function isUnitName(name: string): boolean {
  return UNIT.test(name)
}

/**
 * The unit `name` names, without a leading 部队 word (`部队武警中队` → 武警中队), or undefined
 * when it does not read as a unit. A word of UNIT_WORDS alone (`部队`, `军营`) is returned as
 * it is, naming none: the look-up then asks for the name (requireNamedUnit), and a question
 * reads it as every unit (isAnyUnit). `部队医院` keeps its 部队 (医院 alone is no name).
 */
export function unitNameOf(name: string): string | undefined {
  if (isUnitWord(name)) return name
  const lead = UNIT_MARKER.exec(name)
  const rest = lead ? name.slice(lead[0].length) : ''
  if (rest && UNIT.test(rest) && !(UNIT_ENDINGS as readonly string[]).includes(rest)) return rest
  return UNIT.test(name) ? name : undefined
}

const LEAD = new RegExp(`^(?:${UNIT_LEADS.join('|')})`)

/**
 * The unit that the words left of a line name, read as one name (unitNameOf), or undefined.
 * Several words name a unit only when the first says so (`部队 三连`, `武警中队 一排`) or the
 * last is a unit's name of three or more characters on its own: `张三 李连` is two people.
 */
export function unitNameOfWords(parts: readonly string[]): string | undefined {
  if (parts.length > 1) {
    const first = parts[0]!
    const last = parts[parts.length - 1]!
    const marked =
      UNIT_MARKER.test(first) || LEAD.test(first) || ([...last].length >= 3 && UNIT.test(last))
    if (!marked) return undefined
  }
  return unitNameOf(parts.join(''))
}

/** Throws when `unitName` is only a word of UNIT_WORDS (部队, 驻军): the unit is asked for by name. */
function requireNamedUnit(unitName: string): void {
  if (!isUnitWord(unitName)) return
  throw new UserFacingError(
    '请写上部队名称，如\n「慰问部队 武警中队 今天 八一」\n「走访 消防救援站 今天 春节」。',
  )
}

export { scopeOf }

/** The village list and the active people named by all of `words`, whoever asks. */
export interface NameReads {
  words: readonly string[]
  known: readonly string[]
  named: readonly PersonSnapshot[]
}

/**
 * Reads what lookUpPerson needs for `words` in one round trip: most lines name no village,
 * so the whole text is looked up as a name while the village list loads. Through `reads` when
 * given (a prefetch: the dispatcher's first round trip).
 */
export async function readNames(
  words: readonly string[],
  deps: { people: PeopleStore; villages: VillageStore },
  reads?: StoreReads,
): Promise<NameReads> {
  const [known, named] = await Promise.all([
    deps.villages.listVillages(reads),
    // A record's look-up never shows a phone or ID number: they stay sealed.
    deps.people.readPeopleByName(words.join(''), { reads, withContact: false }),
  ])
  return { words, known, named }
}

/** A record command's line parsed, and the names it reads (Command.prefetch of 走访, 发放优待金). */
export interface PrefetchedLine {
  line: RecordLine
  names?: NameReads
  /**
   * The person the command's look-up settled on, set by the command (passSnapshot) for the
   * form's write in this same message to guard on; a later turn of the form reads afresh.
   */
  person?: PersonSnapshot
}

/** Hands the person `lookup` found to this message's write (PrefetchedLine.person). */
export function passSnapshot(ctx: CommandContext, lookup: Lookup): void {
  const reads = ctx.prefetched as PrefetchedLine | undefined
  if (reads && lookup.kind === 'person') reads.person = lookup.snapshot
}

/** The snapshot passSnapshot handed on in this message, if any (the store checks the id). */
export function passedSnapshot(ctx: Omit<CommandContext, 'args'>): PersonSnapshot | undefined {
  return (ctx.prefetched as PrefetchedLine | undefined)?.person
}

/** The non-empty lines of a record command's text, trimmed. */
export function textLines(args: string): string[] {
  return args
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
}

// Whether a line names anyone does not depend on the day its dates mean: the line reader is given
// this stand-in day for that question only, and the record's fields are read with the message's.
const ANY_DAY = { now: new Date('2026-01-01T04:00:00Z'), timezone: 'UTC' }

/**
 * A record command's word at the start of a line (走访, 慰问, 发放优待金, 补发优待金, 活动,
 * 添加对象, …): such a line always starts a record of its own. 慰问金 and 慰问品 are fields.
 */
export const RECORD_COMMAND_WORD =
  /^\/?(?:登记走访|走访|慰问(?![金品])|看望|探望|补发优待金|优待金补发|发放优待金|优待金发放|发优待金|活动|添加对象)/

/**
 * Where the records of a record command's text begin, as indexes of its lines (docs/lookups.md,
 * "One record over several lines"). A line starts a record of its own when it begins with a
 * record command's word, or when it names a person or unit: the record before read with it
 * leaves a word other than a village. A line that only adds fields (a date, an occasion, an
 * amount, goods, a village, a 备注) belongs to the record before: `走访 张三\n今天\n八一\n慰问金500元`
 * is one visit, `走访 张三 今天 日常\n李一 今天 日常` two. A 备注 runs to the end of its record, so
 * the lines after it are its text, unless one begins with a command word or reads as a record
 * line of its own (a word and a date or an occasion: `李一 今天 八一`); `备注：房屋漏雨\n需要修缮`
 * is one note. Pure.
 */
export function recordStarts(lines: readonly string[]): number[] {
  const starts = [0]
  let current = lines[0] ?? ''
  let words = parseRecordLine(current, ANY_DAY).words
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    const joined = `${current} ${line}`
    const whole = parseRecordLine(joined, ANY_DAY)
    if (startsRecord(line, words, whole)) {
      starts.push(i)
      current = line
      words = parseRecordLine(line, ANY_DAY).words
    } else {
      current = joined
      words = whole.words
    }
  }
  return starts
}

/** Whether `line` starts a record, after a record whose words are `before` (recordStarts). */
function startsRecord(line: string, before: readonly string[], whole: RecordLine): boolean {
  if (RECORD_COMMAND_WORD.test(line)) return true
  // Read into the 备注 of the record before: its text, unless it is a record line itself.
  if (whole.note?.endsWith(line)) return looksLikeRecordLine(line, ANY_DAY)
  const added = [...whole.words]
  for (const word of before) {
    const at = added.indexOf(word)
    if (at < 0) return true
    added.splice(at, 1)
  }
  return !added.every(looksLikeVillage)
}

/** Whether the lines of a record command's text are one record (recordStarts). Pure. */
export function isOneRecord(lines: readonly string[]): boolean {
  return recordStarts(lines).length === 1
}

/** One record of a command's text: as folded (its lines joined by spaces), and as typed. */
export interface RecordText {
  text: string
  /** The same lines as the sender typed them (asTyped), joined alike; undefined when unknown. */
  typed?: string
}

/**
 * The command's text as typed, when the context has it and it folds to the message's text
 * (typedTail): what the typed counterparts of its records are read from.
 */
export function typedArgsOf(
  ctx: Pick<CommandContext, 'typedText' | 'message' | 'args'>,
): string | undefined {
  return ctx.typedText === undefined
    ? undefined
    : typedTail(ctx.typedText, ctx.message.text, ctx.args)
}

/**
 * Free text at the end of a record (a 备注, a 需求, a person's notes), `tail` of it as folded,
 * as the sender typed it: full-width punctuation and script kept (docs/lookups.md, "Free text is
 * stored as typed"). Read from `record`'s typed text when given (one record of several, or over
 * several lines), else from the message's. Undefined when `tail` is, or when it cannot be found
 * in what was typed: the folded text then serves.
 */
export function typedFreeText(
  ctx: Pick<CommandContext, 'typedText' | 'message'>,
  tail: string | undefined,
  record?: RecordText,
): string | undefined {
  if (tail === undefined) return undefined
  const typed = record
    ? record.typed === undefined
      ? undefined
      : typedTail(record.typed, record.text, tail)
    : ctx.typedText === undefined
      ? undefined
      : typedTail(ctx.typedText, ctx.message.text, tail)
  return typed || undefined
}

/** A record's text as the one line the record reader reads: its lines joined by spaces. */
function asOneLine(args: string): string {
  return args.includes('\n') ? textLines(args).join(' ') : args
}

/** Command.prefetch for the record commands whose line names a person. */
export function prefetchNamedLine(services: RecordServices) {
  return async (args: string, now: Date, reads: StoreReads): Promise<PrefetchedLine> => {
    const line = parseRecordLine(asOneLine(args), { now, timezone: services.timezone })
    return {
      line,
      names: line.words.length > 0 ? await readNames(line.words, services, reads) : undefined,
    }
  }
}

/**
 * The command's line and names: as prefetched, or parsed now (the names are then read later).
 * A record over several lines (recordStarts) is read as its lines joined, whatever the prefetch
 * read: a payment's prefetch reads the text as sent, and its names serve when they are the same
 * words (lookUpPerson checks).
 */
export function namedLineOf(ctx: CommandContext, services: RecordServices): PrefetchedLine {
  const prefetched = ctx.prefetched as PrefetchedLine | undefined
  if (prefetched && !ctx.args.includes('\n')) return prefetched
  const line = parseRecordLine(asOneLine(ctx.args), { now: ctx.now, timezone: services.timezone })
  return Object.assign({}, prefetched, { line })
}

/**
 * Resolves the words naming whom a record is about (`张三`, `铁炉嘴村 张三`, `武警中队`)
 * within what `actor` may touch, from `reads` when they were made for these words. Throws
 * UserFacingError when nobody matches, explaining whether the person exists outside the
 * cadre's villages.
 */
export async function lookUpPerson(
  words: readonly string[],
  actor: Actor,
  deps: { people: PeopleStore; villages: VillageStore },
  options: { allowUnit: boolean },
  reads?: NameReads,
): Promise<Lookup> {
  const scope = scopeOf(actor)
  const { known, named } =
    reads && sameWords(reads.words, words) ? reads : await readNames(words, deps)
  let villageHint: string | undefined
  const nameParts: string[] = []
  for (const word of words) {
    const village = matchVillage(word, known)
    if (village && !villageHint) villageHint = village
    else nameParts.push(word)
  }
  const name = nameParts.join('')
  if (!name) throw new UserFacingError('请写上姓名，如「张三」或「铁炉嘴村 张三」。')

  if (villageHint && scope && !scope.includes(villageHint)) {
    throw new UserFacingError(
      `${villageHint}不在您负责的村（${scope.join('、')}），不能登记或查看。`,
    )
  }
  // Without a village word the name is all the words, as read; with one, look the name up.
  const everywhere = villageHint
    ? await deps.people.readPeopleByName(name, { withContact: false })
    : named
  const within = villageHint ? [villageHint] : scope
  const found = everywhere.filter(({ person }) => !within || within.includes(person.village))
  if (found.length === 1) return { kind: 'person', person: found[0]!.person, snapshot: found[0]! }
  if (found.length > 1) return { kind: 'choose', name, candidates: found.map((s) => s.person) }

  const unitName = options.allowUnit ? unitNameOfWords(nameParts) : undefined
  const unit = unitName !== undefined
  // `铁炉嘴村张三`, a village and a name run together, names nobody as one word: read as
  // `铁炉嘴村 张三` (the village's own checks and misses included). A unit keeps its whole name.
  const runTogether =
    !villageHint && !unit && nameParts.length === 1 && everywhere.length === 0
      ? splitVillagePrefix(name, known)
      : undefined
  if (runTogether) {
    const split = [runTogether.village, runTogether.rest]
    return lookUpPerson(split, actor, deps, options, { words: split, known, named: [] })
  }

  if (unitName !== undefined) {
    requireNamedUnit(unitName)
    // Checked here, as the write would: a unit the write refuses would be an apology.
    if (!unitNameSchema.safeParse(unitName).success) {
      throw new UserFacingError(
        `单位名称「${unitName.slice(0, 40)}」含「:」「|」或超过 40 个字，未登记。请改写后重发。`,
      )
    }
    return { kind: 'unit', unitName }
  }
  if (scope) {
    const elsewhere = everywhere.filter(({ person }) => !scope.includes(person.village))
    if (elsewhere.length > 0) {
      throw new UserFacingError(
        outsideScopeLine(
          name,
          elsewhere.map(({ person }) => person),
          scope,
        ),
      )
    }
  }
  // Someone removed from the roster (去世, 迁出) is said to be so, not guessed at: a tester's
  // 走访 张三 after 张三 died offered 李三, inviting a record for the wrong family.
  if (nameParts.length === 1) {
    const [removed] = await deps.people.findRemovedByName(name, within)
    if (removed) {
      throw new UserFacingError(
        `${name}（#${removed.id}，${removed.village}）已移出花名册：${removalText(removed.removal)}。\n不能再登记；如移错了，请管理员重新添加。`,
      )
    }
  }
  // Part of a name (`建国`) or a typo (`王建果`), searched as 对象 searches (find-people.ts):
  // offered as a numbered choice and never taken without the asker's answer, even when only one
  // fits. Only for one name: several words that name nobody are a list (batch-records.ts).
  if (nameParts.length === 1) {
    const guessed = await searchRoster(deps, name, within)
    if (guessed.kind === 'partial' || guessed.kind === 'near') {
      if (guessed.people.length > MAX_GUESSES) {
        throw new UserFacingError(
          `没有叫「${name}」的对象，名字含「${name}」的有 ${guessed.people.length} 位。请写全名（可加村名，如「铁炉嘴村 张三」）。`,
        )
      }
      return { kind: 'choose', name, candidates: guessed.people }
    }
  }
  const place = villageHint ? `${villageHint}的` : ''
  throw new UserFacingError(
    `没有找到${place}「${name}」。请核对姓名（可加村名，如「铁炉嘴村 张三」），或请管理员先「添加对象」。`,
  )
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i])
}

/** At most this many people offered for part of a name; more asks for the full name. */
export const MAX_GUESSES = 9

/** Whether `candidates` were guessed from part of `name` or a typo, rather than namesakes. */
export function isGuess(name: string, candidates: readonly Person[]): boolean {
  return candidates.some((p) => p.name !== name)
}

/** `张建国（铁炉嘴村）、王建国（童家坝村）`: the people a guess offers, in one line. */
export function guessedNames(candidates: readonly Person[]): string {
  return candidates.map((p) => `${p.name}（${p.village}）`).join('、')
}

/**
 * `1. 张伟 铁炉嘴村 烈士遗属` lines for choosing among namesakes, or among the people a part of a
 * name or a typo may mean (`没有叫「建国」的对象。您是不是要找：`).
 */
export function candidateList(name: string, candidates: readonly Person[]): string {
  const lines = candidates.map((p, i) => `${i + 1}. ${p.name} ${p.village} ${describeCategory(p)}`)
  if (!isGuess(name, candidates)) {
    return [`有 ${candidates.length} 位${name}，请回复序号：`, ...lines].join('\n')
  }
  return [
    `没有叫「${name}」的对象。您是不是要找：`,
    ...lines,
    candidates.length === 1
      ? '是请回复 1，不是请回复「取消」。'
      : '请回复序号；都不是请回复「取消」。',
  ].join('\n')
}

/** Picks a candidate by its number, or narrows by village. Throws with a re-ask otherwise. */
export function chooseCandidate(
  answer: string,
  candidates: readonly Person[],
  villages: readonly string[],
): Person {
  const index = indexOfAnswer(answer.trim())
  if (index >= 0 && index < candidates.length) return candidates[index]!
  // 「李二」 for the 李二 of the list, 是/对 to the one guess offered (a tester was held at
  // 「请回复 1 到 3 之间的序号」 for both).
  const named = candidates.filter((p) => p.name === answer.trim())
  if (named.length === 1) return named[0]!
  if (candidates.length === 1 && AGREED.test(answer.trim())) return candidates[0]!
  const village = matchVillage(answer, villages)
  const narrowed = village ? candidates.filter((p) => p.village === village) : []
  if (narrowed.length === 1) return narrowed[0]!
  throw new UserFacingError(`请回复 1 到 ${candidates.length} 之间的序号，或村名。`)
}

export { describeCategory } from './find-people.js'

const AGREED = /^(?:是|是的|对|对的|嗯|好|好的|确认|就是|就是他|就是她)[。.!！]?$/
const DECLINED = /^(?:不是|都不是|都不对|不对|没有)[。.!！]?$/

/**
 * FormSpec.declines of the forms that offer a choice of people (field `choose`): 不是 to
 * 「您是不是要找：…不是请回复「取消」」 is the answer the question offered, and cancels (a tester's
 * was refused as no number).
 */
export function declinesChoice(field: string, answer: string): boolean {
  return field === 'choose' && DECLINED.test(answer.trim())
}
const ORDINAL = /^(?:第)?(\d{1,2}|[一二两三四五六七八九十])(?:个|位|号|项)?[。.]?$/

/** `2`, `第二个`, `2号`, `二`: the list index an answer names (0-based), or -1. */
function indexOfAnswer(answer: string): number {
  const found = ORDINAL.exec(answer)
  if (!found) return -1
  const numeral = found[1]!
  const n = /^\d+$/.test(numeral) ? Number(numeral) : '一二三四五六七八九十'.indexOf(numeral) + 1
  return numeral === '两' ? 1 : n - 1
}

/**
 * Records what a look-up found in a form's values: the person, the unit, or the namesakes to
 * choose from (asked next by the form).
 */
export function applyLookup(values: Record<string, unknown>, lookup: Lookup): void {
  delete values.candidates
  if (lookup.kind === 'person') {
    values.personId = lookup.person.id
  } else if (lookup.kind === 'unit') {
    values.unitName = lookup.unitName
  } else {
    values.candidateName = lookup.name
    values.candidates = lookup.candidates.map((p) => p.id)
  }
}
