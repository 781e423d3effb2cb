import { CAMPAIGN_OCCASION_LIST, NEXT_YEAR_CAMPAIGNS } from '../occasions.js'
import type { Reply } from '../platforms/types.js'
import { OCCASIONS, TOWNSHIP, type Occasion, type Visit } from '../records/schemas.js'
import { emptyCampaign, type CampaignFigures, type CampaignTally } from '../records/tally-reader.js'
import { campaignWindow, occasionDay } from '../reminders/calendar.js'
import type { ReplyBlock } from '../replies/layout.js'
import { instantAt, partsOf, type LocalDate } from '../time/local-date.js'
import type { RecordServices } from './services.js'
import { peopleById } from './find-people.js'
import { MAX_TABLE_ROWS, percent, phoneReply, phoneText, scopeLabel, yuan } from './tally-format.js'
import { visitorsOfAll } from '../user-names.js'
import {
  campaignStatus,
  chooseCampaign,
  isCampaignOccasion,
  monthDay,
  type CampaignChoice,
} from './tally-query.js'

// 统计's views other than one campaign (docs/figures.md): the year across its occasions
// (统计 全年), the villages ranked by a campaign's rate (统计 排名) and the visits logged today
// (统计 今天). The first two are the counters 统计 reads, through the same TallyReader calls, so
// they add up to what 统计 <occasion> says; the third reads today's end of the campaign lists.

/** The figures of several campaigns added up (households are then 户次, one per campaign). */
function sumFigures(figures: readonly CampaignFigures[]): CampaignFigures {
  const total = emptyCampaign()
  for (const f of figures) {
    for (const k of Object.keys(total) as (keyof CampaignFigures)[]) total[k] += f[k]
  }
  return total
}

/** A campaign's day in the year asked (`01-01`), for ordering and the reply; none for 日常. */
function dayOf(occasion: Occasion, year: number): LocalDate | undefined {
  return isCampaignOccasion(occasion) ? occasionDay(occasion, year) : undefined
}

/**
 * `另有 2027 元旦走访 3 次、1,500 元，计入 2027 年。`: the visits made toward next year's 元旦 and
 * 春节 (in December, by the season rule), which are this calendar year's work but next year's
 * figures. This year: those campaigns' counters (every visit so far is dated this year). A
 * past year: those dated in it, read from the two campaigns' lists (their visits, no counter
 * splits them by date), since next year's own visits are in the same campaigns.
 */
export async function nextYearNotes(
  services: RecordServices,
  year: number,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<string[]> {
  const current = partsOf(today).year
  if (year > current) return []
  const asOf = { today, timezone: services.timezone }
  const ahead = NEXT_YEAR_CAMPAIGNS
  const figures = await Promise.all(
    ahead.map(async (o) =>
      year === current
        ? (await services.tallies.readCampaignTally(year + 1, o, villages, asOf)).total
        : services.tallies.campaignVisitsBefore(year + 1, o, `${year + 1}-01-01`, villages),
    ),
  )
  const within = year === current ? '' : `${year} 年内的 `
  return ahead.flatMap((o, i) => {
    const f = figures[i]!
    return f.visits > 0
      ? [
          `另有 ${within}${year + 1} ${o}走访 ${f.visits} 次、${yuan(f.cashFen)}，计入 ${year + 1} 年。`,
        ]
      : []
  })
}

/**
 * 统计 全年 (`今年慰问金花了多少`, `今年走访了多少户`): the visits of every occasion counted toward
 * `year` (its 元旦, 春节 and 八一 campaigns, 日常 and 困难帮扶), a line per occasion and a row per
 * village. Each occasion's figures are its 统计's (readCampaignTally); households are counted once
 * per occasion (户次), as 年报 counts them. Visits already made toward next year's 元旦 or 春节
 * are named apart, since they are not this year's.
 */
export async function yearReply(
  services: RecordServices,
  year: number,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const asOf = { today, timezone: services.timezone }
  const thisYear = year === partsOf(today).year
  const [tallies, notes] = await Promise.all([
    Promise.all(OCCASIONS.map((o) => services.tallies.readCampaignTally(year, o, villages, asOf))),
    nextYearNotes(services, year, villages, today),
  ])
  // Campaigns in the order of their days, then 日常 and 困难帮扶; one not begun and empty is left out.
  const shown = tallies
    .filter(
      (t) =>
        t.total.visits > 0 ||
        (isCampaignOccasion(t.occasion) && campaignWindow(t.occasion, year).start <= today),
    )
    .sort(
      (a, b) =>
        (dayOf(a.occasion, year) ?? '9999').localeCompare(dayOf(b.occasion, year) ?? '9999') ||
        OCCASIONS.indexOf(a.occasion) - OCCASIONS.indexOf(b.occasion),
    )
  const total = sumFigures(tallies.map((t) => t.total))
  // A year not begun has only what is filed toward it ahead (December's 元旦 and 春节): no 全年.
  const until = thisYear
    ? `截至 ${monthDay(today)}`
    : year > partsOf(today).year
      ? '尚未开始'
      : '全年'
  const heading = `${year} 年走访慰问合计（${until}）`
  const where = scopeLabel(villages)
  // With December's visits filed toward next year said below, 没有走访记录 alone read as if
  // none were made (a tester): say none counts in this year.
  if (total.visits === 0) {
    const none = notes.length > 0 ? `没有计入 ${year} 年的走访记录。` : '没有走访记录。'
    return phoneText([heading, `${where}${none}`, ...notes])
  }
  const covers = shown.map((t) => t.occasion).join('、')
  const blocks: ReplyBlock[] = [
    {
      // December's visits toward next year's 元旦 and 春节 right under the sum they are not in,
      // so the year's money and December's are read together (docs/replies.md).
      lines: [
        `${where}：走访 ${total.visits} 次，${total.households} 户次，慰问金 ${yuan(total.cashFen)}`,
        ...notes,
        `含 ${year} 年${covers}走访。`,
        '户次：一户在每次活动中各计一次。',
      ],
    },
    {
      caption: '按活动（已访/应访，次数，慰问金）：',
      rows: shown.map((t) => ({
        name: t.occasion,
        cells: [
          isCampaignOccasion(t.occasion)
            ? `${t.total.households}/${t.total.entitled} 户`
            : `${t.total.households} 户`,
          `${t.total.visits} 次`,
          yuan(t.total.cashFen),
        ],
      })),
    },
  ]
  const byVillage = new Map<string, CampaignFigures[]>()
  for (const t of tallies) {
    for (const [village, f] of Object.entries(t.byVillage)) {
      byVillage.set(village, [...(byVillage.get(village) ?? []), f])
    }
  }
  const rows = [...byVillage]
    .map(([village, figures]) => [village, sumFigures(figures)] as const)
    .filter(([, f]) => f.visits > 0 || f.entitled > 0)
  const tail: string[] = []
  if (rows.length > 1) {
    blocks.push({
      caption: '各村（户次，慰问金）：',
      rows: rows.slice(0, MAX_TABLE_ROWS).map(([village, f]) => ({
        name: village === TOWNSHIP ? `${TOWNSHIP}（单位）` : village,
        cells: [
          village === TOWNSHIP ? `${f.unitVisits} 次` : `${f.households} 户次`,
          yuan(f.cashFen),
        ],
      })),
    })
    if (rows.length > MAX_TABLE_ROWS) {
      // What the rows leave out, summed, so the rows and this line add up to the total.
      const left = sumFigures(rows.slice(MAX_TABLE_ROWS).map(([, f]) => f))
      tail.push(
        `另有 ${rows.length - MAX_TABLE_ROWS} 个村（社区）未列出（共 ${left.households} 户次，${yuan(left.cashFen)}）；回复「统计 全年 村名」查看单村。`,
      )
    }
  }
  // An example that means this year's instance on any day: 元旦 alone in December is next year's.
  const busiest = [...shown].sort((a, b) => b.total.visits - a.total.visits)[0]!.occasion
  const yearWord = chooseCampaign({ occasion: busiest }, today).year === year ? '' : ` ${year}`
  tail.push(`各活动明细回复「统计 ${busiest}${yearWord}」等。`)
  blocks.push({ lines: tail })
  return phoneReply(heading, blocks)
}

/** A village's rate in a ranking: 0..1, households visited of those due. */
function rateOf(f: CampaignFigures): number {
  return f.entitled > 0 ? f.households / f.entitled : 1
}

/**
 * 统计 排名 (`哪个村走访最差`): the villages of the campaign by their rate (households visited of
 * those due), lowest first, with the lowest and highest named. The figures are 统计's
 * (readCampaignTally). One village (a cadre's) is answered with its own figure.
 */
export async function rankingReply(
  services: RecordServices,
  campaign: CampaignChoice,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const { year, occasion } = campaign
  const tally: CampaignTally = await services.tallies.readCampaignTally(year, occasion, villages, {
    today,
    timezone: services.timezone,
  })
  const status = campaignStatus(campaign, today)
  const yearWord = year === chooseCampaign({ occasion }, today).year ? '' : ` ${year}`
  const order = Object.keys(tally.byVillage)
  const ranked = Object.entries(tally.byVillage)
    .filter(([v, f]) => v !== TOWNSHIP && f.entitled > 0)
    .sort(
      ([va, a], [vb, b]) =>
        rateOf(a) - rateOf(b) ||
        b.entitled - b.households - (a.entitled - a.households) ||
        order.indexOf(va) - order.indexOf(vb),
    )
  if (ranked.length === 0) {
    return phoneText([
      `${year} ${occasion}走访（${status}）`,
      `${scopeLabel(villages)}还没有登记优抚对象，请管理员「添加对象」。`,
    ])
  }
  const line = ([village, f]: (typeof ranked)[number]) =>
    `${village} ${f.households}/${f.entitled} 户（${percent(f.households, f.entitled)}）`
  if (ranked.length === 1) {
    const [village, f] = ranked[0]!
    const left = f.entitled - f.households
    return phoneText([
      `${year} ${occasion}走访（${status}）`,
      `${line(ranked[0]!)}。`,
      left > 0
        ? `未走访 ${left} 户，回复「未走访 ${occasion}${yearWord} ${village}」查看名单。`
        : '全部已走访。',
    ])
  }
  // Villages at the same rate are named together: naming one of two at 25% as 最高 would
  // single it out for an order that is only the roster's.
  const tiedLine = (end: (typeof ranked)[number]) => {
    const tied = ranked.filter(([, f]) => rateOf(f) === rateOf(end[1]))
    const rate = percent(end[1].households, end[1].entitled)
    if (tied.length === 1) return line(end)
    if (tied.length > 3) return `${tied.length} 个村（社区）并列（${rate}）`
    return `${tied.map(([village]) => village).join('、')}并列（${rate}）`
  }
  const shown = ranked.slice(0, MAX_TABLE_ROWS)
  const [worst, best] = [ranked[0]!, ranked.at(-1)!]
  const blocks: ReplyBlock[] = [
    {
      caption: '从低到高（已访/应访，完成率）：',
      rows: shown.map(([village, f], i) => ({
        name: `${i + 1}. ${village}`,
        cells: [`${f.households}/${f.entitled} 户`, percent(f.households, f.entitled)],
      })),
    },
  ]
  const lines: string[] = []
  if (ranked.length > shown.length) {
    lines.push(`另有 ${ranked.length - shown.length} 个村（社区）完成率更高，未列出。`)
  }
  lines.push(
    rateOf(worst[1]) === rateOf(best[1])
      ? `各村完成率相同（${percent(worst[1].households, worst[1].entitled)}）。`
      : `最低：${tiedLine(worst)}；最高：${tiedLine(best)}。`,
  )
  const previous = isCampaignOccasion(occasion)
    ? campaignBefore(occasionDay(occasion, year))
    : undefined
  if (tally.total.households === 0 && previous) {
    const word =
      previous.year === chooseCampaign({ occasion: previous.occasion }, today).year
        ? ''
        : `${previous.year} `
    lines.push(
      `还没有登记${occasion}走访。上一次的排名请回复「统计 ${word}${previous.occasion} 排名」。`,
    )
  } else if (worst[1].households < worst[1].entitled) {
    lines.push(`回复「未走访 ${occasion}${yearWord} ${worst[0]}」查看${worst[0]}的名单。`)
  }
  blocks.push({ lines })
  return phoneReply(`${year} ${occasion}走访各村完成率（${status}）`, blocks)
}

/** The campaign (八一, 春节 or 元旦) whose day came last before `day`, for a pointer to it. */
function campaignBefore(day: LocalDate): CampaignChoice | undefined {
  const year = partsOf(day).year
  return [year - 1, year]
    .flatMap((y) => CAMPAIGN_OCCASION_LIST.map((occasion) => ({ occasion, year: y })))
    .filter((c) => occasionDay(c.occasion, c.year) < day)
    .sort((a, b) => occasionDay(a.occasion, a.year).localeCompare(occasionDay(b.occasion, b.year)))
    .at(-1)
}

/**
 * The visits logged today (since local midnight) in `villages`, newest first, whatever their
 * campaign: last, this or next year's (TallyReader.visitsLoggedSince).
 */
export function visitsLoggedToday(
  services: RecordServices,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Visit[]> {
  const year = partsOf(today).year
  return services.tallies.visitsLoggedSince(
    instantAt(today, 0, 0, services.timezone),
    [year - 1, year, year + 1],
    villages,
  )
}

/** At most this many visits listed by 统计 今天; the rest are counted. */
export const TODAY_LISTED = 20

/**
 * 统计 今天 (`今天走访了谁`, `今天登记了哪些`): the visits logged today in the asker's villages,
 * newest first: who was visited, where, for what and who logged it, at most TODAY_LISTED lines.
 * Read from today's end of the campaign lists (TallyReader.visitsLoggedSince), by when a visit
 * was logged, so one dated yesterday but logged today shows its date.
 */
export async function todayReply(
  services: RecordServices,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const visits = await visitsLoggedToday(services, villages, today)
  const where = scopeLabel(villages)
  const day = `今天（${monthDay(today)}）`
  if (visits.length === 0) {
    return phoneText([`${day}${where}还没有登记走访。`, '登记如「走访 张三 今天 日常」。'])
  }
  const shown = visits.slice(0, TODAY_LISTED)
  const people = await peopleById(
    services,
    shown.map((v) => v.personId),
  )
  const households = new Set(visits.flatMap((v) => (v.personId ? [v.personId] : []))).size
  const cash = visits.reduce((n, v) => n + v.cashFen, 0)
  const visitors = await visitorsOfAll(services.roles, shown)
  const lines = shown.map((v, i) => {
    const who = v.personId ? (people.get(v.personId)?.name ?? `#${v.personId}`) : v.unitName
    const place = v.village === TOWNSHIP ? '' : `${v.village} `
    const what = [v.occasion, ...(v.date === today ? [] : [v.date.slice(5)])].join(' ')
    const money = v.cashFen > 0 ? ` ${yuan(v.cashFen)}` : ''
    // Who logged it (the first visitor is the sender); those who went along did not.
    return `#${v.id} ${place}${who} ${what}${money}，${visitors[i]![0] ?? ''}登记`
  })
  return phoneText([
    `${day}${where}登记走访 ${visits.length} 次（${households} 户），慰问金 ${yuan(cash)}：`,
    ...lines,
    ...(visits.length > shown.length
      ? [`共 ${visits.length} 条，显示前 ${shown.length} 条。`]
      : []),
    '回复「查看 #编号」看详情。',
  ])
}
