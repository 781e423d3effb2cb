import { scopeOf, type Actor } from '../bot/command.js'
import { NEXT_YEAR_CAMPAIGNS, defaultCampaign, isCampaignOccasion } from '../occasions.js'
import { formatYuan } from '../parse/amount.js'
import type { Reply } from '../platforms/types.js'
import { OCCASIONS, type Occasion } from '../records/schemas.js'
import { localDateOf, partsOf, type LocalDate } from '../time/local-date.js'
import { UNIT_ENDINGS, UNIT_LEADS, isUnitWord, unitNameOf } from './people-lookup.js'
import type { RecordServices } from './services.js'
import { mayRead } from './show-record.js'
import { scopeLabel } from './tally-format.js'

// Questions about the units visited (驻地部队, 武警中队, docs/intents.md): `慰问部队几次`,
// `今年慰问了几次部队` count the unit visits from the campaign counters 统计 reads (its `含单位 N
// 次`); `武警中队慰问了吗` lists that unit's visits of the campaign, read from the unit's own
// same-day entries (UnitVisitReader, src/records/unit-visits.ts), not the campaign's list.

/**
 * Whether `word` asks about units in general (`慰问部队几次`): one of the unit words a record
 * line reads too (UNIT_WORDS, people-lookup.ts, the one list of them).
 */
export function isAnyUnit(word: string): boolean {
  return isUnitWord(word)
}

/**
 * The unit `word` names in a question, or undefined. Stricter than a record line's reading
 * (people-lookup.ts isUnitName), since a question's word that names nobody is otherwise a
 * person's name mistyped: a unit's lead (`武警…`), an ending of two characters or more (`…中队`,
 * `…哨所`), or a name of four characters or more (`消防救援站`); `王建连` stays a name.
 */
export function unitOfQuestion(word: string): string | undefined {
  const unit = unitNameOf(word)
  if (unit === undefined || isAnyUnit(unit)) return undefined
  const longEnding = UNIT_ENDINGS.some((e) => e.length >= 2 && unit.endsWith(e))
  const lead = UNIT_LEADS.some((l) => unit.startsWith(l))
  return longEnding || lead || [...unit].length >= 4 ? unit : undefined
}

/**
 * How many unit visits `year`'s campaigns (or the one `occasion` asked) hold in `villages` (a
 * cadre's own, else every village and the township's own), by occasion, from the campaign
 * counters (unitVisits, 统计's `含单位 N 次`); for the whole year, the 慰问部队 activities too
 * (the activity counters, 统计 活动).
 */
export async function unitCountReply(
  services: RecordServices,
  year: number,
  occasion: Occasion | undefined,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const asOf = { today, timezone: services.timezone }
  const occasions = occasion ? [occasion] : OCCASIONS
  // This year's December visits toward next year's 元旦 and 春节 count toward next year (the
  // season rule): named apart, as 统计 全年 names them.
  const ahead = !occasion && year === partsOf(today).year ? NEXT_YEAR_CAMPAIGNS : []
  const [tallies, activities, next] = await Promise.all([
    Promise.all(occasions.map((o) => services.tallies.readCampaignTally(year, o, villages, asOf))),
    occasion ? undefined : services.tallies.readActivityTally(year, villages),
    Promise.all(ahead.map((o) => services.tallies.readCampaignTally(year + 1, o, villages, asOf))),
  ])
  const byOccasion = tallies
    .map((t) => ({ occasion: t.occasion, visits: t.total.unitVisits }))
    .filter((o) => o.visits > 0)
  const total = byOccasion.reduce((n, o) => n + o.visits, 0)
  const held = activities?.total.byKind['慰问部队'].activities ?? 0
  const where = scopeLabel(villages)
  const season = occasion ? `${year} ${occasion}` : `${year} 年`
  const later = next.filter((t) => t.total.unitVisits > 0)
  const lines: string[] = []
  if (total === 0 && later.length === 0) {
    const example = occasion ?? defaultCampaign(today).occasion
    lines.push(
      `${season}${where}还没有走访部队（单位）的记录。`,
      `登记如「慰问部队 武警中队 今天 ${example}」。`,
    )
  } else {
    const split =
      total > 0 && (byOccasion.length > 1 || !occasion)
        ? byOccasion.map((o) => `${o.occasion} ${o.visits} 次`).join('，')
        : ''
    lines.push(`${season}${where}走访部队（单位）共 ${total} 次${split ? '：' : '。'}`)
    if (split) lines.push(`${split}。`)
  }
  for (const t of later) {
    lines.push(
      `另有 ${year + 1} ${t.occasion}走访部队 ${t.total.unitVisits} 次，计入 ${year + 1} 年。`,
    )
  }
  if (held > 0) lines.push(`另有「慰问部队」活动 ${held} 次，回复「统计 活动」查看。`)
  if (total > 0 || later.length > 0) lines.push('问某个单位如「武警中队慰问了吗」。')
  return { text: lines.join('\n') }
}

/**
 * Whether `unitName` was visited in `campaign` (the one 统计 means today when not given), and
 * when, from the unit's own entries (UnitVisitReader): every visit for an asker who sees every
 * village; for a cadre only the visits they may read (their villages, and the township's own
 * they logged), as 查看 reads them.
 */
export async function unitVisitedReply(
  services: RecordServices,
  unitName: string,
  campaign: { occasion: Occasion; year: number } | undefined,
  actor: Actor,
  now: Date,
): Promise<Reply> {
  const chosen = campaign ?? defaultCampaign(localDateOf(now, services.timezone))
  const { occasion, year } = chosen
  const all = await services.activities.units.visitsOf(unitName, year, occasion)
  const everyone = !scopeOf(actor) && isCampaignOccasion(occasion)
  const visits = everyone ? all : all.filter((visit) => mayRead(actor, visit))
  const season = `${year} ${occasion}`
  if (visits.length === 0) {
    return {
      text: [
        everyone
          ? `${unitName} ${season}还没有走访记录。`
          : `${unitName} ${season}没有您能查看的走访。`,
        `登记如「走访 ${unitName} 今天 ${occasion}」`,
      ].join('\n'),
    }
  }
  return {
    text: [
      `${unitName} ${season}已走访 ${visits.length} 次：`,
      ...visits.map((v) => {
        const cash = v.cashFen > 0 ? ` 慰问金 ${formatYuan(v.cashFen)} 元` : ''
        return `#${v.id} ${v.date}${cash}（${v.visitors.join('、')}）`
      }),
    ].join('\n'),
  }
}
