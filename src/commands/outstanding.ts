import { CADRE_AND_UP, type Command } from '../bot/command.js'
import { formatYuan } from '../parse/amount.js'
import { standardFenFor, type AllowanceStandard, type Person } from '../records/schemas.js'
import type { AllowanceTally } from '../records/tally-reader.js'
import { shortFamilyLines } from '../replies/short-families.js'
import { wrapToWidth } from '../replies/wrap-lines.js'
import { partsOf, type LocalDate } from '../time/local-date.js'
import { lastYearOwedLines } from './last-year-owed.js'
import { describeCategory } from './people-lookup.js'
import type { RecordServices } from './services.js'
import { allowanceDeadline } from './tally.js'
import { scopeLabel, titleLines } from './tally-format.js'
import { visitsLoggedToday } from './tally-views.js'
import {
  campaignStatus,
  chooseCampaign,
  type CampaignChoice,
  deadlineStatus,
  localToday,
  parseTallyQuery,
  villagesFor,
} from './tally-query.js'

/** At most this many names in one reply (one chat screen); the rest are counted by village. */
export const MAX_LISTED = 20

/**
 * How listByVillage says who is past MAX_LISTED: `one line`, the counts and the hint together
 * (对象名单, question-roster.ts, as it has read); `phone`, the counts broken to REPLY_WIDTH and the hint on a
 * line of its own, so a township of many villages still fits a phone (未走访, 未发放).
 */
export type RestLayout = 'one line' | 'phone'

/**
 * Numbered names grouped by village (`铁炉嘴村 3 户：` then `1. 王五（…）`), numbering across
 * villages; past MAX_LISTED, the rest as counts per village with how to see them.
 */
export function listByVillage(
  people: readonly Person[],
  describe: (p: Person) => string,
  moreHint: string,
  layout: RestLayout = 'one line',
): string[] {
  const byVillage = new Map<string, Person[]>()
  for (const p of people) byVillage.set(p.village, [...(byVillage.get(p.village) ?? []), p])
  const single = byVillage.size === 1
  const lines: string[] = []
  const rest: string[] = []
  let n = 0
  for (const [village, list] of byVillage) {
    const room = MAX_LISTED - n
    if (room <= 0) {
      rest.push(`${village} ${list.length} 户`)
      continue
    }
    if (!single) lines.push(`${village} ${list.length} 户：`)
    for (const p of list.slice(0, room)) lines.push(`${++n}. ${describe(p)}`)
    if (list.length > room) rest.push(`${village}另 ${list.length - room} 户`)
  }
  if (rest.length === 0) return lines
  const unlisted = `未列出：${rest.join('、')}。`
  if (layout === 'one line') lines.push(`${unlisted}${moreHint}`)
  else lines.push(...wrapToWidth(unlisted), moreHint)
  return lines
}

/** At most this many names in the line about other visits today; the rest are counted. */
const OTHER_NAMED = 5

/** `11月28日` for a day of `today`'s year, `2025年12月30日` otherwise. */
function dayWord(date: LocalDate, today: LocalDate): string {
  const { year, month, day } = partsOf(date)
  return `${year === partsOf(today).year ? '' : `${year}年`}${month}月${day}日`
}

/**
 * How the line about other visits names each of `named` so that it points at one household, as
 * the list tells them apart: by name alone when nobody else in the villages asked about has it;
 * with the village, as the list heads each village, when a namesake lives in another
 * (`铁炉嘴村 张伟`); with the category the list shows when one lives in the same village
 * (`张伟（烈士遗属）`). One read of the name index per name, for at most OTHER_NAMED names.
 */
async function namesAsListed(
  services: RecordServices,
  named: readonly Person[],
  villages: readonly string[] | undefined,
): Promise<Map<number, string>> {
  const distinct = [...new Set(named.map((p) => p.name))]
  const found = await Promise.all(
    distinct.map((name) => services.people.findPeopleByName(name, villages)),
  )
  const namesakes = new Map(distinct.map((name, i) => [name, found[i]!]))
  const nameOf = (p: Person) => {
    const others = (namesakes.get(p.name) ?? []).filter((o) => o.id !== p.id)
    const where = others.some((o) => o.village !== p.village) ? `${p.village} ` : ''
    const what = others.some((o) => o.village === p.village) ? `（${describeCategory(p)}）` : ''
    return `${where}${p.name}${what}`
  }
  return new Map(named.map((p) => [p.id, nameOf(p)]))
}

/**
 * 「张三、李二今天另登记了日常、春节走访，不计入元旦。」: the listed households with a visit logged
 * today toward another occasion (or another year's), which a cadre who just logged it would
 * otherwise read as lost. A visit logged today but done on an earlier day is said with its day
 * (「王五另登记了11月28日的日常走访」), never as today's; a name others share in the villages
 * asked about is told apart as the list tells it (namesAsListed). Read from the day's end of
 * the campaign lists, as 今天走访了谁 reads them (TallyReader.visitsLoggedSince): the day's
 * visits plus a page per campaign.
 */
async function otherVisitsToday(
  services: RecordServices,
  listed: readonly Person[],
  campaign: CampaignChoice,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<string | undefined> {
  const visits = await visitsLoggedToday(services, villages, today)
  // Per person, the labels of their other visits by the day each was done.
  const byPerson = new Map<number, Map<LocalDate, Set<string>>>()
  let sameOccasion = false
  for (const v of visits) {
    if (v.personId === undefined) continue
    if (v.occasion === campaign.occasion && v.campaignYear === campaign.year) continue
    const label = v.occasion === campaign.occasion ? `${v.campaignYear} ${v.occasion}` : v.occasion
    sameOccasion ||= v.occasion === campaign.occasion
    const days = byPerson.get(v.personId) ?? new Map<LocalDate, Set<string>>()
    days.set(v.date, (days.get(v.date) ?? new Set()).add(label))
    byPerson.set(v.personId, days)
  }
  const people = listed.filter((p) => byPerson.has(p.id))
  if (people.length === 0) return undefined
  const named = people.slice(0, OTHER_NAMED)
  const names = await namesAsListed(services, named, villages)
  // One clause per day the visits were done, today's first, then by date, naming the
  // households with a visit done that day in the order the list names them.
  const dayOrder = (a: LocalDate, b: LocalDate) =>
    a === today ? -1 : b === today ? 1 : a.localeCompare(b)
  const daysOf = (of: readonly Person[]) =>
    [...new Set(of.flatMap((p) => [...byPerson.get(p.id)!.keys()]))].sort(dayOrder)
  const labelsOn = (of: readonly Person[], day: LocalDate) => [
    ...new Set(of.flatMap((p) => [...(byPerson.get(p.id)!.get(day) ?? [])])),
  ]
  const clause = (who: string, day: LocalDate, labels: string[]) =>
    day === today
      ? `${who}今天另登记了${labels.join('、')}走访`
      : `${who}另登记了${dayWord(day, today)}的${labels.join('、')}走访`
  const whoOf = (of: readonly Person[]) => of.map((p) => names.get(p.id)!).join('、')
  const all = daysOf(people)
  const more = people.length - named.length
  const said =
    all.length === 1
      ? // One day: the households past OTHER_NAMED counted in the clause (等 N 户), their
        // occasions said with the rest.
        clause(
          `${whoOf(named)}${more > 0 ? `等 ${people.length} 户` : ''}`,
          all[0]!,
          labelsOn(people, all[0]!),
        )
      : [
          ...daysOf(named).map((day) => {
            const on = named.filter((p) => byPerson.get(p.id)!.has(day))
            return clause(whoOf(on), day, labelsOn(on, day))
          }),
          ...(more > 0 ? [`另有 ${more} 户也登记了其他走访`] : []),
        ].join('；')
  const counted = sameOccasion ? `${campaign.year} ${campaign.occasion}` : campaign.occasion
  return `${said}，不计入${counted}。`
}

// After 「没看懂「…」。」 (parseTallyQuery): on lines of their own, each within REPLY_WIDTH.
const VISIT_USAGE =
  '\n可以这样问：「未走访」「未走访 八一」\n「未走访 2027 春节」「未走访 铁炉嘴村」'
const PAY_USAGE = '\n可以这样问：「未发放」「未发放 2027」\n「未发放 铁炉嘴村」'

/** 未走访: who is still unvisited in the current (or named) campaign, by village, numbered. */
export function createUnvisitedCommand(services: RecordServices): Command {
  return {
    name: '未走访',
    aliases: ['没走访', '未慰问'],
    audience: CADRE_AND_UP,
    summary: '当前（或指定）走访活动中尚未走访的户，按村列出',
    example: '未走访 八一',
    async run({ args, actor, now }) {
      const known = await services.villages.listVillages()
      const today = localToday(now, services.timezone)
      const query = parseTallyQuery(args, known, actor, VISIT_USAGE, today)
      const villages = villagesFor(query, actor)
      const campaign = chooseCampaign(query, today)
      const { year, occasion } = campaign
      // The same due set as 统计's (docs/figures.md), so the list and the count agree.
      const asOf = { today, timezone: services.timezone }
      const people = await services.tallies.unvisitedPeople(year, occasion, villages, asOf)
      const where = scopeLabel(villages)
      const status = campaignStatus(campaign, today)
      if (people.length === 0) {
        const tally = await services.tallies.readCampaignTally(year, occasion, villages, asOf)
        const due = tally.total.entitled
        return {
          text:
            due > 0
              ? `${year} ${occasion}走访（${status}）：${where}全部已走访（${due} 户）。`
              : wrapToWidth(`${where}还没有登记优抚对象，请管理员「添加对象」。`).join('\n'),
        }
      }
      const lines = listByVillage(
        people,
        (p) => `${p.name}（${describeCategory(p)}）`,
        '回复「未走访 村名」分村查看。',
        'phone',
      )
      const other = await otherVisitsToday(services, people, campaign, villages, today)
      return {
        text: [
          // The campaign and its status, then whose list: one line was 60–70 columns (a tester).
          ...titleLines(`${year} ${occasion}走访（${status}）`),
          `${where}尚有 ${people.length} 户未走访：`,
          ...lines,
          ...(other ? [other] : []),
          '走访后回复「走访 姓名 日期」登记。',
        ].join('\n'),
      }
    },
  }
}

function amountDue(standard: AllowanceStandard | undefined, p: Person): string {
  const type = p.householdType ?? '户口类型未登记'
  if (!standard || !p.householdType) return type
  return `${type}，${formatYuan(standardFenFor(standard, p.householdType))} 元`
}

/**
 * `铁炉嘴村 李二 已发 300 元，尚欠 5,500 元`: the families on the roster paid less than their
 * standard this year (TallyReader's AllowanceVariance), at most MAX_LISTED, the rest counted.
 * They count as paid in 已发 (they have a payment), so they are listed apart from the unpaid.
 */
async function shortLines(services: RecordServices, tally: AllowanceTally): Promise<string[]> {
  const on = await shortFamilyLines(services.records, tally.variance.underpaid)
  if (on.length === 0) return []
  const more = on.length > MAX_LISTED ? [`另 ${on.length - MAX_LISTED} 户未列出。`] : []
  return [`未发足 ${on.length} 户：`, ...on.slice(0, MAX_LISTED), ...more]
}

/**
 * How to log the rest of a family's standard (a 补发 defaults to what it is still owed); a past
 * year's names the year, or it would count in today's.
 */
const topUpHint = (year: number, today: LocalDate) => [
  `补发后回复「补发优待金 姓名${year < partsOf(today).year ? ` ${year}年` : ''}」登记，`,
  '金额默认为尚欠的差额。',
]

/** What an administrator sends to set `year`'s standard, in two lines that fit a phone. */
function standardMissing(year: number): string[] {
  return [`${year} 年还没有设置标准，请管理员发送`, `「优待金标准 ${year} 农村… 城镇…」。`]
}

/** 未发放: conscript families not yet paid this (or the named) year, with the deadline. */
export function createUnpaidCommand(services: RecordServices): Command {
  return {
    name: '未发放',
    aliases: ['未发优待金', '优待金未发放'],
    audience: CADRE_AND_UP,
    summary: '当年（或指定年份）尚未发放优待金的义务兵家庭，含截止日期',
    example: '未发放 2027',
    async run({ args, actor, now }) {
      const known = await services.villages.listVillages()
      const today = localToday(now, services.timezone)
      const query = parseTallyQuery(args.replace(/优待金/g, ' '), known, actor, PAY_USAGE, today)
      const villages = villagesFor(query, actor)
      const year = query.year ?? partsOf(today).year
      const asOf = { today, timezone: services.timezone }
      const [families, standard, configured, tally, lastYear] = await Promise.all([
        services.tallies.unpaidFamilies(year, villages, asOf),
        services.allowances.getAllowanceStandard(year),
        services.allowances.getAllowanceDeadline(year),
        services.tallies.readAllowanceTally(year, villages, asOf),
        lastYearOwedLines(services, villages, today, query.year !== undefined),
      ])
      const where = scopeLabel(villages)
      const status = deadlineStatus(allowanceDeadline(year, configured), today)
      // Paid part of the standard only: still owed, so named here with what is owed.
      const short = await shortLines(services, tally)
      if (families.length === 0) {
        const due = tally.total.due
        if (due > 0 && short.length > 0) {
          return {
            text: [
              ...titleLines(`${year} 年优待金（${status}）`),
              `${where}义务兵家庭全部已发放（${due} 户），`,
              `其中${short[0]}`,
              ...short.slice(1),
              ...topUpHint(year, today),
              ...lastYear,
            ].join('\n'),
          }
        }
        return {
          text: [
            due > 0
              ? `${year} 年优待金（${status}）：${where}义务兵家庭全部已发放（${due} 户）。`
              : wrapToWidth(`${where}没有登记义务兵家庭。`).join('\n'),
            ...lastYear,
          ].join('\n'),
        }
      }
      const lines = listByVillage(
        families,
        (p) => `${p.name}（${amountDue(standard, p)}）`,
        '回复「未发放 村名」分村查看。',
        'phone',
      )
      return {
        text: [
          ...titleLines(`${year} 年优待金（${status}）`),
          `${where}尚有 ${families.length} 户未发放：`,
          ...lines,
          ...(standard ? [] : standardMissing(year)),
          ...(short.length > 0 ? [`另有${short[0]}`, ...short.slice(1)] : []),
          // A past year's family paid now names the year, or it counts in today's.
          year < partsOf(today).year
            ? `补发请回复「发放优待金 姓名 ${year}年」。`
            : '发放后回复「发放优待金 姓名 日期」登记。',
          ...lastYear,
        ].join('\n'),
      }
    },
  }
}
