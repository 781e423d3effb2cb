import type ExcelJS from 'exceljs'
import {
  OCCASIONS,
  TOWNSHIP,
  type Activity,
  type Occasion,
  type Person,
  type Visit,
} from '../records/schemas.js'
import type { CampaignTally } from '../records/tally-reader.js'
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

/** The visits a ledger holds: a calendar year's by date, or one campaign's across its years. */
async function ledgerVisits(
  ctx: ExportContext,
  year: number,
  occasion: Occasion | undefined,
): Promise<Visit[]> {
  const inScope = ctx.inScope
  const out: Visit[] = []
  // A calendar year holds visits of the campaigns of the year before (a 元旦 instance), the
  // year itself and the next (春节 and 元旦 windows open in December): filtered by date.
  const lists = occasion
    ? [[year, occasion] as const]
    : [year - 1, year, year + 1].flatMap((y) => OCCASIONS.map((o) => [y, o] as const))
  for (const [y, o] of lists) {
    for await (const visit of ctx.deps.visits.recordsOfCampaign(y, o)) {
      if (!inScope(visit.village)) continue
      if (!occasion && partsOf(visit.date).year !== year) continue
      out.push(visit)
    }
  }
  return out.sort(
    (a, b) =>
      ctx.compareVillages(a.village, b.village) ||
      a.date.localeCompare(b.date) ||
      a.createdAt.localeCompare(b.createdAt),
  )
}

/**
 * 台账: a bordered sheet of visits by village then date with a bold 合计, and a 合计 sheet
 * whose figures are 统计's for each campaign of the period (the same reader, scope and day).
 */
export async function writeLedger(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
): Promise<void> {
  const year = ctx.request.year!
  const occasion = ctx.request.occasion
  const period = occasion ? `${year}年${occasion}` : `${year}年`
  const visits = await ledgerVisits(ctx, year, occasion)
  const ids = [...new Set(visits.flatMap((v) => (v.personId === undefined ? [] : [v.personId])))]
  const people = new Map(
    (await ctx.deps.records.getRecords(ids)).flatMap((r) =>
      r.kind === 'person' ? [[r.id, r] as const] : [],
    ),
  )

  const sheet = printSheet(
    book,
    `走访台账 ${period}`,
    LEDGER_COLUMNS,
    ctx.frame(`${period}双拥走访慰问台账`),
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
  sheet.done()

  const campaigns = await Promise.all(
    (occasion ? [occasion] : OCCASIONS).map((o) =>
      ctx.deps.tallies.readCampaignTally(year, o, ctx.request.villages, ctx.asOf),
    ),
  )
  await writeLedgerSummary(book, ctx, period, campaigns)
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
 * 统计 gives them, a bold 小计 per campaign and a bold 全年合计 of visits and cash.
 */
async function writeLedgerSummary(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
  period: string,
  campaigns: CampaignTally[],
): Promise<void> {
  // Goods per village are not counted by village in the tally: summed from the campaign's visits.
  const goodsByVillage = new Map<string, Visit['goods']>()
  for (const c of campaigns) {
    for await (const v of ctx.deps.visits.recordsOfCampaign(c.year, c.occasion)) {
      const key = `${c.occasion}|${v.village}`
      goodsByVillage.set(key, [...(goodsByVillage.get(key) ?? []), ...v.goods])
    }
  }
  const sheet = printSheet(
    book,
    '合计',
    SUMMARY_COLUMNS,
    ctx.frame(`${period}双拥走访慰问汇总表（按活动，与「统计」一致）`),
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
    `${ctx.request.occasion ? period : `${period}各活动`}合计`,
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
  sheet.done()
}
