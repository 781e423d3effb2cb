import { CADRE_AND_UP, mayRun, scopeOf, type Command, type CommandContext } from '../bot/command.js'
import {
  QUESTION_COMMAND,
  ledgerAsked,
  questionArgs,
  readQuestion,
  recordsAskedOf,
  type Question,
} from '../bot/intents.js'
import { nearCommand, nearWords } from '../bot/parse-command.js'
import { readRecordSentence } from '../parse/record-sentence.js'
import { UserFacingError } from '../errors.js'
import { isCampaignOccasion } from '../occasions.js'
import { partsOf, type LocalDate } from '../time/local-date.js'
import { nearestVillages } from '../parse/nearest-village.js'
import { looksLikeVillage, matchVillage, splitVillagePrefix } from '../parse/village.js'
import type { Reply } from '../platforms/types.js'
import type { Person } from '../records/schemas.js'
import type { RecordServices } from './services.js'
import { neededRoleText } from './help.js'
import { owedReply } from './question-allowance.js'
import { countdownReply, deadlineReply, occasionInstance, paceReply } from './question-calendar.js'
import { ownRecordsInSpanReply, paymentsInSpanReply, visitsInSpanReply } from './question-days.js'
import {
  isTitle,
  namesakesVisitsReply,
  personLookupReply,
  personRecordsReply,
  phoneReply,
  titleReply,
  visitorReply,
  type VisitorPeriod,
} from './question-person.js'
import { categoryRosterReply, categoryVisitsReply, rosterCountReply } from './question-roster.js'
import { todoReply } from './question-todo.js'
import { isAnyUnit, unitCountReply, unitOfQuestion, unitVisitedReply } from './question-units.js'
import {
  chooseCampaign,
  localToday,
  parseTallyQuery,
  villagesFor,
  type TallyQuery,
} from './tally-query.js'

const HOW_TO_ASK = [
  '可以这样问：',
  '「还有谁没走访」',
  '「今年优待金发了多少」',
  '「各村走访进度」',
  '「今年慰问金花了多少」',
  '「哪个村走访最差」',
  '「今天走访了谁」',
  '「本周走访了几户」',
  '「离八一还有几天」',
  '「全镇有多少户」',
  '「王建国走访过没有」',
  '「查一下王建国」',
].join('\n')

/** The reply to a question not understood, with what can be asked. */
function notUnderstood(why = '没看懂这个问题。'): UserFacingError {
  return new UserFacingError(`${why}\n${HOW_TO_ASK}`)
}

/**
 * A village is registered with its first household (添加对象 with a new village's name, then
 * 「确认」) or by the roster import; there is no command that adds one alone.
 */
function howVillagesCome(village: string): string {
  const name = /^[\p{Script=Han}]{2,12}$/u.test(village) ? village : '新村名'
  return [
    '村（社区）不用单独添加：',
    '添加第一户时写上村名即可，',
    `如「添加对象 王五 ${name} 烈属」，`,
    '回复「确认」后建村；',
    '也可由管理员导入花名册。',
  ].join('\n')
}

/**
 * The reply to a message whose first word is a command word mistyped (parse-command.ts
 * nearCommand): the corrected line to send, never run on a guess. Undefined when the message
 * is not one.
 */
function nearCommandReply(text: string, words: readonly string[]): string | undefined {
  const near = nearCommand(text, words)
  if (!near) return undefined
  if (near.hint === 'village') return `没看懂「${near.typed}」。\n${howVillagesCome(near.line)}`
  return `没看懂「${near.typed}」。您是不是要发「${near.line}」？`
}

/** The 导出 lines that answer `台账` (LEDGER_ASKED), or undefined for any other text. */
function ledgerPointer(
  text: string,
  thisYear: number,
  ctx: CommandContext,
  all: readonly Command[],
): string | undefined {
  const m = ledgerAsked(text)
  if (!m) return undefined
  const exporter = all.find((c) => c.name === '导出')
  if (!exporter) return '导出台账在本系统未开启，请联系管理员。'
  if (!mayRun(exporter, ctx.actor.role)) return neededRoleText(exporter, ctx.actor)
  const allowance = m[2] !== undefined
  const year = m[3] ?? String(thisYear)
  return [
    `导出${allowance ? '优待金' : ''}台账请回复「导出 ${allowance ? '优待金' : '台账'} ${year}」。`,
    allowance ? `走访台账：「导出 台账 ${year}」；` : `优待金：「导出 优待金 ${year}」；`,
    '花名册：「导出 花名册」。',
  ].join('\n')
}

/**
 * The name `张三的记录` asks about (recordsAskedOf), only when the question reader leaves that word
 * as a subject of its own: `本周走访记录？`, `八一走访记录？`, `全镇走访记录？` name days, an occasion
 * or a scope, and stay the questions they were.
 */
function namedInRecordsAsk(text: string): string | undefined {
  const word = recordsAskedOf(text)
  if (!word) return undefined
  const probe = readQuestion(`${word}走访过吗`, false)
  const plain =
    probe?.subjects.length === 1 &&
    probe.subjects[0] === word &&
    !probe.occasion &&
    probe.year === undefined &&
    !probe.span &&
    !probe.category
  return plain ? word : undefined
}

/** Words a question leaves over that say what is asked for, not whom: `本周走访记录？`. */
const RECORD_WORDS: ReadonlySet<string> = new Set(['记录', '纪录', '登记记录', '明细', '台账'])

/** The subjects of a question, told apart by the roster: villages, and a person's name. */
interface Subjects {
  villages: string[]
  names: string[]
}

/**
 * Splits the leftover words of a question into registered villages and names. A word may run a
 * village and a name together (`铁炉嘴村王建国`); a word shaped like a village that names none
 * is refused with the nearest ones, never taken for a person.
 */
function sortSubjects(words: readonly string[], known: readonly string[]): Subjects {
  const villages: string[] = []
  const names: string[] = []
  for (const word of words) {
    // `慰问金最多的村`: 的村 asks for a village, it names none.
    if (/^的?(?:村子?|社区)$/.test(word)) continue
    const whole = matchVillage(word, known)
    if (whole) {
      villages.push(whole)
      continue
    }
    const lead = splitVillagePrefix(word, known)
    if (lead) {
      villages.push(lead.village)
      // `童家坝村的张三`: the village's person, as `童家坝村 张三` (a name of one character left
      // after the 的 keeps it: `童家坝村的张` is no name).
      const afterOf = /^的\p{Script=Han}{2,}$/u.test(lead.rest) ? lead.rest.slice(1) : lead.rest
      names.push(afterOf)
      continue
    }
    if (looksLikeVillage(word)) {
      const near = nearestVillages(word, known)
      throw new UserFacingError(
        near.length > 0
          ? `没有「${word}」这个村（社区）。\n您是不是要找「${near.join('」或「')}」？`
          : `没有「${word}」这个村（社区）。\n已登记的有：${known.join('、') || '（还没有）'}。`,
      )
    }
    names.push(word)
  }
  return { villages: [...new Set(villages)], names }
}

/** A question's year and villages as 统计 reads them, and the villages it is answered for. */
interface Asked {
  today: LocalDate
  query: TallyQuery
  scope: readonly string[] | undefined
}

/**
 * The year and villages of `question` as 统计 reads them (`去年`, `2027`), refused as 统计
 * refuses them (a cadre's other village), and the scope they make.
 */
async function askedOf(
  services: RecordServices,
  question: Question,
  villages: readonly string[],
  ctx: CommandContext,
): Promise<Asked> {
  const today = localToday(ctx.now, services.timezone)
  const known = await services.villages.listVillages()
  const query = parseTallyQuery(
    [question.year, ...villages].filter(Boolean).join(' '),
    known,
    ctx.actor,
    HOW_TO_ASK,
    today,
  )
  return { today, query, scope: villagesFor(query, ctx.actor) }
}

/**
 * The answers the question command makes itself (intents.ts QuestionAnswer), for the villages
 * asked about (checked against a cadre's own, as 统计 checks them) and the asker's scope.
 */
async function answerItself(
  services: RecordServices,
  question: Question,
  villages: readonly string[],
  ctx: CommandContext,
): Promise<Reply> {
  const { today, query, scope } = await askedOf(services, question, villages, ctx)
  const occasion = question.occasion
  switch (question.answer) {
    case 'countdown':
      if (question.topic === 'allowance') return deadlineReply(services, query.year, scope, today)
      if (!occasion || !isCampaignOccasion(occasion)) break
      return countdownReply(services, occasion, !!question.eve, query.year, scope, today)
    case 'span':
      if (!question.span) break
      return question.topic === 'allowance'
        ? paymentsInSpanReply(services, question.span, scope, today)
        : visitsInSpanReply(
            services,
            question.span,
            Object.assign(
              { list: !!question.list, ranked: !!question.ranked },
              occasion && { occasion },
              question.category && { category: question.category },
              question.own && { loggedBy: { userKeys: [ctx.actor.key], name: '您' } },
            ),
            scope,
            today,
          )
    case 'roster':
      return rosterCountReply(services, scope, question.category)
    case 'category':
      if (!question.category) break
      return categoryVisitsReply(
        services,
        chooseCampaign({ year: query.year, occasion }, today),
        question.category,
        scope,
        today,
        !!question.list,
      )
    case 'todo':
      return todoReply(services, scope, today)
    case 'mine':
      if (!question.span) break
      return ownRecordsInSpanReply(services, ctx.actor.key, question.span, today)
    case 'owed':
      return owedReply(services, query.year ?? partsOf(today).year, scope, today, {
        verdict: false,
        yearNamed: query.year !== undefined,
      })
    case 'finished':
      return owedReply(services, query.year ?? partsOf(today).year, scope, today, {
        verdict: true,
        yearNamed: query.year !== undefined,
      })
    case 'pace':
      if (!occasion || !isCampaignOccasion(occasion)) break
      return paceReply(services, occasion, query.year, scope, today)
    case 'rosterList':
      if (!question.category) break
      return categoryRosterReply(services, scope, question.category)
  }
  throw notUnderstood()
}

/**
 * `春节前还有谁没走访`: 前 names the occasion's coming instance (on 12-02, 2027's 八一, not the
 * 2026 one 未走访 八一 means), unless a year was written.
 */
function withComingYear(question: Question, today: LocalDate): Question {
  const { occasion } = question
  if (!question.before || question.year !== undefined || !occasion) return question
  if (!isCampaignOccasion(occasion)) return question
  return Object.assign({}, question, {
    year: String(occasionInstance(occasion, false, today).year),
  })
}

/**
 * `李一去过了吗`: whether the person was visited in the campaign asked about (the one a plain
 * question means, else the occasion or year named), said before their card, which lists the
 * newest visit per occasion but answers no yes-or-no (a tester).
 */
async function visitVerdict(
  services: RecordServices,
  question: Question,
  person: Person,
  villages: readonly string[],
  ctx: CommandContext,
): Promise<string> {
  const { today, query } = await askedOf(services, question, villages, ctx)
  const campaign = chooseCampaign({ year: query.year, occasion: question.occasion }, today)
  const history = await services.people.historyOf(person.id, campaign.year)
  const visit = history.visits.find(
    (v) => v.occasion === campaign.occasion && v.year === campaign.year,
  )
  const season = `${campaign.year} ${campaign.occasion}`
  return visit
    ? `${person.name}：${season}已走访（${visit.date.slice(5)}）。`
    : `${person.name}：${season}还没有走访。`
}

/**
 * The answer to a question about a name that is no village: a unit (`武警中队慰问了吗`; units in
 * general: `慰问部队几次`), a cadre whose visits are counted (`李明走访了几户`, 李明 named on a role
 * binding and the question a count of visits), else the person's card (对象), as before. A name
 * that is on the roster is the family's, never a unit's; asked as a count of visits, a cadre of
 * that name comes first and the card is offered.
 */
async function answerName(
  services: RecordServices,
  question: Question,
  name: string,
  villages: readonly string[],
  ctx: CommandContext,
  card: () => Promise<Reply[]>,
): Promise<Reply[]> {
  if (question.topic !== 'visits') return card()
  // `李明走访了几户`, `李明本周走访了谁`: what someone visited, which only a cadre does.
  const countsVisits = question.counted === true || question.list === true
  const unit = unitOfQuestion(name)
  if (isAnyUnit(name)) {
    const { today, query, scope } = await askedOf(services, question, villages, ctx)
    return [
      await unitCountReply(
        services,
        query.year ?? partsOf(today).year,
        question.occasion,
        scope,
        today,
      ),
    ]
  }
  const [family, bindings] = await Promise.all([
    services.people.findPeopleByName(name),
    countsVisits ? services.roles.all() : undefined,
  ])
  if (unit && family.length === 0) {
    const { today, query } = await askedOf(services, question, villages, ctx)
    const campaign =
      question.occasion || query.year !== undefined
        ? chooseCampaign({ year: query.year, occasion: question.occasion }, today)
        : undefined
    return [await unitVisitedReply(services, unit, campaign, ctx.actor, ctx.now)]
  }
  const users = [...(bindings ?? new Map())].filter(([, b]) => b.name === name)
  if (users.length === 0) {
    if (family.length === 0 && isTitle(name)) {
      return [titleReply(name, bindings ?? (await services.roles.all()))]
    }
    const namesakes = await namesakesAnswer(services, question, name, family, villages, ctx)
    if (namesakes) return [namesakes]
    // Only someone the asker may see: a cadre's question about another village's family is
    // answered by the card's refusal alone (a tester was told 赵六 had been visited, and then
    // that no 赵六 was found).
    const scope = scopeOf(ctx.actor)
    const seen = family.filter((p) => !scope || scope.includes(p.village))
    const person = seen.length === 1 && question.visitAsked ? seen[0] : undefined
    const [verdict, cards] = await Promise.all([
      person ? visitVerdict(services, question, person, villages, ctx) : undefined,
      card(),
    ])
    const [first, ...rest] = cards
    return verdict && first
      ? [Object.assign({}, first, { text: `${verdict}\n${first.text}` }), ...rest]
      : cards
  }
  const { today, query, scope } = await askedOf(services, question, villages, ctx)
  if (question.span) {
    const loggedBy = { userKeys: users.map(([key]) => key), name }
    const filter = Object.assign(
      { list: !!question.list, ranked: !!question.ranked, loggedBy },
      question.occasion && { occasion: question.occasion },
      question.category && { category: question.category },
    )
    return [await visitsInSpanReply(services, question.span, filter, scope, today)]
  }
  const thisYear = partsOf(today).year
  const period: VisitorPeriod = question.occasion
    ? { campaign: chooseCampaign({ year: query.year, occasion: question.occasion }, today) }
    : query.year !== undefined
      ? { year: query.year }
      : { campaign: chooseCampaign({}, today), year: thisYear }
  return [await visitorReply(services, name, users, period, ctx, today, family.length > 0)]
}

/**
 * `张三走访过吗` with namesakes the asker may see (in the village written, else their own): each
 * with their visits of the campaign asked, or the current one (chooseCampaign, as 统计 reads a
 * plain question). Undefined for one person or none, whose answer stays the card (对象), and for
 * a village outside a cadre's own, which 对象 refuses in its words.
 */
async function namesakesAnswer(
  services: RecordServices,
  question: Question,
  name: string,
  family: readonly Person[],
  villages: readonly string[],
  ctx: CommandContext,
): Promise<Reply | undefined> {
  const village = villages[0]
  const scope = scopeOf(ctx.actor)
  if (village && scope && !scope.includes(village)) return undefined
  const people = family.filter((p) =>
    village ? p.village === village : !scope || scope.includes(p.village),
  )
  if (people.length < 2) return undefined
  const [{ today, query }, villageOrder] = await Promise.all([
    askedOf(services, question, villages, ctx),
    services.villages.listVillages(),
  ])
  const campaign = chooseCampaign({ year: query.year, occasion: question.occasion }, today)
  return namesakesVisitsReply(services, people, { name, campaign, villageOrder })
}

/**
 * The question command (intents.ts): answers a question in the asker's words with the command
 * that knows the answer, as if the asker had typed it: 统计 / 未走访 / 未发放 with the year,
 * occasion and villages asked about (a cadre's own by default), or 对象 for a named person.
 */
export function createQuestionCommand(
  services: RecordServices,
  all: () => readonly Command[],
): Command {
  const answerWith = async (name: string, args: string, ctx: CommandContext): Promise<Reply[]> => {
    const command = all().find((c) => c.name === name)
    if (!command) throw new UserFacingError(`没看懂这个问题。\n${HOW_TO_ASK}`)
    if (!mayRun(command, ctx.actor.role))
      throw new UserFacingError(neededRoleText(command, ctx.actor))
    const result = await command.run(Object.assign({}, ctx, { args, prefetched: undefined }))
    return Array.isArray(result) ? result : [result]
  }
  /**
   * `查一下张伟`, `钱七的电话`: each name's card or phone; a village alone (`查一下铁炉嘴村`) is
   * its roster. A look-up that names nobody was perhaps no look-up (`查一下天气`): not understood.
   */
  const lookUpNames = async (
    answer: 'lookup' | 'phone',
    villages: readonly string[],
    names: readonly string[],
    ctx: CommandContext,
  ): Promise<Reply[]> => {
    if (names.length === 0) {
      if (answer === 'lookup' && villages.length === 1)
        return answerWith('花名册', villages[0]!, ctx)
      throw notUnderstood()
    }
    const replies: Reply[] = []
    for (const name of names) {
      if (answer === 'phone') {
        replies.push(await phoneReply(services, name, villages[0], ctx))
        continue
      }
      const reply = await personLookupReply(services, name, villages[0], ctx)
      if (!reply) {
        const where = ctx.actor.role === 'cadre' ? '您负责的村里' : ''
        throw notUnderstood(`没看懂这个问题。\n${where}没有叫「${name}」的对象。`)
      }
      replies.push(reply)
    }
    return replies
  }
  // The command words, listed once, on the first message that needs them (all() is filled
  // after this command is made).
  let words: readonly string[] | undefined
  return {
    name: QUESTION_COMMAND,
    audience: CADRE_AND_UP,
    summary: '用自己的话问进度、名单、某人是否走访',
    example: '还有谁没走访',
    async run(ctx) {
      const today = localToday(ctx.now, services.timezone)
      // `张三的记录`, `台账`: asked by a name the parser hands on (docs/intents.md).
      const recordsOf = namedInRecordsAsk(ctx.args)
      if (recordsOf) {
        const known = await services.villages.listVillages()
        const { villages, names } = sortSubjects([recordsOf], known)
        if (names.length > 0) return personRecordsReply(services, names[0]!, villages[0], ctx)
      }
      const ledger = ledgerPointer(ctx.args, partsOf(today).year, ctx, all())
      if (ledger) return { text: ledger }
      const read = readQuestion(ctx.args, false)
      if (!read) {
        words ??= nearWords(all())
        const near = nearCommandReply(ctx.args, words)
        if (near) return { text: near }
        const told = readRecordSentence(ctx.args, { now: ctx.now, timezone: services.timezone })
        // The line to check and send: a sentence is never stored on a guess.
        if (told) return { text: `这句话没有登记。要登记走访请发：\n${told.line}` }
        throw notUnderstood()
      }
      const question = withComingYear(read, today)
      const known = question.subjects.length > 0 ? await services.villages.listVillages() : []
      const sorted = sortSubjects(question.subjects, known)
      const { villages } = sorted
      // `本周走访记录？`: 记录 says what is asked for, it names nobody.
      const names = sorted.names.filter((name) => !RECORD_WORDS.has(name))
      if (question.answer === 'lookup' || question.answer === 'phone') {
        return lookUpNames(question.answer, villages, names, ctx)
      }
      if (names.length === 0 && question.answer) {
        return [await answerItself(services, question, villages, ctx)]
      }
      if (names.length === 0)
        return answerWith(question.target, questionArgs(question, villages), ctx)
      // A person named: their own record answers, whatever the topic (对象 shows them); a unit
      // or a cadre has its own answer (answerName).
      const replies: Reply[] = []
      for (const name of names) {
        const card = () => answerWith('对象', [villages[0], name].filter(Boolean).join(' '), ctx)
        replies.push(...(await answerName(services, question, name, villages, ctx, card)))
      }
      return replies
    },
  }
}
