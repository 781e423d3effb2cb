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

function goodsText(goods: readonly { name: string; quantity: number; unit: string }[]): string {
  const sum = new Map<string, { name: string; unit: string; quantity: number }>()
  for (const g of goods) {
    const key = `${g.name}|${g.unit}`
    const s = sum.get(key) ?? { name: g.name, unit: g.unit, quantity: 0 }
    s.quantity += g.quantity
    sum.set(key, s)
  }
  return [...sum.values()].map((g) => `${g.name}${g.quantity}${g.unit}`).join('、')
}

/** 残疾军人（三级）: the category with the person's disability grade, when known. */
function categoryLabel(visit: Visit, person: Person | undefined): string {
  if (!visit.category) return '单位'
  const grade = person?.disability?.grade ?? person?.disability?.legacyLabel
  return grade ? `${visit.category}（${grade}）` : visit.category
}

/**
 * The visits a ledger holds: a year's are its five campaigns' (campaign year, as 统计 and 年报
 * count them: the 2027 元旦 and 春节 visits made in December 2026 are 2027's), a campaign's its
 * own, across its two calendar years. Sorted by village, then date, then time entered.
 */
async function ledgerVisits(
  ctx: ExportContext,
  year: number,
  occasion: Occasion | undefined,
): Promise<Visit[]> {
  const out = await campaignVisits(ctx, year, occasion ? [occasion] : OCCASIONS)
  return out.sort(
    (a, b) =>
      ctx.compareVillages(a.village, b.village) ||
      a.date.localeCompare(b.date) ||
      a.createdAt.localeCompare(b.createdAt),
  )
}

/** The active visits in scope of the campaigns of `year` for `occasions`, in list order. */
async function campaignVisits(
  ctx: ExportContext,
  year: number,
  occasions: readonly Occasion[],
): Promise<Visit[]> {
  const out: Visit[] = []
  for (const o of occasions) {
    for await (const visit of ctx.deps.visits.recordsOfCampaign(year, o)) {
      if (ctx.inScope(visit.village)) out.push(visit)
    }
  }
  return out
}

/** `12月`, `11—12月` (`12 月` with `space`): the months of `dates` (one calendar year's). */
function monthsOf(dates: readonly string[], space = ''): string {
  const months = dates.map((d) => partsOf(d).month)
  const [first, last] = [Math.min(...months), Math.max(...months)]
  return `${first === last ? first : `${first}—${last}`}${space}月`
}

/** The occasions of `visits` in the vocabulary's order, `元旦、春节`. */
function occasionsOf(visits: readonly Visit[]): string {
  const seen = new Set(visits.map((v) => v.occasion))
  return OCCASIONS.filter((o) => seen.has(o)).join('、')
}

/**
 * The rule a ledger counts by, for its headings: `（含2026年12月的元旦、春节走访）` for the year
 * 2027 (its visits dated in another calendar year, by year and months; for a year with none,
 * the rule itself: December's 元旦 and 春节 visits of the year before), `（含2026年12月的走访）`
 * for one campaign with such visits, '' for a campaign without.
 */
function ruleOf(visits: readonly Visit[], year: number, occasion: Occasion | undefined): string {
  const outside = visits.filter((v) => partsOf(v.date).year !== year)
  if (outside.length === 0) return occasion ? '' : `（含${year - 1}年12月的元旦、春节走访）`
  const years = [...new Set(outside.map((v) => partsOf(v.date).year))].sort((a, b) => a - b)
  const when = years
    .map(
      (y) =>
        `${y}年${monthsOf(outside.flatMap((v) => (v.date.startsWith(`${y}-`) ? [v.date] : [])))}`,
    )
    .join('、')
  return `（含${when}的${occasion ? '' : occasionsOf(outside)}走访）`
}

/**
 * `另有 2026 年 12 月的 2027 元旦走访 3 次、1,500 元，计入 2027 年度。`: the visits dated in `year`
 * that count toward next year's 元旦 or 春节 (the season rule), named under a year's sheets so
 * a clerk closing the calendar year's books finds December's money, as 统计 全年 and 年报 name
 * them. Read from those two campaigns' lists (next year's own January visits are there too).
 */
async function nextYearNotes(ctx: ExportContext, year: number): Promise<string[]> {
  const notes: string[] = []
  for (const o of ['元旦', '春节'] as const) {
    const dated = (await campaignVisits(ctx, year + 1, [o])).filter(
      (v) => partsOf(v.date).year === year,
    )
    if (dated.length === 0) continue
    const cashFen = dated.reduce((n, v) => n + v.cashFen, 0)
    notes.push(
      `另有 ${year} 年 ${monthsOf(
        dated.map((v) => v.date),
        ' ',
      )}的 ${year + 1} ${o}走访 ${dated.length} 次、${formatYuan(cashFen)} 元，计入 ${year + 1} 年度。`,
    )
  }
  return notes
}

/**
 * 台账: a bordered sheet of visits by village then date with a bold 合计, and a 合计 sheet
 * whose figures are 统计's for each campaign of the period (the same reader, scope and day).
 * Both hold the same visits: a year's are its campaigns' (campaign year), never by date.
 */
export async function writeLedger(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
): Promise<void> {
  const year = ctx.request.year!
  const occasion = ctx.request.occasion
  const visits = await ledgerVisits(ctx, year, occasion)
  const period = occasion ? `${year}年${occasion}` : `${year}年度`
  const rule = ruleOf(visits, year, occasion)
  const notes = occasion ? [] : await nextYearNotes(ctx, year)
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
    ctx.frame(`${period}双拥走访慰问台账${rule}`),
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
  // `2026年各活动合计`: the row 年报's 全年走访合计 line points to (test/commands/report.test.ts).
  const total = occasion ? `${period}合计` : `${year}年各活动合计`
  await writeLedgerSummary(book, ctx, { period, rule, total, notes }, campaigns, visits)
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
  sheet.done()
}

/**
 * The 合计 sheet: per campaign and village 应访 / 已访 / 完成率 / 走访次数 / 慰问金 / 物品 as
 * 统计 gives them, a bold 小计 per campaign and a bold 全年合计 of visits and cash, equal to the
 * 走访台账's 合计 (the same campaigns' visits). 物品 by village is summed from those visits.
 */
async function writeLedgerSummary(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
  heading: { period: string; rule: string; total: string; notes: readonly string[] },
  campaigns: CampaignTally[],
  visits: readonly Visit[],
): Promise<void> {
  const { period, rule, notes } = heading
  // Goods per village are not counted by village in the tally: summed from the ledger's visits.
  const goodsByVillage = new Map<string, Goods[]>()
  for (const v of visits) {
    const key = `${v.occasion}|${v.village}`
    const goods = goodsByVillage.get(key)
    if (goods) goods.push(...v.goods)
    else goodsByVillage.set(key, [...v.goods])
  }
  const sheet = printSheet(
    book,
    '合计',
    SUMMARY_COLUMNS,
    ctx.frame(
      `${period}双拥走访慰问汇总表${rule ? `${rule.slice(0, -1)}；` : '（'}按活动，与「统计」一致）`,
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
        goodsText(goodsByVillage.get(`${c.occasion}|${village}`) ?? []),
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
      goodsText(c.goods),
    ])
  }
  sheet.total([
    heading.total,
    null,
    null,
    null,
    null,
    campaigns.reduce((n, c) => n + c.total.visits, 0),
    yuan(campaigns.reduce((n, c) => n + c.total.cashFen, 0)),
    goodsText(campaigns.flatMap((c) => c.goods)),
  ])
  if (idle.length > 0) {
    sheet.note(`${idle.map((c) => campaignName(c.year, c.occasion)).join('、')}：无走访记录。`)
  }
  for (const note of notes) sheet.note(note)
  sheet.done()
}
