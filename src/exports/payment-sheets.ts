import type ExcelJS from 'exceljs'
import { HOUSEHOLD_TYPES, type AllowancePayment, type Person } from '../records/schemas.js'
import { shortFamilyLines } from '../replies/short-families.js'
import { countsAsTopUp } from '../records/allowance-store.js'
import type { ExportContext } from './export-context.js'
import { contactOf } from './contact.js'
import { excelDate, printSheet, type PrintColumn } from './print-sheet.js'

const yuan = (fen: number) => fen / 100

const PAYMENT_COLUMNS: PrintColumn[] = [
  { header: '序号', width: 6, kind: 'count' },
  { header: '村（社区）', width: 11 },
  { header: '义务兵姓名', width: 10 },
  { header: '入伍时间', width: 11, kind: 'date' },
  { header: '家庭类型', width: 8 },
  { header: '领取人', width: 10 },
  { header: '标准（元）', width: 11, kind: 'money' },
  { header: '实发（元）', width: 11, kind: 'money' },
  { header: '发放日期', width: 11, kind: 'date' },
  { header: '电话', width: 13 },
  { header: '身份证号', width: 20 },
  { header: '备注', width: 18 },
  { header: '签字', width: 10 },
]

// In the 发放表's order, so a clerk reads both sheets the same way.
const UNPAID_COLUMNS: PrintColumn[] = [
  { header: '序号', width: 6, kind: 'count' },
  { header: '村（社区）', width: 12 },
  { header: '义务兵姓名', width: 10 },
  { header: '入伍时间', width: 11, kind: 'date' },
  { header: '家庭类型', width: 8 },
  { header: '领取人', width: 10 },
  { header: '电话', width: 14 },
  { header: '身份证号', width: 22 },
]

const SUMMARY_COLUMNS: PrintColumn[] = [
  { header: '村（社区）', width: 14 },
  { header: '家庭类型', width: 10 },
  { header: '应发（户）', width: 10, kind: 'count' },
  { header: '已发（户）', width: 10, kind: 'count' },
  { header: '发放笔数', width: 10, kind: 'count' },
  { header: '金额（元）', width: 14, kind: 'money' },
]

/**
 * 优待金: the year's payments as a 发放花名册 (village then date, a second payment to one family
 * marked 补发 when the cadre said so, 重复发放 otherwise), a 合计 sheet of 应发 / 已发 / 金额 by village and household type as 统计
 * gives them, and the families unpaid, or a line saying all are paid.
 */
export async function writePayments(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
): Promise<void> {
  const year = ctx.request.year!
  const payments: AllowancePayment[] = []
  for await (const p of ctx.deps.allowances.paymentsOfYear(year)) {
    if (ctx.inScope(p.village)) payments.push(p)
  }
  payments.sort(
    (a, b) =>
      ctx.compareVillages(a.village, b.village) ||
      a.date.localeCompare(b.date) ||
      a.createdAt.localeCompare(b.createdAt),
  )
  const people = new Map(
    (await ctx.deps.records.getRecords([...new Set(payments.map((p) => p.personId))])).flatMap(
      (r) => (r.kind === 'person' ? [[r.id, r] as const] : []),
    ),
  )
  const paidBefore = new Map<number, { n: number; fen: number }>()
  const sheet = printSheet(
    book,
    `优待金发放 ${year}`,
    PAYMENT_COLUMNS,
    ctx.frame(`${year}年义务兵家庭优待金发放表`),
  )
  let sumFen = 0
  const beyondFirst = { topUps: 0, repeats: 0, firstTopUps: 0 }
  for (const [i, p] of payments.entries()) {
    const person = people.get(p.personId)
    const [phone, idNumber] = person ? await contactOf(ctx, person) : ['', '']
    const before = paidBefore.get(p.personId) ?? { n: 0, fen: 0 }
    const nth = before.n + 1
    paidBefore.set(p.personId, { n: nth, fen: before.fen + p.amountFen })
    const topUp = nth > 1 ? countsAsTopUp(p, before.fen) : p.topUp === true
    if (nth > 1 && topUp) beyondFirst.topUps++
    else if (nth > 1) beyondFirst.repeats++
    else if (topUp) beyondFirst.firstTopUps++
    sheet.add([
      i + 1,
      p.village,
      // The record names the family's contact (领取人); the soldier's own name is its own field.
      person?.soldierName ?? '',
      person?.enlistedAt ? excelDate(person.enlistedAt) : null,
      p.householdType,
      person?.name ?? `#${p.personId}`,
      yuan(p.standardFen),
      yuan(p.amountFen),
      excelDate(p.date),
      phone,
      idNumber,
      [paymentMark(topUp, nth), p.notes ?? ''].filter(Boolean).join('；'),
      null,
    ])
    sumFen += p.amountFen
  }
  sheet.total(['合计', `${payments.length} 笔`, null, null, null, null, null, yuan(sumFen)])
  const { topUps, repeats, firstTopUps } = beyondFirst
  const counted = beyondFirstText(topUps, repeats)
  if (counted) sheet.note(`其中${counted}，见备注列${repeats > 0 ? '，请核实' : ''}。`)
  if (firstTopUps > 0) {
    sheet.note(`另有补发 ${firstTopUps} 笔是该户本年第 1 笔（本年此前的发放不在记录中），请核实。`)
  }
  sheet.done()

  await writePaymentSummary(book, ctx, counted)
  await writeUnpaid(book, ctx)
}

/**
 * A payment's mark in 备注: `补发（本年第 2 笔）` for a 补发 beyond the family's first payment of
 * the year (countsAsTopUp), `重复发放（本年第 2 笔）` for another payment beyond it, `补发` for a 补发 that is the
 * family's first in the records, nothing for a first payment.
 */
function paymentMark(topUp: boolean, nth: number): string {
  if (nth > 1) return `${topUp ? '补发' : '重复发放'}（本年第 ${nth} 笔）`
  return topUp ? '补发' : ''
}

/** `补发 1 笔，重复发放 1 笔`: the payments beyond a family's first, by mark; '' when none. */
function beyondFirstText(topUps: number, repeats: number): string {
  return [topUps > 0 ? `补发 ${topUps} 笔` : '', repeats > 0 ? `重复发放 ${repeats} 笔` : '']
    .filter(Boolean)
    .join('，')
}

async function writePaymentSummary(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
  beyondFirst: string,
): Promise<void> {
  const year = ctx.request.year!
  const tally = await ctx.deps.tallies.readAllowanceTally(year, ctx.request.villages, ctx.asOf)
  const sheet = printSheet(
    book,
    '合计',
    SUMMARY_COLUMNS,
    ctx.frame(`${year}年义务兵家庭优待金发放汇总表（与「统计 优待金」一致）`),
  )
  const villages = Object.keys(tally.byVillage).sort(ctx.compareVillages)
  for (const village of villages) {
    const v = tally.byVillage[village]!
    for (const type of HOUSEHOLD_TYPES) {
      const f = v.byHouseholdType[type]
      if (f.due === 0 && f.payments === 0) continue
      sheet.add([village, type, f.due, f.families, f.payments, yuan(f.sumFen)])
    }
  }
  for (const type of HOUSEHOLD_TYPES) {
    const f = tally.total.byHouseholdType[type]
    sheet.total([`${type}小计`, type, f.due, f.families, f.payments, yuan(f.sumFen)])
  }
  const t = tally.total
  sheet.total(['合计', null, t.due, t.families, t.payments, yuan(t.sumFen)])
  if (beyondFirst) sheet.note(`发放笔数多于已发户数：${beyondFirst}。`)
  if (tally.paidOffRoster > 0) {
    sheet.note(`另有 ${tally.paidOffRoster} 户已发放后移出花名册，金额计入合计、不计入已发户数。`)
  }
  sheet.done()
}

async function writeUnpaid(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
): Promise<void> {
  const year = ctx.request.year!
  const [families, short] = await Promise.all([
    ctx.deps.tallies.unpaidFamilies(year, ctx.request.villages, ctx.asOf),
    shortFamilies(ctx, year),
  ])
  const sheet = printSheet(
    book,
    `未发放 ${year}`,
    UNPAID_COLUMNS,
    ctx.frame(`${year}年义务兵家庭优待金未发放名单`),
  )
  const rows: Person[] = [...families].sort(
    (a, b) => ctx.compareVillages(a.village, b.village) || a.id - b.id,
  )
  for (const [i, p] of rows.entries()) {
    const [phone, idNumber] = await contactOf(ctx, p)
    sheet.add([
      i + 1,
      p.village,
      p.soldierName ?? '',
      p.enlistedAt ? excelDate(p.enlistedAt) : null,
      p.householdType ?? '',
      p.name,
      phone,
      idNumber,
    ])
  }
  if (rows.length === 0 && short.length === 0) sheet.note('全部已发放：本年应发家庭均已登记发放。')
  else if (rows.length > 0) sheet.total(['合计', `${rows.length} 户`])
  // Paid part of the standard only: still owed, as 未发放 in chat says (a tester: the sheet
  // left them out while the reply listed them).
  if (short.length > 0) {
    sheet.note(`另有未发足 ${short.length} 户（已登记发放，尚欠差额）：`)
    for (const line of short) sheet.note(line)
  }
  sheet.done()
}

/** The families on the roster paid short in `year`, as 未发放 in chat names them. */
async function shortFamilies(ctx: ExportContext, year: number): Promise<string[]> {
  const tally = await ctx.deps.tallies.readAllowanceTally(year, ctx.request.villages, ctx.asOf)
  return shortFamilyLines(ctx.deps.records, tally.variance.underpaid)
}
