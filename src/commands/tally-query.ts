import type { Actor } from '../bot/command.js'
import { VIEW_WORDS, type TallyView } from '../bot/intents.js'
import { UserFacingError } from '../errors.js'
import { todayIn } from '../parse/date.js'
import { matchVillage } from '../parse/village.js'
import { RELATIVE_YEAR, RELATIVE_YEARS } from '../parse/year-word.js'
import {
  CAMPAIGN_OCCASION_LIST,
  defaultCampaign,
  findOccasion,
  isCampaignOccasion,
  seasonYear,
  type Occasion,
} from '../occasions.js'
import { campaignWindow, occasionDay } from '../reminders/calendar.js'
import { daysBetween, partsOf, type LocalDate } from '../time/local-date.js'
import { scopeOf } from './people-lookup.js'

/** What `统计`, `未走访` and `未发放` were asked about, before defaults are applied. */
export interface TallyQuery {
  topic: 'campaign' | 'allowance' | 'activity'
  /**
   * Of visits: the year across its occasions (`全年`), the villages ranked (`排名`) or today's
   * records (`今天`); undefined = one campaign. 未走访 reads none of them.
   */
  view?: TallyView
  year?: number
  occasion?: Occasion
  /** Villages named in the message (already checked against the actor's). */
  villages: string[]
}

/**
 * Reads `2027 八一 铁炉嘴村`, `优待金 2026`, `活动`, in any order and with or without spaces.
 * Every word must be understood: an unknown one throws UserFacingError with `usage`, and a
 * village outside a cadre's villages is refused rather than silently dropped. With `today`,
 * a year may be written as people say it (`今年`, `去年`, `明年`), counted from today's year.
 */
export function parseTallyQuery(
  args: string,
  knownVillages: readonly string[],
  actor: Actor,
  usage: string,
  today?: LocalDate,
): TallyQuery {
  let rest = ` ${args} `
  const take = (pattern: RegExp): string | undefined => {
    const m = pattern.exec(rest)
    if (!m) return undefined
    rest = rest.slice(0, m.index) + ' ' + rest.slice(m.index + m[0].length)
    return m[1] ?? m[0]
  }
  const relative = today === undefined ? undefined : take(RELATIVE_YEAR)
  const yearText =
    take(/(?<!\d)(\d{4})\s*年?度?(?!\d)/) ??
    (relative === undefined ? undefined : String(partsOf(today!).year + RELATIVE_YEARS[relative]!))
  const found = findOccasion(rest)
  const occasion = found?.occasion
  if (found) rest = `${rest.slice(0, found.start)} ${rest.slice(found.end)}`
  const allowance = take(/优待金/) !== undefined
  const activity = take(/活动/) !== undefined
  const view = VIEW_PATTERNS.find(([, pattern]) => take(pattern) !== undefined)?.[0]
  take(/走访|慰问/)

  const villages: string[] = []
  // A 。!?~ between words is a separator, as a comma is (`统计 八一。铁炉嘴村`); a closing one is
  // already gone (parse-command.ts).
  for (const word of rest.split(/[\s,，、;；。!?~]+/).filter(Boolean)) {
    const village = matchVillage(word, knownVillages)
    if (!village) throw new UserFacingError(`没看懂「${word}」。${usage}`)
    villages.push(village)
  }
  const scope = scopeOf(actor)
  const outside = villages.filter((v) => scope && !scope.includes(v))
  if (outside.length > 0) {
    throw new UserFacingError(
      `${outside.join('、')}不在您负责的村（${scope!.join('、')}），不能查看。`,
    )
  }
  if (allowance && activity) throw new UserFacingError(`优待金和活动请分开查。${usage}`)
  if (view && (allowance || activity)) {
    throw new UserFacingError(`「${VIEW_WORDS[view]}」只用于走访，如「统计 ${VIEW_WORDS[view]}」。`)
  }
  const year = yearText === undefined ? undefined : Number(yearText)
  if (year !== undefined && (year < 2000 || year > 2100)) {
    throw new UserFacingError(`年份「${year}」不对，请写如 2026。`)
  }
  return {
    topic: allowance ? 'allowance' : activity ? 'activity' : 'campaign',
    ...(year !== undefined && { year }),
    ...(occasion && { occasion }),
    ...(view && { view }),
    villages,
  }
}

/** The words of 统计's views (intents.ts VIEW_WORDS, with their synonyms). */
const VIEW_PATTERNS: readonly (readonly [TallyView, RegExp])[] = [
  ['year', new RegExp(VIEW_WORDS.year)],
  ['ranking', new RegExp(`${VIEW_WORDS.ranking}|排行`)],
  ['today', new RegExp(`${VIEW_WORDS.today}|今日`)],
]

/** The villages a reply covers: those named, else a cadre's own, else every one (undefined). */
export function villagesFor(query: TallyQuery, actor: Actor): readonly string[] | undefined {
  return query.villages.length > 0 ? query.villages : scopeOf(actor)
}

export { isCampaignOccasion }

/** A campaign: the visits of one occasion counted toward one year. */
export interface CampaignChoice {
  year: number
  occasion: Occasion
}

/**
 * The campaign a query means, by the one season rule (occasions.ts, contract "Seasons"): an
 * occasion without a year is its instance nearest to today, so a visit just filed under a
 * season is counted by a plain question about it. No occasion: the campaign running today,
 * else the nearest one; with another year than that one's, the latest of that year's
 * campaigns begun by today, or its first when none has (docs/intents.md: `统计 今年` asked in
 * December is 八一, not the 元旦 of last January). 日常 and 困难帮扶: the year.
 */
export function chooseCampaign(
  query: Pick<TallyQuery, 'year' | 'occasion'>,
  today: LocalDate,
): CampaignChoice {
  const { occasion, year } = query
  if (occasion && year !== undefined) return { occasion, year }
  if (occasion) return { occasion, year: seasonYear(occasion, today) }
  const chosen = defaultCampaign(today)
  if (year === undefined || year === chosen.year) return chosen
  const begun = CAMPAIGN_OCCASION_LIST.map((o) => ({ o, start: campaignWindow(o, year).start }))
    .sort((a, b) => a.start.localeCompare(b.start))
    .filter((c, i) => i === 0 || c.start <= today)
  return { occasion: begun.at(-1)!.o, year }
}

/** `07-31`. */
export function monthDay(date: LocalDate): string {
  return date.slice(5)
}

/**
 * Where a campaign stands on `today`, for the reply's heading: `截至 07-31，距八一 1 天`,
 * `截至 08-01，今天八一`, `已于 08-01 结束，截至 11-28`. 日常 and 困难帮扶 have no day.
 */
export function campaignStatus(campaign: CampaignChoice, today: LocalDate): string {
  const { occasion, year } = campaign
  if (!isCampaignOccasion(occasion)) {
    return year === partsOf(today).year ? `截至 ${monthDay(today)}` : '全年'
  }
  const day = occasionDay(occasion, year)
  const left = daysBetween(today, day)
  if (left > 0) return `截至 ${monthDay(today)}，距${occasion} ${left} 天`
  if (left === 0) return `截至 ${monthDay(today)}，今天${occasion}`
  const sameYear = partsOf(day).year === partsOf(today).year
  return sameYear ? `已于 ${monthDay(day)} 结束，截至 ${monthDay(today)}` : `已于 ${day} 结束`
}

/** `截止 07-31，还有 3 天` / `截止 07-31，就是今天` / `已过截止 07-31 共 5 天`. */
export function deadlineStatus(deadline: LocalDate, today: LocalDate): string {
  const left = daysBetween(today, deadline)
  const when = partsOf(deadline).year === partsOf(today).year ? monthDay(deadline) : deadline
  if (left > 0) return `截止 ${when}，还有 ${left} 天`
  if (left === 0) return `截止 ${when}，就是今天`
  return `截止 ${when}，已过 ${-left} 天`
}

/** Today in the bot's time zone. */
export function localToday(now: Date, timezone: string): LocalDate {
  const today = todayIn(now, timezone)
  if (!today) throw new Error(`cannot tell today's date in ${timezone}`)
  return today
}
