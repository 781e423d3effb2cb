import type { Reply } from '../platforms/types.js'
import {
  CATEGORIES,
  CONSCRIPT_FAMILY,
  HOUSEHOLD_TYPES,
  type Category,
  type Person,
} from '../records/schemas.js'
import type { LocalDate } from '../time/local-date.js'
import type { RecordServices } from './services.js'
import { MAX_TABLE_ROWS, percent, scopeLabel } from './tally-format.js'
import { listByVillage } from './outstanding.js'
import { campaignStatus, isCampaignOccasion, type CampaignChoice } from './tally-query.js'

// The roster's counts (`全镇有多少户`, `铁炉嘴村有几户优抚对象`) and one category's visits in a
// campaign (`烈属走访了没有`, docs/intents.md): both read from counters (the roster tally, the
// campaign tally), so their cost never grows with the records.

/** Unvisited people of a category named in the reply at most; more are only counted. */
const NAMED = 5

/** `义务兵家庭 10 户（农村 4、城镇 6）`. */
function categoryLine(
  category: Category,
  count: number,
  conscripts: Readonly<Record<string, number>>,
): string {
  const split = HOUSEHOLD_TYPES.filter((t) => (conscripts[t] ?? 0) > 0)
    .map((t) => `${t} ${conscripts[t]}`)
    .join('、')
  return `${category} ${count} 户${category === CONSCRIPT_FAMILY && split ? `（${split}）` : ''}`
}

/**
 * The people on the roster of `villages` (a cadre's own, else every village), a line per
 * category, then a line per village when there are several; of one category when asked.
 */
export async function rosterCountReply(
  services: RecordServices,
  villages: readonly string[] | undefined,
  category: Category | undefined,
): Promise<Reply> {
  const counts = await services.tallies.readRosterCounts(villages)
  const where = scopeLabel(villages)
  const conscripts: Record<string, number> = {}
  for (const v of Object.values(counts.byVillage)) {
    for (const t of HOUSEHOLD_TYPES) {
      conscripts[t] = (conscripts[t] ?? 0) + v.conscriptsByHouseholdType[t]
    }
  }
  const total = category ? counts.byCategory[category] : counts.total
  if (total === 0) {
    return {
      text: `${where}花名册上没有${category ?? '优抚对象'}。${category ? '' : '\n请管理员「添加对象」。'}`,
    }
  }
  const lines = [`${where}花名册上${category ? '有' : '共有优抚对象'} ${total} 户：`]
  if (category) lines[0] = `${where}${categoryLine(category, total, conscripts)}。`
  else {
    for (const c of CATEGORIES) {
      if (counts.byCategory[c] > 0) lines.push(categoryLine(c, counts.byCategory[c], conscripts))
    }
  }
  const rows = Object.entries(counts.byVillage)
    .map(([village, v]) => [village, category ? v.byCategory[category] : v.total] as const)
    .filter(([, n]) => n > 0)
  if (rows.length > 1) {
    const shown = rows.slice(0, MAX_TABLE_ROWS)
    const rest = rows.slice(MAX_TABLE_ROWS)
    lines.push('各村：', ...shown.map(([village, n]) => `${village} ${n} 户`))
    if (rest.length > 0) {
      lines.push(
        `另有 ${rest.length} 个村（社区）共 ${rest.reduce((sum, [, n]) => sum + n, 0)} 户。`,
      )
    }
  }
  lines.push('回复「花名册 村名」看名单。')
  return { text: lines.join('\n') }
}

/**
 * One category's households in `campaign`: due and visited (the campaign's counters, by
 * category, as 统计's 按类别 line), then the unvisited ones named when few (all of them, as
 * 未走访 lists them, with `listAll`), else counted.
 */
export async function categoryVisitsReply(
  services: RecordServices,
  campaign: CampaignChoice,
  category: Category,
  villages: readonly string[] | undefined,
  today: LocalDate,
  listAll = false,
): Promise<Reply> {
  const { year, occasion } = campaign
  const asOf = { today, timezone: services.timezone }
  const tally = await services.tallies.readCampaignTally(year, occasion, villages, asOf)
  const { entitled, households } = tally.byCategory[category]
  const where = `${scopeLabel(villages)}${category}`
  const heading = `${year} ${occasion}走访（${campaignStatus(campaign, today)}）`
  if (entitled === 0 && households === 0) {
    return { text: `${heading}\n${where}：花名册上没有。` }
  }
  const due = isCampaignOccasion(occasion) ? '应访' : '在册'
  const lines = [
    heading,
    `${where}：${due} ${entitled} 户，已访 ${households} 户（${percent(households, entitled)}）。`,
  ]
  const left = entitled - households
  if (left > 0 && listAll) {
    const people = (await services.tallies.unvisitedPeople(year, occasion, villages, asOf)).filter(
      (p: Person) => p.category === category,
    )
    lines.push(
      ...listByVillage(
        people,
        // The category is the question's; only a grade is left to say (`张三（二等乙级）`).
        (p) => {
          const grade = p.disability?.grade ?? p.disability?.legacyLabel
          return grade ? `${p.name}（${grade}）` : p.name
        },
        `回复「未走访 ${occasion} 村名」分村查看。`,
      ),
      '走访后回复「走访 姓名 日期」登记。',
    )
  } else if (left > 0 && left <= NAMED) {
    // The same due set as 统计's and 未走访's (docs/figures.md), so the names match the count.
    const people = (await services.tallies.unvisitedPeople(year, occasion, villages, asOf)).filter(
      (p: Person) => p.category === category,
    )
    const byVillage = new Map<string, string[]>()
    for (const p of people) byVillage.set(p.village, [...(byVillage.get(p.village) ?? []), p.name])
    const named = [...byVillage].map(([village, names]) => `${village} ${names.join('、')}`)
    lines.push(`未走访：${named.join('；')}。`)
  } else if (left > 0) {
    lines.push(`未走访 ${left} 户，回复「未走访 ${occasion}」查看名单。`)
  } else {
    lines.push('全部已走访。')
  }
  return { text: lines.join('\n') }
}

/**
 * `义务兵家庭名单`, `铁炉嘴村有哪些烈属`: the people of one category on the roster of `villages`
 * (a cadre's own, else every village), numbered by village as 未走访 lists them: at most
 * MAX_LISTED names, the rest counted per village. The count comes first, from the roster
 * counters; the names are read from the roster, as 花名册 reads them.
 */
export async function categoryRosterReply(
  services: RecordServices,
  villages: readonly string[] | undefined,
  category: Category,
): Promise<Reply> {
  const where = scopeLabel(villages)
  const title = `${villages ? villages.join('、') : '全镇'}花名册（${category}）`
  const counts = await services.tallies.readRosterCounts(villages)
  if (counts.byCategory[category] === 0) {
    return { text: `${where}花名册上没有${category}。` }
  }
  const people = await services.people.listPeople(villages ? { villages, category } : { category })
  const describe = (p: Person): string => {
    const grade = p.disability?.grade ?? p.disability?.legacyLabel
    const details = [grade, p.householdType].filter(Boolean).join('，')
    return details ? `${p.name}（${details}）` : p.name
  }
  return {
    text: [
      `${title}共 ${people.length} 户：`,
      ...listByVillage(people, describe, `回复「村名${category}名单」分村查看。`),
      '回复「对象 姓名」看某人详情。',
    ].join('\n'),
  }
}
