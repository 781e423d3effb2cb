import { CADRE_AND_UP, mayRun, type Command, type CommandContext } from '../bot/command.js'
import { QUESTION_COMMAND, questionArgs, readQuestion, type Question } from '../bot/intents.js'
import { nearCommand, nearWords } from '../bot/parse-command.js'
import { UserFacingError } from '../errors.js'
import { isCampaignOccasion } from '../occasions.js'
import { nearestVillages } from '../parse/nearest-village.js'
import { looksLikeVillage, matchVillage, splitVillagePrefix } from '../parse/village.js'
import type { Reply } from '../platforms/types.js'
import type { RecordServices } from './services.js'
import { neededRoleText } from './help.js'
import { countdownReply, deadlineReply } from './question-calendar.js'
import { ownRecordsInSpanReply, paymentsInSpanReply, visitsInSpanReply } from './question-days.js'
import { categoryVisitsReply, rosterCountReply } from './question-roster.js'
import { todoReply } from './question-todo.js'
import { chooseCampaign, localToday, parseTallyQuery, villagesFor } from './tally-query.js'

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
].join('\n')

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
    const whole = matchVillage(word, known)
    if (whole) {
      villages.push(whole)
      continue
    }
    const lead = splitVillagePrefix(word, known)
    if (lead) {
      villages.push(lead.village)
      names.push(lead.rest)
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
  const today = localToday(ctx.now, services.timezone)
  const known = await services.villages.listVillages()
  // The year and villages as 统计 reads them (`去年`, `2027`), refused as 统计 refuses them.
  const query = parseTallyQuery(
    [question.year, ...villages].filter(Boolean).join(' '),
    known,
    ctx.actor,
    HOW_TO_ASK,
    today,
  )
  const scope = villagesFor(query, ctx.actor)
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
  }
  throw new UserFacingError(`没看懂这个问题。\n${HOW_TO_ASK}`)
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
  // The command words, listed once, on the first message that needs them (all() is filled
  // after this command is made).
  let words: readonly string[] | undefined
  return {
    name: QUESTION_COMMAND,
    audience: CADRE_AND_UP,
    summary: '用自己的话问进度、名单、某人是否走访',
    example: '还有谁没走访',
    async run(ctx) {
      const question = readQuestion(ctx.args, false)
      if (!question) {
        words ??= nearWords(all())
        const near = nearCommandReply(ctx.args, words)
        if (near) return { text: near }
        throw new UserFacingError(`没看懂这个问题。\n${HOW_TO_ASK}`)
      }
      const known = question.subjects.length > 0 ? await services.villages.listVillages() : []
      const { villages, names } = sortSubjects(question.subjects, known)
      if (names.length === 0 && question.answer) {
        return [await answerItself(services, question, villages, ctx)]
      }
      if (names.length === 0)
        return answerWith(question.target, questionArgs(question, villages), ctx)
      // A person named: their own record answers, whatever the topic (对象 shows them).
      const replies: Reply[] = []
      for (const name of names) {
        replies.push(
          ...(await answerWith('对象', [villages[0], name].filter(Boolean).join(' '), ctx)),
        )
      }
      return replies
    },
  }
}
