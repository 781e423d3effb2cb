import type { FormQuestion } from '../bot/forms.js'
import { UserFacingError } from '../errors.js'
import { describeImpossibleDate, readDate, type DateMatch } from '../parse/date.js'
import type { RecordLine } from '../parse/record-line.js'
import { wrapToWidth } from '../replies/wrap-lines.js'
import { addDays, daysBetween, partsOf, type LocalDate } from '../time/local-date.js'
import { localToday } from './tally-query.js'

// The dates of things done (a visit, a payment, an activity), by the contract's rules: never
// after today, and a date without a year that reads far back is asked about (docs/dates.md).
// A date without a year at most two months ahead is read as the coming one (NEAR_AHEAD_DAYS in
// parse/date.ts), so it meets the first rule, not the second: `7月26日` on 07-25 is tomorrow.

/** Beyond this many days back, a date whose year was not written is confirmed first. */
export const FAR_BACK_DAYS = 183

export interface DoneDateRules {
  now: Date
  timezone: string
  /** What is being recorded, as the refusal names it: 走访, 发放, 活动. */
  what: string
}

/** What a form keeps of a checked date. `dateFarBack`: ask before storing. */
export interface CheckedDate {
  date: LocalDate
  dateText: string
  dateFarBack: boolean
}

/**
 * Something done is never dated after today: `走访 … 明天` or a payment dated next January
 * would otherwise count as done. Throws a reply that says why and what to write instead.
 * `previous`: a date without a year read as the coming one (NEAR_AHEAD_DAYS, `7月26日` on
 * 07-25), the earlier one it may have meant, which then needs its year.
 */
export function requireDone(
  date: LocalDate,
  today: LocalDate,
  what: string,
  previous?: LocalDate,
): void {
  const ahead = daysBetween(today, date)
  if (ahead <= 0) return
  // Wrapped to a phone's width: the hint was one 60-column line (a tester).
  throw new UserFacingError(
    [
      `${date} 是${aheadWord(ahead)}，还没到，${what}未登记。`,
      ...wrapToWidth(`已经做过的请写实际日期，如「今天」「昨天」「${recentExample(today)}」；`),
      ...wrapToWidth('要提前安排请设提醒，如「提醒 明天上午9点 走访张三」。'),
      ...(previous ? wrapToWidth(previousHint(previous)) : []),
    ].join('\n'),
  )
}

/**
 * `11月28日` on 12-02: a date without a year to give as an example of one already past, four
 * days back, so that answering with the example is never refused as ahead or far back.
 */
export function recentExample(today: LocalDate): string {
  const { month, day } = partsOf(addDays(today, -4))
  return `${month}月${day}日`
}

/** `明天`, `后天`, ` 35 天后`: how far ahead a date is, as the refusal says it. */
export function aheadWord(days: number): string {
  return days === 1 ? '明天' : days === 2 ? '后天' : ` ${days} 天后`
}

/** `若是 2025-07-26，请写上年份，如「2025年7月26日」。` */
export function previousHint(previous: LocalDate, example?: string): string {
  const { year, month, day } = partsOf(previous)
  return `若是 ${previous}，请写上年份，如「${example ?? `${year}年${month}月${day}日`}」。`
}

function check(match: DateMatch, rules: DoneDateRules): CheckedDate {
  const today = localToday(rules.now, rules.timezone)
  requireDone(match.date, today, rules.what, match.previous)
  // `12月28日` written on 12-02 reads as 11 months back: more likely a slip than a late entry.
  const farBack = match.yearFrom === 'direction' && daysBetween(match.date, today) > FAR_BACK_DAYS
  return { date: match.date, dateText: match.text, dateFarBack: farBack }
}

/** The date a one-line command gave, checked; undefined when it gave none. */
export function checkLineDate(line: RecordLine, rules: DoneDateRules): CheckedDate | undefined {
  if (line.impossibleDate) throw new UserFacingError(describeImpossibleDate(line.impossibleDate))
  return line.dateRead && check(line.dateRead, rules)
}

// `昨天去的`, `是昨天走访的`, `前天上门了`: a cadre answers the date in a sentence, and the words
// around it say nothing the question asked (a tester's 昨天走访的 was refused as no date).
const ANSWER_LEAD = /^(?:(?:我们|咱们|我)\s*)?(?:是|在|于|就)?\s*/
const ANSWER_TAIL =
  /\s*(?:(?:走访|看望|探望|慰问|上门|去|来|看|发放|发|付|办)(?:过|了|的)*|的|了|呢|吧|啊|哈|[。.!！~～]+)+$/

/** The date an answer names, read whole, else with the words of a sentence around it removed. */
function readAnswerDate(answer: string, rules: DoneDateRules) {
  const options = { now: rules.now, timezone: rules.timezone, direction: 'past' as const }
  const whole = readDate(answer, options)
  if (whole) return whole
  const bare = answer.replace(ANSWER_LEAD, '').replace(ANSWER_TAIL, '')
  return bare && bare !== answer ? readDate(bare, options) : undefined
}

// The days a sentence answering 「…日期？」 most often names, for claimsAnswer, which has no clock.
const DAY_WORD =
  /^(?:今天|昨天|前天|大前天|\d{1,2}月\d{1,2}[日号]?|\d{1,2}[日号]|上?(?:周|星期|礼拜)[一二三四五六日天]|\d{4}-\d{1,2}-\d{1,2})(?:上午|下午|中午|晚上)?$/

/**
 * Whether `answer` is a date said in a sentence (`11月30号走访的`, `前天去走访的`): the form
 * asking the date claims it before the question it also reads as (「11月30日铁炉嘴村没有走访」,
 * a tester). A clock-free check; the form's own reading follows.
 */
export function looksLikeDateAnswer(answer: string): boolean {
  const bare = answer.trim().replace(ANSWER_LEAD, '').replace(ANSWER_TAIL, '')
  return bare !== answer.trim() && DAY_WORD.test(bare)
}

/** Days back an occasion's day answering 「走访日期？」 is still read as the date (namesRecentDay). */
const RECENT_DAYS = 14

/**
 * Whether `answer` names a day at most RECENT_DAYS before today, or today: `八一` answering the
 * date on 08-03 is the day of a visit two days back; on 12-03, four months on, it names the
 * kind of visit (visit.ts).
 */
export function namesRecentDay(answer: string, rules: DoneDateRules): boolean {
  const read = readDate(answer, { now: rules.now, timezone: rules.timezone, direction: 'past' })
  if (!read || 'impossible' in read) return false
  const days = daysBetween(read.date.date, localToday(rules.now, rules.timezone))
  return days >= 0 && days <= RECENT_DAYS
}

/** An answer to 「…日期？」 read as the date of something done. */
export function readDoneAnswer(answer: string, rules: DoneDateRules): CheckedDate {
  const read = readAnswerDate(answer, rules)
  if (read && 'impossible' in read) {
    throw new UserFacingError(describeImpossibleDate(read.impossible, 'answer'))
  }
  if (!read) {
    throw new UserFacingError(`没看懂日期「${answer}」，请回复如「今天」「昨天」「7月30日」。`)
  }
  return check(read.date, rules)
}

/** The question to ask before storing a far-back date, or undefined when there is none. */
export function farBackQuestion(
  values: Partial<CheckedDate>,
  rules: DoneDateRules,
): FormQuestion | undefined {
  if (values.dateFarBack !== true || values.date === undefined) return undefined
  const date = values.date
  const today = localToday(rules.now, rules.timezone)
  // Round, at least one: 「12月28日」 on 12-02 is 11 months back.
  const months = Math.max(1, Math.round(daysBetween(date, today) / 30.4))
  return {
    field: 'dateYear',
    prompt: [
      `「${values.dateText ?? date}」按 ${date} 算，是 ${months} 个月前。`,
      `是这一天请回复「确认」；不是请回复正确日期，如「昨天」「${recentExample(today)}」。`,
    ].join('\n'),
  }
}

/** Reads the answer to farBackQuestion: 「确认」 keeps the date, a date replaces it. */
export function acceptFarBack<D extends Partial<CheckedDate>>(
  answer: string,
  values: D,
  rules: DoneDateRules,
): D {
  if (/^(确认|确定|是|是的|对)$/.test(answer.trim()))
    return Object.assign({}, values, { dateFarBack: false })
  return { ...values, ...readDoneAnswer(answer, rules) }
}
