import {
  campaignWindow,
  occasionDay,
  type AllowanceDeadlines,
  type CampaignRef,
} from './reminders/calendar.js'
import { daysBetween, partsOf, type LocalDate } from './time/local-date.js'

// The one vocabulary of visit occasions: the words cadres write for them, the season rule
// that picks an occasion's year, and the campaigns they belong to. The line parser, the visit
// form, 统计/未走访, 年报, 导出 and the reminders all read occasions through this module, so a
// word understood in one place is understood in all (docs/seasons.md).

/** What a visit is for; position = stored code (stored-record.ts). */
export const OCCASIONS = ['八一', '春节', '元旦', '日常', '困难帮扶'] as const
export type Occasion = (typeof OCCASIONS)[number]

/** The occasions with a day, a 14-day campaign before it and a households-visited figure. */
export type CampaignOccasion = '八一' | '春节' | '元旦'
export const CAMPAIGN_OCCASION_LIST: readonly CampaignOccasion[] = ['八一', '春节', '元旦']
export const CAMPAIGN_OCCASIONS: ReadonlySet<Occasion> = new Set(CAMPAIGN_OCCASION_LIST)

export function isCampaignOccasion(occasion: Occasion): occasion is CampaignOccasion {
  return CAMPAIGN_OCCASIONS.has(occasion)
}

/**
 * The words for each occasion, longest first within a line so `八一建军节` is one word. 除夕
 * and 大年三十 name the 春节 season here; as a date (the eve itself) the date parser reads them.
 */
const SYNONYMS: readonly (readonly [Occasion, readonly string[]])[] = [
  ['八一', ['八一建军节', '建军节', '八一']],
  ['春节', ['春节', '过年', '大年初一', '除夕', '大年三十']],
  ['元旦', ['元旦节', '元旦']],
  ['困难帮扶', ['困难帮扶', '帮扶']],
  ['日常', ['日常', '平时']],
]

const WORD_TO_OCCASION = new Map<string, Occasion>(
  SYNONYMS.flatMap(([occasion, words]) => words.map((w) => [w, occasion] as const)),
)

const OCCASION_PATTERN = new RegExp(
  [...WORD_TO_OCCASION.keys()].sort((a, b) => b.length - a.length).join('|'),
)

/** The first occasion word in `text`, with where it stands, so a parser can cut it out. */
export function findOccasion(
  text: string,
): { occasion: Occasion; start: number; end: number } | undefined {
  const m = OCCASION_PATTERN.exec(text)
  if (!m) return undefined
  return { occasion: WORD_TO_OCCASION.get(m[0])!, start: m.index, end: m.index + m[0].length }
}

/** An answer that is exactly one occasion word (`平时`, `建军节`, `过年`). */
export function occasionOfAnswer(answer: string): Occasion | undefined {
  return WORD_TO_OCCASION.get(answer.trim())
}

/** `八一、春节、元旦、日常 或 困难帮扶`: the choices, as a question lists them. */
export const OCCASION_CHOICES = `${OCCASIONS.slice(0, -1).join('、')} 或 ${OCCASIONS.at(-1)}`

/**
 * The campaigns a visit done in December can count toward in the next year, by seasonYear: the
 * 元旦 and 春节 after it. What a year's figures name as 「另有 … 计入 下一年」.
 */
export const NEXT_YEAR_CAMPAIGNS: readonly CampaignOccasion[] = ['元旦', '春节']

/**
 * The season rule (contract, "Seasons"): the year of `occasion`'s instance nearest to `date`.
 * On 12-02 春节 is the coming one and 八一 the past one; a 元旦 visit on 12-28 counts toward the
 * next year's 元旦. 日常 and 困难帮扶 have no day: their year is the date's.
 */
export function seasonYear(occasion: Occasion, date: LocalDate): number {
  const year = partsOf(date).year
  if (!isCampaignOccasion(occasion)) return year
  let best = year
  let bestDistance = Math.abs(daysBetween(date, occasionDay(occasion, year)))
  for (const y of [year - 1, year + 1]) {
    const distance = Math.abs(daysBetween(date, occasionDay(occasion, y)))
    if (distance < bestDistance) [best, bestDistance] = [y, distance]
  }
  return best
}

/**
 * How far ahead a campaign's window may open and still be what a plain question means once
 * the last one has ended: on 01-02 the 元旦 just past is less use to a leader than the 春节
 * whose visits start on 01-23. 45 days covers the latest 春节 (window from 02-06) from 01-02.
 */
const COMING_CAMPAIGN_DAYS = 45

/**
 * The campaign a question without an occasion or year means on `today`: the one running (its
 * 14-day window holds today), else the next whose window opens within COMING_CAMPAIGN_DAYS,
 * else the nearest instance of any of them (八一's figures stay the answer into October).
 */
export function defaultCampaign(today: LocalDate): { occasion: CampaignOccasion; year: number } {
  const instances = CAMPAIGN_OCCASION_LIST.map((occasion) => {
    const year = seasonYear(occasion, today)
    const { start, end } = campaignWindow(occasion, year)
    return {
      occasion,
      year,
      running: start <= today && today <= end,
      opensIn: daysBetween(today, start),
      distance: Math.abs(daysBetween(today, end)),
    }
  })
  const running = instances.find((i) => i.running)
  if (running) return { occasion: running.occasion, year: running.year }
  const coming = instances
    .filter((i) => i.opensIn > 0 && i.opensIn <= COMING_CAMPAIGN_DAYS)
    .sort((a, b) => a.opensIn - b.opensIn)[0]
  const chosen = coming ?? instances.reduce((a, b) => (b.distance < a.distance ? b : a))
  return { occasion: chosen.occasion, year: chosen.year }
}

/**
 * The campaign whose window holds `date`, for a visit written without an occasion: undefined
 * when none does or when two do (the bot then asks).
 */
export function campaignOfDate(
  date: LocalDate,
  deadlines?: AllowanceDeadlines,
): (CampaignRef & { occasion: CampaignOccasion }) | undefined {
  const matches = CAMPAIGN_OCCASION_LIST.flatMap((occasion) => {
    const year = seasonYear(occasion, date)
    const { start, end } = campaignWindow(occasion, year, deadlines)
    return start <= date && date <= end ? [{ occasion, year }] : []
  })
  return matches.length === 1 ? matches[0] : undefined
}
