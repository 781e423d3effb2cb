import type ExcelJS from 'exceljs'
import { sortVillages } from '../records/village-order.js'
import { contactOf } from './contact.js'
import type { ExportContext } from './export-context.js'
import { chineseDate, excelDate, printSheet, type PrintColumn } from './print-sheet.js'

const ROSTER_COLUMNS: PrintColumn[] = [
  { header: '序号', width: 6, kind: 'count' },
  { header: '村（社区）', width: 12 },
  { header: '姓名', width: 10 },
  { header: '类别', width: 14 },
  { header: '伤残等级', width: 9 },
  { header: '户口类型', width: 8 },
  { header: '入伍日期', width: 11, kind: 'date' },
  { header: '入伍批次', width: 8 },
  { header: '电话', width: 14 },
  { header: '身份证号', width: 22 },
  { header: '备注', width: 24 },
]

/** 花名册: the active roster, village by village in the township's order, then by record. */
export async function writeRoster(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
): Promise<void> {
  const villages = sortVillages(ctx.request.villages ?? (await ctx.deps.villages.listVillages()))
  const sheet = printSheet(
    book,
    '花名册',
    ROSTER_COLUMNS,
    ctx.frame(`双拥优抚对象花名册（截至${chineseDate(ctx.asOf.today)}）`),
  )
  let n = 0
  for (const village of villages) {
    const people = await ctx.deps.people.listPeople({ villages: [village] })
    for (const p of people) {
      const [phone, idNumber] = await contactOf(ctx, p)
      sheet.add([
        ++n,
        p.village,
        p.name,
        p.category,
        [p.disability?.grade, p.disability?.legacyLabel].filter(Boolean).join(' '),
        p.householdType ?? '',
        p.enlistedAt ? excelDate(p.enlistedAt) : null,
        p.cohort ?? '',
        phone,
        idNumber,
        p.notes ?? '',
      ])
    }
  }
  sheet.total(['合计', null, `${n} 人`])
  sheet.done()
}
