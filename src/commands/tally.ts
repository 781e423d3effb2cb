import { CADRE_AND_UP, type Command } from '../bot/command.js'
import { formatYuan } from '../parse/amount.js'
import type { Reply } from '../platforms/types.js'
import {
  ACTIVITY_KINDS,
  CATEGORIES,
  HOUSEHOLD_TYPES,
  SITE_KINDS,
  TOWNSHIP,
  standardFenFor,
  type HouseholdType,
} from '../records/schemas.js'
import type {
  AllowanceTally,
  CampaignFigures,
  CampaignTally,
  ActivityTally,
} from '../records/tally-reader.js'
import { daysBetween, partsOf, type LocalDate } from '../time/local-date.js'
import type { RecordServices } from './services.js'
import { lastYearOwedLines } from './last-year-owed.js'
import type { ReplyBlock } from '../replies/layout.js'
import {
  fitRows,
  percent,
  phoneReply,
  phoneText,
  scopeLabel,
  signed,
  signedYuan,
  yuan,
} from './tally-format.js'
import { rankingReply, todayReply, yearReply } from './tally-views.js'
import {
  campaignStatus,
  chooseCampaign,
  deadlineStatus,
  isCampaignOccasion,
  localToday,
  monthDay,
  parseTallyQuery,
  villagesFor,
  type CampaignChoice,
} from './tally-query.js'

const USAGE =
  '可以这样问：「统计」「统计 八一」「统计 2026 春节」「统计 优待金 2026」「统计 活动」「统计 铁炉嘴村」「统计 全年」「统计 排名」「统计 今天」。'

/** The default allowance deadline when none is configured (contract: before 八一). */
export function allowanceDeadline(year: number, configured: LocalDate | undefined): LocalDate {
  return configured ?? `${year}-07-31`
}

/**
 * 统计: visits of a campaign (plain = the current or latest one), the allowance of a year, or
 * the activities of a year; a cadre sees their villages, leaders and admins every village
 * with a per-village table. Every figure is a counter read (tally-reader.ts).
 */
export function createTallyCommand(services: RecordServices): Command {
  return {
    name: '统计',
    aliases: ['汇总'],
    audience: CADRE_AND_UP,
    summary: '走访进度、优待金发放、活动的统计（按村）',
    example: '统计 八一',
    async run({ args, actor, now }) {
      const known = await services.villages.listVillages()
      const today = localToday(now, services.timezone)
      const query = parseTallyQuery(args, known, actor, USAGE, today)
      const villages = villagesFor(query, actor)
      const thisYear = partsOf(today).year
      if (query.topic === 'allowance') {
        return allowanceReply(services, query.year ?? thisYear, villages, today, {
          yearNamed: query.year !== undefined,
        })
      }
      if (query.topic === 'activity') {
        return activityReply(services, query.year ?? thisYear, villages, today)
      }
      if (query.view === 'year') return yearReply(services, query.year ?? thisYear, villages, today)
      if (query.view === 'today') return todayReply(services, villages, today)
      const campaign = chooseCampaign(query, today)
      if (query.view === 'ranking') return rankingReply(services, campaign, villages, today)
      // Plain 统计 before 八一 is also about the allowance, due by then; read alongside.
      const extra = async (): Promise<string[]> => {
        if (args.trim() !== '' || campaign.occasion !== '八一') return []
        const allowance = await services.tallies.readAllowanceTally(campaign.year, villages, {
          today,
          timezone: services.timezone,
        })
        const { due, families, sumFen } = allowance.total
        if (due === 0 && families === 0) return []
        // Said here as 统计 优待金 and 未发放 say it, so plain 统计 never reads as still on time.
        const late = daysBetween(allowanceDeadline(campaign.year, allowance.deadline), today)
        const lateWord = late > 0 ? `（已过截止 ${late} 天）` : ''
        return [
          `${campaign.year} 年优待金：已发 ${families}/${due} 户，${formatYuan(sumFen)} 元${lateWord}。回复「统计 优待金」查看。`,
        ]
      }
      return campaignReply(services, campaign, villages, today, extra)
    },
  }
}

/** `米40袋、油40桶等 5 种`: the goods handed over, most first. */
function goodsSummary(goods: CampaignTally['goods']): string | undefined {
  if (goods.length === 0) return undefined
  const sorted = [...goods].sort((a, b) => b.quantity - a.quantity)
  const listed = sorted
    .slice(0, 3)
    .map((g) => `${g.name}${g.quantity.toLocaleString('en-US')}${g.unit}`)
  return listed.join('、') + (sorted.length > 3 ? ` 等 ${sorted.length} 种` : '')
}

/** `应访 77 户，已访 70 户（91%），走访 75 次（含单位 3 次），慰问金 38,500 元，物品 …`. */
export function describeCampaignFigures(
  f: CampaignFigures,
  goods: CampaignTally['goods'],
  occasion: CampaignChoice['occasion'],
): string {
  // 日常 and 困难帮扶 are owed to no household: no share of the roster, which read as a
  // shortfall (a tester: 在册 13 户，已访 1 户（8%）, then 未走访 12 户).
  const households = isCampaignOccasion(occasion)
    ? `应访 ${f.entitled} 户，已访 ${f.households} 户（${percent(f.households, f.entitled)}）`
    : `已访 ${f.households} 户`
  const parts = [
    households,
    `走访 ${f.visits} 次${f.unitVisits > 0 ? `（含单位 ${f.unitVisits} 次）` : ''}`,
    `慰问金 ${formatYuan(f.cashFen)} 元`,
  ]
  const g = goodsSummary(goods)
  if (g) parts.push(`物品 ${g}`)
  return parts.join('，')
}

/**
 * The visit tally of one campaign as a reply (a row per village when several), ending
 * with the lines `extra` resolves to, which are read at the same time as the tally.
 */
export async function campaignReply(
  services: RecordServices,
  campaign: CampaignChoice,
  villages: readonly string[] | undefined,
  today: LocalDate,
  extra: () => Promise<string[]> = async () => [],
): Promise<Reply> {
  const { year, occasion } = campaign
  const [tally, tail] = await Promise.all([
    services.tallies.readCampaignTally(year, occasion, villages, {
      today,
      timezone: services.timezone,
    }),
    extra(),
  ])
  const { total } = tally
  const heading = `${year} ${occasion}走访（${campaignStatus(campaign, today)}）`
  const summary = [
    `${scopeLabel(villages)}：${describeCampaignFigures(total, tally.goods, occasion)}`,
  ]
  const owed = isCampaignOccasion(occasion)
  const categories = CATEGORIES.filter((c) =>
    owed
      ? tally.byCategory[c].entitled > 0 || tally.byCategory[c].households > 0
      : tally.byCategory[c].households > 0,
  ).map((c) =>
    owed
      ? `${c} ${tally.byCategory[c].households}/${tally.byCategory[c].entitled}`
      : `${c} ${tally.byCategory[c].households}`,
  )
  if (categories.length > (owed ? 1 : 0)) {
    summary.push(`按类别（${owed ? '已访/应访' : '已访户数'}）：${categories.join('，')}`)
  }

  const rows = Object.entries(tally.byVillage).filter(([, f]) =>
    owed ? f.entitled > 0 || f.visits > 0 : f.visits > 0,
  )
  const blocks: ReplyBlock[] = [{ lines: summary }]
  if (rows.length > 1) {
    const { shown, omitted } = fitRows(rows, ([v, f]) =>
      v === TOWNSHIP ? 2 : f.entitled > 0 ? f.households / f.entitled : 1,
    )
    blocks.push({
      caption: owed ? '各村（已访/应访，完成率，慰问金）：' : '各村（已访户数，慰问金）：',
      rows: shown.map(([village, f]) =>
        village === TOWNSHIP
          ? // Units (驻地部队, 敬老院) visited in the township's name: no households to cover.
            { name: `${TOWNSHIP}（单位）`, cells: [`走访 ${f.unitVisits} 次`, yuan(f.cashFen)] }
          : {
              name: village,
              cells: owed
                ? [
                    `${f.households}/${f.entitled} 户`,
                    percent(f.households, f.entitled),
                    yuan(f.cashFen),
                  ]
                : [`${f.households} 户`, yuan(f.cashFen)],
            },
      ),
    })
    if (omitted > 0) {
      // What the rows leave out, summed, so the rows and this line add up to the total.
      const left = rows.filter((r) => !shown.includes(r)).map(([, f]) => f)
      const sum = (k: keyof CampaignFigures) => left.reduce((n, f) => n + f[k], 0)
      blocks.push({
        lines: [
          `另有 ${omitted} 个村（社区）完成率较高，未列出（共 ${sum('households')}/${sum('entitled')} 户，${yuan(sum('cashFen'))}）；回复「统计 ${occasion} 村名」查看单村。`,
        ],
      })
    }
  }
  if (!owed) {
    blocks.push({ lines: tail })
    return phoneReply(heading, blocks)
  }
  const unvisited = Math.max(0, total.entitled - total.households)
  const yearWord = year === chooseCampaign({ occasion }, today).year ? '' : ` ${year}`
  // One village asked about: the list offered is that village's, not the whole township's.
  const villageWord = villages?.length === 1 ? ` ${villages[0]}` : ''
  blocks.push({
    lines: [
      unvisited > 0
        ? `未走访 ${unvisited} 户，回复「未走访 ${occasion}${yearWord}${villageWord}」查看名单。`
        : total.entitled > 0
          ? '全部已走访。'
          : '还没有登记优抚对象，请管理员「添加对象」。',
    ],
  })
  blocks.push({ lines: tail })
  return phoneReply(heading, blocks)
}

/** `农村：已发 4/4 户，22,000 元（标准 5,500 元/户）`. */
function householdLine(tally: AllowanceTally, type: HouseholdType): string {
  const f = tally.total.byHouseholdType[type]
  const standard =
    tally.standard?.mode === 'split'
      ? `（标准 ${formatYuan(standardFenFor(tally.standard, type))} 元/户）`
      : ''
  return `${type}：已发 ${f.families}/${f.due} 户，${formatYuan(f.sumFen)} 元${standard}`
}

/**
 * `未注明农村/城镇：1 户（…）`: the families due whose household type the roster lacks, so the
 * 农村 and 城镇 lines add up to the total (a tester: 应发 11 户 over 农村 4 and 城镇 6).
 */
function untypedLine(tally: AllowanceTally): string[] {
  const typed = HOUSEHOLD_TYPES.reduce((n, t) => n + tally.total.byHouseholdType[t].due, 0)
  const untyped = tally.total.due - typed
  return untyped > 0 ? [`未注明农村/城镇：${untyped} 户（补登后才能按标准发放）`] : []
}

/** The payments beyond a family's first, as the records tell them apart (paymentsBeyondFirst). */
export interface PaymentsBeyondFirst {
  topUps: number
  repeats: number
}

/**
 * `补发 1 笔，多发 1 户 300 元，少发 1 户 600 元`: why the sum is not 户数 × 标准, family by
 * family (TallyReader's AllowanceVariance: each family's payments of the year together against
 * one standard; over- and underpayments apart, never netted). The same words in 统计 优待金's
 * 注意 line and in 年报 (docs/figures.md). Undefined when every family got its standard once.
 * With `beyondFirst` read from the records, a second payment confirmed with 「确认」 is named
 * 重复发放, not 补发 (a tester: a second full payment read as `补发 1 笔`); without it the
 * counters cannot tell the two apart and every payment beyond a first is `补发`.
 */
export function allowanceVariance(
  tally: Pick<AllowanceTally, 'variance'>,
  beyondFirst?: PaymentsBeyondFirst,
): string | undefined {
  const { repeats, over, under, complete } = tally.variance
  const topUps = beyondFirst ? beyondFirst.topUps : repeats
  const repeated = beyondFirst ? beyondFirst.repeats : 0
  const parts = [
    ...(topUps > 0 ? [`补发 ${topUps} 笔`] : []),
    ...(repeated > 0 ? [`重复发放 ${repeated} 笔`] : []),
    ...(over.families > 0 ? [`多发 ${over.families} 户 ${formatYuan(over.fen)} 元`] : []),
    ...(under.families > 0 ? [`少发 ${under.families} 户 ${formatYuan(under.fen)} 元`] : []),
    // Payments stored before the per-family counters: until `npm run reconcile -- --fix`.
    ...(complete ? [] : ['早先登记的发放待对账后按户核对']),
  ]
  return parts.length > 0 ? parts.join('，') : undefined
}

/**
 * What allowanceVariance needs to name the payments beyond a family's first 补发 or 重复发放:
 * the year's payments read only when the counters show some (none: undefined, nothing read).
 */
export async function readPaymentsBeyondFirst(
  services: Pick<RecordServices, 'allowances'>,
  tally: Pick<AllowanceTally, 'year' | 'variance'>,
  villages: readonly string[] | undefined,
): Promise<PaymentsBeyondFirst | undefined> {
  if (tally.variance.repeats === 0) return undefined
  return services.allowances.paymentsBeyondFirst(tally.year, villages)
}

/**
 * The reconciliation a leader can see (domain.md): each family's payments against its
 * standard, and payments against families (补发). Empty when every family got its standard once.
 */
export function allowanceChecks(
  tally: AllowanceTally,
  beyondFirst?: PaymentsBeyondFirst,
): string[] {
  const said = allowanceVariance(tally, beyondFirst)
  return said ? [`注意：${said}；请用「导出 优待金 ${tally.year}」核对。`] : []
}

/** `比 2025 年：+2 户，+17,600 元（+32.4%）`, or why there is no comparison; no final 。. */
export function yearOnYear(current: AllowanceTally, previous: AllowanceTally): string {
  const prev = previous.total
  if (prev.families === 0 && prev.sumFen === 0) return `${previous.year} 年无发放记录，无同比`
  const cur = current.total
  const pct = prev.sumFen > 0 ? `（${formatChange((cur.sumFen - prev.sumFen) / prev.sumFen)}）` : ''
  // 「0 户」 read as no families at all (a tester): no change is said as such.
  const families =
    cur.families === prev.families ? '户数持平' : `${signed(cur.families - prev.families)} 户`
  const sum = cur.sumFen === prev.sumFen ? '金额持平' : signedYuan(cur.sumFen - prev.sumFen)
  return `比 ${previous.year} 年：${families}，${sum}${cur.sumFen === prev.sumFen ? '' : pct}`
}

/** `+32.4%`, `-5.0%`, `0%`. */
function formatChange(ratio: number): string {
  const p = Math.round(ratio * 1000) / 10
  if (p === 0) return '0%'
  return `${p > 0 ? '+' : ''}${p.toFixed(1)}%`
}

/** The allowance of `year`: families paid of those due, rural/urban, year on year, by village. */
export async function allowanceReply(
  services: RecordServices,
  year: number,
  villages: readonly string[] | undefined,
  today: LocalDate,
  /** Whether 统计 named a year; without one, from January to March last year's arrears follow. */
  { yearNamed = true }: { yearNamed?: boolean } = {},
): Promise<Reply> {
  const asOf = { today, timezone: services.timezone }
  const [tally, previous, lastYear] = await Promise.all([
    services.tallies.readAllowanceTally(year, villages, asOf),
    services.tallies.readAllowanceTally(year - 1, villages, asOf),
    lastYearOwedLines(services, villages, today, yearNamed),
  ])
  const beyondFirst = await readPaymentsBeyondFirst(services, tally, villages)
  const { total } = tally
  const deadline = allowanceDeadline(year, tally.deadline)
  const heading = `${year} 年义务兵家庭优待金（${deadlineStatus(deadline, today)}）`
  const summary = [
    `${scopeLabel(villages)}：应发 ${total.due} 户，已发 ${total.families} 户（${percent(total.families, total.due)}），共 ${formatYuan(total.sumFen)} 元`,
    ...HOUSEHOLD_TYPES.filter((t) => {
      const f = total.byHouseholdType[t]
      return f.due > 0 || f.families > 0
    }).map((t) => householdLine(tally, t)),
    ...untypedLine(tally),
  ]
  if (tally.standard?.mode === 'unified') {
    summary.push(`标准：统一 ${formatYuan(tally.standard.fen)} 元/户`)
  } else if (!tally.standard) {
    summary.push(`${year} 年还没有设置标准，请管理员「优待金标准 ${year} 农村… 城镇…」。`)
  }
  // Before this year's deadline its payments are under way: set against all of last year's they
  // read as a fall (「-8 户（-100.0%）」 in February, a tester), so the comparison waits for it.
  const underWay = year === partsOf(today).year && today < deadline
  summary.push(...(underWay ? [] : [yearOnYear(tally, previous)]))
  summary.push(...allowanceChecks(tally, beyondFirst))
  if (tally.paidOffRoster > 0) {
    // A closed year's due set is the roster at its end: a family paid that is not in it may
    // have been entered since, not removed (a tester's 李四, added in January, paid for 2026).
    const closed = year < partsOf(today).year
    summary.push(
      closed
        ? `另有 ${tally.paidOffRoster} 户不在 ${year} 年底的名册上（年内移出或之后才登记）：金额计入合计，不计入已发户数。`
        : `另有 ${tally.paidOffRoster} 户发放后移出名册：金额计入合计，不计入已发户数。`,
    )
  }

  const rows = Object.entries(tally.byVillage).filter(([, f]) => f.due > 0 || f.families > 0)
  const blocks: ReplyBlock[] = [{ lines: summary }]
  if (rows.length > 1) {
    const { shown, omitted } = fitRows(rows, ([, f]) => (f.due > 0 ? f.families / f.due : 1))
    blocks.push({
      caption: '各村（已发/应发，金额）：',
      rows: shown.map(([village, f]) => ({
        name: village,
        cells: [`${f.families}/${f.due} 户`, yuan(f.sumFen)],
      })),
    })
    if (omitted > 0) {
      const left = rows.filter((r) => !shown.includes(r)).map(([, f]) => f)
      const sum = (k: 'families' | 'due' | 'sumFen') => left.reduce((n, f) => n + f[k], 0)
      blocks.push({
        lines: [
          `另有 ${omitted} 个村（社区）已发完或发得较多，未列出（共 ${sum('families')}/${sum('due')} 户，${yuan(sum('sumFen'))}）。`,
        ],
      })
    }
  }
  const unpaid = Math.max(0, total.due - total.families)
  // The list of the village asked about, not the town's (a tester: 统计 优待金 2027 童家坝村).
  const listed = villages?.length === 1 ? `${year} ${villages[0]}` : `${year}`
  // Families paid part of their standard count as paid (已发) but are still owed: said apart.
  const short = tally.variance.under.families
  const owed =
    short > 0 ? `未发足 ${short} 户（尚欠 ${formatYuan(tally.variance.under.fen)} 元）` : ''
  blocks.push({
    lines: [
      unpaid > 0
        ? `未发 ${unpaid} 户${owed ? `，另有${owed}` : ''}，回复「未发放 ${listed}」查看名单。`
        : total.due > 0
          ? owed
            ? `全部已发放，其中${owed}，回复「未发放 ${listed}」查看。`
            : '全部已发放。'
          : '没有登记义务兵家庭。',
    ],
  })
  if (lastYear.length > 0) blocks.push({ lines: lastYear })
  return phoneReply(heading, blocks)
}

/** The activities of `year` by kind, with co-building sites by kind and, for several villages, where. */
export async function activityReply(
  services: RecordServices,
  year: number,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const tally: ActivityTally = await services.tallies.readActivityTally(year, villages)
  const { byKind, sitesByKind } = tally.total
  const until = year === partsOf(today).year ? `截至 ${monthDay(today)}` : '全年'
  const heading = `${year} 年双拥活动（${scopeLabel(villages)}，${until}）`
  const held = ACTIVITY_KINDS.filter((k) => byKind[k].activities > 0)
  if (held.length === 0) {
    return phoneText([heading, '还没有登记活动。登记如「活动 座谈会 7月30日 人数40」。'])
  }
  const kinds = {
    caption: '按类别（次数，人数）：',
    rows: held.map((k) => ({
      name: k === '军训' ? '学生军训' : k,
      cells: [
        `${byKind[k].activities} 次`,
        // An activity logged without a head count adds no people: 「慰问部队 1 次」, not 「0 人」.
        ...(k === '共建点' || byKind[k].people === 0
          ? []
          : [`${byKind[k].people.toLocaleString('en-US')} 人`]),
      ],
    })),
  }
  const extra: string[] = []
  const sites = SITE_KINDS.filter((s) => sitesByKind[s] > 0).map((s) => `${s} ${sitesByKind[s]} 个`)
  if (sites.length > 0) extra.push(`共建点：${sites.join('、')}`)
  const where = Object.entries(tally.byVillage)
    .map(([v, f]) => [v, ACTIVITY_KINDS.reduce((n, k) => n + f.byKind[k].activities, 0)] as const)
    .filter(([, n]) => n > 0)
  if (where.length > 1) extra.push(`按村：${where.map(([v, n]) => `${v} ${n} 次`).join('、')}`)
  return phoneReply(heading, [kinds, { lines: extra }])
}
