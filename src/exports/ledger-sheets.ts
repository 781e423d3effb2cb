import type ExcelJS from 'exceljs'
import {
  OCCASIONS,
  TOWNSHIP,
  type Activity,
  type Goods,
  type Occasion,
  type Person,
  type Visit,
} from '../records/schemas.js'
import type { CampaignTally } from '../records/tally-reader.js'
import { formatYuan } from '../parse/amount.js'
import { partsOf } from '../time/local-date.js'
import { visitorsShown } from '../user-names.js'
import type { ExportContext } from './export-context.js'
import { excelDate, excelLocalTime, printSheet, type PrintColumn } from './print-sheet.js'
import { goodsItem } from '../replies/goods-list.js'

const yuan = (fen: number) => fen / 100

// Widths add up to about what A4 landscape holds at 85 %: fitted to the width, still legible.
// The occasion is in 所属活动 (2027 春节), so it has no column of its own.
const LEDGER_COLUMNS: PrintColumn[] = [
  { header: '序号', width: 5, kind: 'count' },
  { header: '村（社区）', width: 10 },
  { header: '日期', width: 10.5, kind: 'date' },
  { header: '所属活动', width: 10 },
  { header: '走访对象', width: 9 },
  { header: '对象类别', width: 12 },
  { header: '走访人', width: 9 },
  { header: '慰问金（元）', width: 11, kind: 'money' },
  { header: '物品', width: 10 },
  { header: '发现需求', width: 14 },
  { header: '后续跟进', width: 10 },
  { header: '办结日期', width: 10.5, kind: 'date' },
  { header: '备注', width: 10 },
  { header: '登记人', width: 8 },
  { header: '登记时间', width: 17, kind: 'datetime' },
]

// An activity's unit (慰问部队) and the name written (双拥晚会) have columns of their own; 备注 is
// the cadre's note only (they were carried at the start of the notes before: docs/exports.md).
const ACTIVITY_COLUMNS: PrintColumn[] = [
  { header: '序号', width: 5, kind: 'count' },
  { header: '村（社区）', width: 10 },
  { header: '日期', width: 10.5, kind: 'date' },
  { header: '活动类别', width: 9 },
  { header: '活动名称', width: 14 },
  { header: '慰问部队', width: 14 },
  { header: '共建点类别', width: 9 },
  { header: '人数', width: 8, kind: 'count' },
  { header: '备注', width: 24 },
  { header: '登记人', width: 8 },
  { header: '登记时间', width: 17, kind: 'datetime' },
]

export const SUMMARY_COLUMNS: PrintColumn[] = [
  { header: '活动', width: 18 },
  { header: '村（社区）', width: 14 },
  { header: '应访（户）', width: 10, kind: 'count' },
  { header: '已访（户）', width: 10, kind: 'count' },
  { header: '完成率', width: 9, kind: 'percent' },
  { header: '走访次数', width: 10, kind: 'count' },
  { header: '慰问金（元）', width: 13, kind: 'money' },
  { header: '物品', width: 30 },
]

/** `2027 春节`: the campaign a visit counts toward (日常 and 困难帮扶: the date's year). */
export function campaignName(year: number, occasion: Occasion): string {
  return `${year} ${occasion}`
}

/**
 * `米2袋、油1桶`: goods summed by name and unit, most first, then by name: the order depends on
 * the goods only, never on the order of the visits, so a 合计 summed from the same visits in
 * another order (the 合计 sheet's, by campaign) reads the same.
 */
function goodsText(goods: readonly { name: string; quantity: number; unit: string }[]): string {
  const sum = new Map<string, { name: string; unit: string; quantity: number }>()
  for (const g of goods) {
    const key = `${g.name}|${g.unit}`
    const s = sum.get(key) ?? { name: g.name, unit: g.unit, quantity: 0 }
    s.quantity += g.quantity
    sum.set(key, s)
  }
  return [...sum.values()]
    .sort(
      (a, b) =>
        b.quantity - a.quantity ||
        a.name.localeCompare(b.name, 'zh-Hans-CN') ||
        a.unit.localeCompare(b.unit, 'zh-Hans-CN'),
    )
    .map(goodsItem)
    .join('、')
}

/** 残疾军人（三级）: the category with the person's disability grade, when known. */
function categoryLabel(visit: Visit, person: Person | undefined): string {
  if (!visit.category) return '单位'
  const grade = person?.disability?.grade ?? person?.disability?.legacyLabel
  return grade ? `${visit.category}（${grade}）` : visit.category
}

/**
 * The one rule every sheet of a 台账 counts by (docs/exports.md): a visit belongs to its
 * campaign's year (所属活动), never to its date's, as 统计 and 年报 count: the 2027 春节 and 元旦
 * visits made in December 2026 are 2027's, a 2026 八一 visit filed in January 2027 is 2026's.
 * A year's ledger holds its five campaigns, a campaign's ledger its own, across its two
 * calendar years. Withdrawn (撤销) visits are in none of them: the lists leave them out and the
 * counters 统计 and the 合计 sheet read drop them on withdrawal.
 */
async function ledgerVisits(
  ctx: ExportContext,
  year: number,
  occasion: Occasion | undefined,
): Promise<Visit[]> {
  const out = await campaignVisits(
    ctx,
    (occasion ? [occasion] : OCCASIONS).map((o) => [year, o] as const),
  )
  return out.sort(
    (a, b) =>
      ctx.compareVillages(a.village, b.village) ||
      a.date.localeCompare(b.date) ||
      a.createdAt.localeCompare(b.createdAt) ||
      // Entered in the same millisecond (a batch): in the order numbered, not the lists' order.
      a.id - b.id,
  )
}

/**
 * The active visits in scope of `campaigns`, each once, in list order. A visit corrected to
 * another campaign stays listed in the one it left (lists only grow): recordsOfCampaign yields
 * it from its own campaign only, and the ids seen make a second listing harmless.
 */
async function campaignVisits(
  ctx: ExportContext,
  campaigns: readonly (readonly [number, Occasion])[],
): Promise<Visit[]> {
  const seen = new Set<number>()
  const out: Visit[] = []
  for (const [year, occasion] of campaigns) {
    for await (const visit of ctx.deps.visits.recordsOfCampaign(year, occasion)) {
      if (seen.has(visit.id) || !ctx.inScope(visit.village)) continue
      seen.add(visit.id)
      out.push(visit)
    }
  }
  return out
}

/**
 * The visits dated in `year` that count toward a campaign of the year before or after (the
 * season rule: 元旦 and 春节 visits of December toward next year's, a late 八一 visit of
 * January toward last year's): no part of `year`'s ledger, named under it so a clerk closing
 * the calendar year's books finds that money too.
 */
async function datedInYearCountedElsewhere(ctx: ExportContext, year: number): Promise<Visit[]> {
  const neighbours = [year - 1, year + 1].flatMap((y) => OCCASIONS.map((o) => [y, o] as const))
  return (await campaignVisits(ctx, neighbours)).filter((v) => partsOf(v.date).year === year)
}

// Campaigns in the order their days come in a year, for the notes.
const CALENDAR_ORDER: readonly Occasion[] = ['元旦', '春节', '八一', '日常', '困难帮扶']

/** `12 月`, `11—12 月`: the months of `dates` (all in one calendar year). */
function monthsOf(dates: readonly string[]): string {
  const months = dates.map((d) => partsOf(d).month)
  const [first, last] = [Math.min(...months), Math.max(...months)]
  return `${first === last ? first : `${first}—${last}`} 月`
}

/**
 * One line per campaign and calendar year of `visits` dated outside their campaign's year:
 * `含 2026 年 12 月的 2027 春节走访 1 次、800 元。` for the visits a ledger holds, `另有 2026 年
 * 12 月的 2027 春节走访 1 次、800 元，计入 2027 年度。` for those it does not (`elsewhere`).
 */
function datedNotes(visits: readonly Visit[], elsewhere: boolean): string[] {
  const groups = new Map<string, Visit[]>()
  for (const v of visits) {
    if (!elsewhere && partsOf(v.date).year === v.campaignYear) continue
    const key = `${v.campaignYear}|${CALENDAR_ORDER.indexOf(v.occasion)}|${partsOf(v.date).year}`
    groups.set(key, [...(groups.get(key) ?? []), v])
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, group]) => {
      const { campaignYear, occasion } = group[0]!
      const dated = partsOf(group[0]!.date).year
      const cash = formatYuan(group.reduce((n, v) => n + v.cashFen, 0))
      const what = `${dated} 年 ${monthsOf(group.map((v) => v.date))}的 ${campaignName(campaignYear, occasion)}走访 ${group.length} 次、${cash} 元`
      return elsewhere ? `另有 ${what}，计入 ${campaignYear} 年度。` : `含 ${what}。`
    })
}

/**
 * What a ledger says of the rule it counts by, on each of its visit sheets, naming the replies
 * it agrees with: 年报 only for the whole township (it has no village view).
 */
function ruleNote(ctx: ExportContext, year: number, occasion: Occasion | undefined): string {
  if (occasion) {
    return `按活动统计，与「统计 ${year} ${occasion}」一致：${year} ${occasion}的全部走访，不论走访日期在哪一年；已撤销的记录不计入。`
  }
  const report = ctx.request.villages ? '' : `「年报 ${year}」`
  return `按活动年度统计，与「统计 全年 ${year}」${report}一致：走访计入所属活动的年度，不按走访日期（${year} 年春节、元旦的走访可在 ${year - 1} 年 12 月）；已撤销的记录不计入。`
}

/**
 * 台账: a bordered sheet of visits by village then date with a bold 合计, and a 合计 sheet
 * whose figures are 统计's for each campaign of the period (the same reader, scope and day).
 * Both hold the same visits, by campaign year (ledgerVisits), and say so in their titles and
 * notes: the 走访台账's 合计 is the 合计 sheet's last row, and 年报's 全年走访合计.
 */
export async function writeLedger(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
): Promise<void> {
  const year = ctx.request.year!
  const occasion = ctx.request.occasion
  const [visits, elsewhere] = await Promise.all([
    ledgerVisits(ctx, year, occasion),
    occasion ? [] : datedInYearCountedElsewhere(ctx, year),
  ])
  const notes = [
    ruleNote(ctx, year, occasion),
    ...datedNotes(visits, false),
    ...datedNotes(elsewhere, true),
  ]
  const ids = [...new Set(visits.flatMap((v) => (v.personId === undefined ? [] : [v.personId])))]
  const people = new Map(
    (await ctx.deps.records.getRecords(ids)).flatMap((r) =>
      r.kind === 'person' ? [[r.id, r] as const] : [],
    ),
  )

  const sheet = printSheet(
    book,
    `走访台账 ${year}年${occasion ?? ''}`,
    LEDGER_COLUMNS,
    ctx.frame(
      occasion
        ? `${year}年${occasion}双拥走访慰问台账`
        : `${year}年度双拥走访慰问台账（按活动年度）`,
    ),
  )
  let cashFen = 0
  visits.forEach((v, i) => {
    const person = v.personId === undefined ? undefined : people.get(v.personId)
    sheet.add([
      i + 1,
      v.village,
      excelDate(v.date),
      campaignName(v.campaignYear, v.occasion),
      v.personId === undefined ? (v.unitName ?? '') : (person?.name ?? `#${v.personId}`),
      categoryLabel(v, person),
      visitorsShown(v, ctx.nameOf(v.createdBy)).join('、'),
      yuan(v.cashFen),
      goodsText(v.goods),
      v.needs ?? '',
      v.followUp ?? '',
      v.resolvedAt ? excelDate(v.resolvedAt) : null,
      v.notes ?? '',
      ctx.nameOf(v.createdBy),
      excelLocalTime(new Date(v.createdAt), ctx.timezone),
    ])
    cashFen += v.cashFen
  })
  sheet.total([
    '合计',
    null,
    null,
    null,
    `${visits.length} 次`,
    null,
    null,
    yuan(cashFen),
    goodsText(visits.flatMap((v) => v.goods)),
  ])
  for (const note of notes) sheet.note(note)
  sheet.done()

  const campaigns = await Promise.all(
    (occasion ? [occasion] : OCCASIONS).map((o) =>
      ctx.deps.tallies.readCampaignTally(year, o, ctx.request.villages, ctx.asOf),
    ),
  )
  await writeLedgerSummary(book, ctx, campaigns, visits, notes)
  // Activities have a year, not an occasion: only a calendar year's ledger lists them.
  if (!occasion) await writeActivities(book, ctx, year)
}

/**
 * The 活动 sheet of a year's 台账: the year's active activities (座谈会, 晚会, 慰问部队, …) by
 * village then date, the unit and the name written in their own columns, with a bold 合计 of
 * activities and people reached. A township's own (no village) are 全镇, listed last.
 */
async function writeActivities(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
  year: number,
): Promise<void> {
  const rows: Activity[] = []
  for await (const a of ctx.deps.activities.activitiesOfYear(year)) {
    if (ctx.inScope(a.village ?? TOWNSHIP)) rows.push(a)
  }
  rows.sort(
    (a, b) =>
      ctx.compareVillages(a.village ?? TOWNSHIP, b.village ?? TOWNSHIP) ||
      a.date.localeCompare(b.date) ||
      a.createdAt.localeCompare(b.createdAt),
  )
  const sheet = printSheet(
    book,
    `活动 ${year}年`,
    ACTIVITY_COLUMNS,
    ctx.frame(`${year}年双拥活动台账`),
  )
  rows.forEach((a, i) => {
    sheet.add([
      i + 1,
      a.village ?? TOWNSHIP,
      excelDate(a.date),
      a.activityKind,
      a.title ?? '',
      a.unitName ?? '',
      a.siteKind ?? '',
      a.count ?? null,
      a.notes ?? '',
      ctx.nameOf(a.createdBy),
      excelLocalTime(new Date(a.createdAt), ctx.timezone),
    ])
  })
  sheet.total([
    '合计',
    null,
    null,
    `${rows.length} 次`,
    null,
    null,
    null,
    rows.reduce((n, a) => n + (a.count ?? 0), 0),
  ])
  if (rows.length === 0) sheet.note(`${year}年：无活动记录。`)
  // An activity has no campaign: its year is its date's (activity.year), as 统计 活动 and 年报
  // count it, and the one rule of the 台账 reads the same for it.
  const report = ctx.request.villages ? '' : `「年报 ${year}」`
  sheet.note(`按活动日期所在年份统计，与「统计 活动 ${year}」${report}一致；已撤销的记录不计入。`)
  sheet.done()
}

/**
 * The 合计 sheet: per campaign and village 应访 / 已访 / 完成率 / 走访次数 / 慰问金 as 统计 gives
 * them (readCampaignTally: its total is its villages' sum), a bold 小计 per campaign and a bold
 * 各活动合计, which equals the 走访台账's 合计 (the same campaigns' visits) and 年报's 全年走访合计.
 * 物品 is summed from the ledger's visits on every row (the counters keep goods per campaign,
 * not per village), so the villages' goods add up to the 小计 and the 小计 to the 合计.
 */
async function writeLedgerSummary(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
  campaigns: readonly CampaignTally[],
  visits: readonly Visit[],
  notes: readonly string[],
): Promise<void> {
  const year = ctx.request.year!
  const occasion = ctx.request.occasion
  const goodsOf = new Map<string, Goods[]>()
  const add = (key: string, goods: readonly Goods[]) => {
    const list = goodsOf.get(key)
    if (list) list.push(...goods)
    else goodsOf.set(key, [...goods])
  }
  for (const v of visits) {
    add(`${v.campaignYear}|${v.occasion}`, v.goods)
    add(`${v.campaignYear}|${v.occasion}|${v.village}`, v.goods)
  }
  const sheet = printSheet(
    book,
    '合计',
    SUMMARY_COLUMNS,
    ctx.frame(
      occasion
        ? `${year}年${occasion}双拥走访慰问汇总表（按活动，与「统计」一致）`
        : `${year}年度双拥走访慰问汇总表（按活动年度，与「统计」一致）`,
    ),
  )
  const rate = (households: number, entitled: number) =>
    entitled > 0 ? households / entitled : '—'
  const idle = campaigns.filter((c) => c.total.visits === 0)
  for (const c of campaigns) {
    // A campaign without visits would print a block of zeros: it is named in a note instead.
    if (c.total.visits === 0) continue
    const name = campaignName(c.year, c.occasion)
    const villages = Object.keys(c.byVillage).sort(ctx.compareVillages)
    for (const village of villages) {
      const f = c.byVillage[village]!
      if (f.entitled === 0 && f.visits === 0) continue
      sheet.add([
        name,
        village,
        f.entitled,
        f.households,
        rate(f.households, f.entitled),
        f.visits,
        yuan(f.cashFen),
        goodsText(goodsOf.get(`${c.year}|${c.occasion}|${village}`) ?? []),
      ])
    }
    const t = c.total
    sheet.total([
      `${name} 小计`,
      null,
      t.entitled,
      t.households,
      rate(t.households, t.entitled),
      t.visits,
      yuan(t.cashFen),
      goodsText(goodsOf.get(`${c.year}|${c.occasion}`) ?? []),
    ])
  }
  sheet.total([
    // `2026年各活动合计`: the row 年报's 全年走访合计 line points to (test/commands/report.test.ts).
    occasion ? `${year}年${occasion}合计` : `${year}年各活动合计`,
    null,
    null,
    null,
    null,
    campaigns.reduce((n, c) => n + c.total.visits, 0),
    yuan(campaigns.reduce((n, c) => n + c.total.cashFen, 0)),
    goodsText(visits.flatMap((v) => v.goods)),
  ])
  if (idle.length > 0) {
    sheet.note(`${idle.map((c) => campaignName(c.year, c.occasion)).join('、')}：无走访记录。`)
  }
  for (const note of notes) sheet.note(note)
  sheet.done()
}
