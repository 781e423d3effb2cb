import type { Reply } from '../platforms/types.js'
import { seasonYear, type CampaignOccasion } from '../occasions.js'
import { campaignWindow, chuxi, occasionDay } from '../reminders/calendar.js'
import { daysBetween, partsOf, weekdayName, type LocalDate } from '../time/local-date.js'
import type { RecordServices } from './services.js'
import { allowanceDeadline } from './tally.js'
import { scopeLabel } from './tally-format.js'

// `离八一还有几天`, `春节是哪天`, `离除夕还有几天` (docs/intents.md): the days to an occasion, from
// the calendar (reminders/calendar.ts: 春节 from the lunar library), and while its campaign runs,
// how many households are still to visit (counters only).

/** `2027年8月1日（周日）`. */
function writtenDay(date: LocalDate): string {
  const { year, month, day } = partsOf(date)
  return `${year}年${month}月${day}日，${weekdayName(date)}`
}

/**
 * The instance asked about: of `year` when one was written, else the next whose day is today
 * or later. Its day is the eve for 除夕, and its campaign year is the occasion's.
 */
export function occasionInstance(
  occasion: CampaignOccasion,
  eve: boolean,
  today: LocalDate,
  year?: number,
): { year: number; day: LocalDate } {
  const dayOf = (y: number) => (eve ? chuxi(y) : occasionDay(occasion, y))
  if (year !== undefined) return { year, day: dayOf(year) }
  const thisYear = partsOf(today).year
  const next = [thisYear, thisYear + 1, thisYear + 2].find((y) => dayOf(y) >= today)!
  return { year: next, day: dayOf(next) }
}

/**
 * `离八一（2027年8月1日，周日）还有 243 天。`, or today, or how long ago for a past year asked;
 * while the campaign runs (its 14 days up to the day), one line on the households still to
 * visit in `villages`, and before it the day it starts.
 */
export async function countdownReply(
  services: RecordServices,
  occasion: CampaignOccasion,
  eve: boolean,
  year: number | undefined,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const instance = occasionInstance(occasion, eve, today, year)
  const name = eve ? '除夕' : occasion
  const left = daysBetween(today, instance.day)
  const when = writtenDay(instance.day)
  const first =
    left > 0
      ? `离${name}（${when}）还有 ${left} 天。`
      : left === 0
        ? `今天就是${name}（${when}）。`
        : `${name}（${when}）已过去 ${-left} 天。`
  const lines = [first]
  const window = campaignWindow(occasion, instance.year)
  if (left >= 0 && today >= window.start && today <= window.end) {
    const tally = await services.tallies.readCampaignTally(instance.year, occasion, villages, {
      today,
      timezone: services.timezone,
    })
    const { entitled, households } = tally.total
    if (entitled > households) {
      lines.push(
        `${scopeLabel(villages)}${occasion}走访尚有 ${entitled - households} 户未走访。`,
        `回复「未走访 ${occasion}」查看名单。`,
      )
    } else if (entitled > 0) {
      lines.push(`${scopeLabel(villages)}${occasion}走访已全部完成（${entitled} 户）。`)
    }
  } else if (left > 0 && today < window.start) {
    const { month, day } = partsOf(window.start)
    lines.push(`${occasion}走访从 ${month}月${day}日 开始。`)
  }
  return { text: lines.join('\n') }
}

/**
 * `2026 年优待金 7月31日（周五）截止，还有 3 天。` (the configured deadline, else 07-31; with
 * no year asked and this year's passed, next year's when configured),
 * then the families of `villages` paid of those due, from the allowance counters.
 */
export async function deadlineReply(
  services: RecordServices,
  year: number | undefined,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  let asked = year ?? partsOf(today).year
  const asOf = { today, timezone: services.timezone }
  let tally = await services.tallies.readAllowanceTally(asked, villages, asOf)
  let deadline = allowanceDeadline(asked, tally.deadline)
  // No year written and this year's deadline passed: the next one, when it is configured
  // (`优待金截止 2027-07-25`); else this year's, said as passed, and that the next is not set.
  let unset: number | undefined
  if (year === undefined && deadline < today) {
    const next = await services.tallies.readAllowanceTally(asked + 1, villages, asOf)
    if (next.deadline !== undefined) {
      asked += 1
      tally = next
      deadline = next.deadline
    } else unset = asked + 1
  }
  const left = daysBetween(today, deadline)
  const { month, day } = partsOf(deadline)
  const when = `${month}月${day}日（${weekdayName(deadline)}）`
  const first =
    left > 0
      ? `${asked} 年优待金 ${when}截止，还有 ${left} 天。`
      : left === 0
        ? `${asked} 年优待金今天截止（${month}月${day}日）。`
        : `${asked} 年优待金已于 ${when}截止，已过 ${-left} 天。`
  const { due, families } = tally.total
  const where = scopeLabel(villages)
  const second =
    due === 0
      ? []
      : families >= due
        ? [`${where}应发 ${due} 户，已全部发放。`]
        : [
            `${where}应发 ${due} 户，已发 ${families} 户，未发 ${due - families} 户。`,
            '回复「未发放」查看名单。',
          ]
  const notSet = unset === undefined ? [] : [`${unset} 年截止日期还未设置。`]
  return { text: [first, ...notSet, ...second].join('\n') }
}

/**
 * `元旦前能走访完吗`: the days left to the coming `occasion` (of `year` when written), the
 * households of `villages` still to visit in its campaign (the counters 统计 reads) and how many
 * a day that takes, counting today and not the day itself. A campaign whose visits are done says
 * so; one whose day is today or past says what is left.
 */
export async function paceReply(
  services: RecordServices,
  occasion: CampaignOccasion,
  year: number | undefined,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const instance = occasionInstance(occasion, false, today, year)
  const left = daysBetween(today, instance.day)
  const when = writtenDay(instance.day)
  const tally = await services.tallies.readCampaignTally(instance.year, occasion, villages, {
    today,
    timezone: services.timezone,
  })
  const { entitled, households } = tally.total
  const where = scopeLabel(villages)
  const unvisited = Math.max(0, entitled - households)
  const first =
    left > 0
      ? `离${occasion}（${when}）还有 ${left} 天。`
      : left === 0
        ? `今天就是${occasion}（${when}）。`
        : `${occasion}（${when}）已过去 ${-left} 天。`
  // 「未走访 八一」 means the season's instance (2026's on 12-02), so another one is named.
  const yearWord = seasonYear(occasion, today) === instance.year ? '' : ` ${instance.year}`
  const lines = [first]
  if (entitled === 0) {
    lines.push(`${where}没有要走访的优抚对象。`)
  } else if (unvisited === 0) {
    lines.push(`${where}${occasion}走访已全部完成（${entitled} 户）。`)
  } else {
    lines.push(
      `${where}${occasion}走访应访 ${entitled} 户，已访 ${households} 户，`,
      `还有 ${unvisited} 户未走访。`,
    )
    if (left > 0) {
      const perDay = Math.ceil(unvisited / left)
      lines.push(
        ...(unvisited <= left
          ? [`每天走访 1 户，${unvisited} 天可走访完。`]
          : [
              `要在${occasion}前走访完，`,
              `平均每天要走访 ${perDay} 户（${unvisited} 户 ÷ ${left} 天）。`,
            ]),
      )
    } else if (left === 0) {
      lines.push(`今天要走访完，还差 ${unvisited} 户。`)
    }
    lines.push(`回复「未走访 ${occasion}${yearWord}」查看名单。`)
  }
  return { text: lines.join('\n') }
}
