import type ExcelJS from 'exceljs'
import { CATEGORIES } from '../records/schemas.js'
import { localDateOf } from '../time/local-date.js'
import { contactOf } from './contact.js'
import type { ExportContext } from './export-context.js'
import {
  chineseDate,
  excelDate,
  excelLocalTime,
  printSheet,
  type PrintColumn,
} from './print-sheet.js'
import type { RosterChange, RosterChecks } from './roster-changes.js'

const ROSTER_COLUMNS: PrintColumn[] = [
  { header: '序号', width: 6, kind: 'count' },
  { header: '村（社区）', width: 12 },
  { header: '姓名', width: 10 },
  { header: '义务兵姓名', width: 10 },
  { header: '类别', width: 15 },
  { header: '伤残等级', width: 9 },
  { header: '户口类型', width: 8 },
  { header: '入伍日期', width: 11, kind: 'date' },
  { header: '入伍批次', width: 8 },
  { header: '电话', width: 14 },
  { header: '身份证号', width: 22 },
  { header: '备注', width: 24 },
]

const CHANGE_COLUMNS: PrintColumn[] = [
  { header: '序号', width: 6, kind: 'count' },
  { header: '变动', width: 7 },
  { header: '时间', width: 17, kind: 'datetime' },
  { header: '村（社区）', width: 12 },
  { header: '姓名', width: 10 },
  { header: '义务兵姓名', width: 10 },
  { header: '类别', width: 15 },
  { header: '变动内容', width: 36 },
  { header: '移出原因', width: 16 },
  { header: '操作人', width: 12 },
]

/** `（去世 1、迁出 2）`: the removals by reason (its note left out), '' when none left. */
function reasonCounts(changes: readonly RosterChange[]): string {
  const counts = new Map<string, number>()
  for (const c of changes) {
    if (c.change !== '移出') continue
    const reason = c.reason.replace(/（.*）$/, '')
    counts.set(reason, (counts.get(reason) ?? 0) + 1)
  }
  if (counts.size === 0) return ''
  return `（${[...counts].map(([reason, n]) => `${reason} ${n}`).join('、')}）`
}

/** 变动情况: who was added, who left and why, what changed since the last 核对花名册. */
async function writeChanges(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
  checks: RosterChecks,
): Promise<void> {
  const { since, changes } = await checks.changesSinceLastCheck(ctx.request.villages)
  const from = since ? `${chineseDate(localDateOf(since, ctx.timezone))}核对以来` : '首次核对前'
  const sheet = printSheet(
    book,
    '变动情况',
    CHANGE_COLUMNS,
    ctx.frame(`双拥优抚对象花名册变动情况（${from}）`),
  )
  changes.forEach((c, i) => {
    sheet.add([
      i + 1,
      c.change,
      excelLocalTime(c.at, ctx.timezone),
      c.village,
      c.name,
      c.soldierName,
      c.category,
      c.detail,
      c.reason,
      ctx.nameOf(c.actor),
    ])
  })
  const count = (kind: string) => changes.filter((c) => c.change === kind).length
  sheet.note(
    changes.length === 0
      ? '无变动。'
      : `新增 ${count('新增')} 人，移出 ${count('移出')} 人${reasonCounts(changes)}，变更 ${count('变更')} 人次。`,
  )
  sheet.done()
}

/**
 * 合计: people by village and category, and conscript families by household type, from the
 * roster counters — the figures of 年报's 组织与底册. Only categories anyone is in get a column.
 */
async function writeRosterSummary(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
): Promise<void> {
  const counts = await ctx.deps.tallies.readRosterCounts(ctx.request.villages)
  const categories = CATEGORIES.filter((c) => counts.byCategory[c] > 0)
  const columns: PrintColumn[] = [
    { header: '村（社区）', width: 20 },
    ...categories.map((c) => ({ header: c, width: 9, kind: 'count' as const })),
    { header: '合计（人）', width: 9, kind: 'count' },
    { header: '义务兵家庭：农村（户）', width: 11, kind: 'count' },
    { header: '义务兵家庭：城镇（户）', width: 11, kind: 'count' },
  ]
  const sheet = printSheet(book, '合计', columns, ctx.frame('双拥优抚对象分布汇总表'))
  const villages = Object.keys(counts.byVillage)
    .sort(ctx.compareVillages)
    .filter((v) => counts.byVillage[v]!.total > 0)
  const rural = (v: string) => counts.byVillage[v]!.conscriptsByHouseholdType.农村
  const urban = (v: string) => counts.byVillage[v]!.conscriptsByHouseholdType.城镇
  for (const v of villages) {
    const c = counts.byVillage[v]!
    sheet.add([v, ...categories.map((k) => c.byCategory[k]), c.total, rural(v), urban(v)])
  }
  sheet.total([
    `合计（${villages.length} 个村（社区））`,
    ...categories.map((k) => counts.byCategory[k]),
    counts.total,
    villages.reduce((n, v) => n + rural(v), 0),
    villages.reduce((n, v) => n + urban(v), 0),
  ])
  sheet.done()
}

/** 花名册: the active roster, village by village in the township's order, then by record. */
export async function writeRoster(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  ctx: ExportContext,
): Promise<void> {
  const villages = [...(ctx.request.villages ?? (await ctx.deps.villages.listVillages()))].sort(
    ctx.compareVillages,
  )
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
        p.soldierName ?? '',
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
  await writeRosterSummary(book, ctx)
  if (ctx.deps.checks) await writeChanges(book, ctx, ctx.deps.checks)
}
