import { UserFacingError } from '../errors.js'
import type { PeopleStore } from '../records/people-store.js'
import type { RecordWriter } from '../records/record-writer.js'
import type { PersonInput, WriteMeta } from '../records/schemas.js'
import type { VillageStore } from '../records/village-store.js'
import { readRosterFile } from './roster-sheet.js'
import { validateRoster, type RowMessages, type ValidRow } from './roster-validation.js'

/** What importRoster needs from the record layer. */
export interface RosterImportDeps {
  people: PeopleStore
  villages: VillageStore
  /** Looks up earlier writes by idempotency key (RecordWriter.seen); read-only. */
  writes: Pick<RecordWriter, 'seen'>
  /** `platform:userId` the audit log attributes the writes to, e.g. `cli:zhangsan`. */
  actor: string
  now: () => Date
  /** BOT_TIMEZONE, for dates. */
  timezone: string
}

export interface ImportOptions {
  /** Import the valid rows even when others are invalid. @defaultValue false */
  skipInvalid?: boolean
  /** Check everything and report, write nothing. @defaultValue false */
  dryRun?: boolean
}

/** A valid row not added because the person is on the roster already. */
export interface RosterDuplicate {
  row: number
  reason: string
}

export interface ImportReport {
  rowsRead: number
  /** Rows added now (or, on a dry run, that would be). */
  imported: number
  invalid: RowMessages[]
  notes: RowMessages[]
  duplicates: RosterDuplicate[]
  /** Rows this same file already imported (same content hash and row number). */
  alreadyImported: number[]
  /** Villages registered now (or, on a dry run, that would be). */
  newVillages: string[]
  unknownColumns: string[]
  dryRun: boolean
  /** True when invalid rows stopped the import: nothing was written. */
  refused: boolean
}

/**
 * Imports a roster file: validates every row first and writes nothing if any is invalid
 * (unless `skipInvalid`), then registers new villages and adds each person once. Each row's
 * idempotency key is the file hash + row number, so re-running a file adds nothing twice;
 * a person whose ID number (or, without one, name + village + category) is on the roster
 * already is reported as a duplicate. That second check is what still holds once the write
 * markers have expired (weeks) or the file was re-saved. Throws UserFacingError for an
 * unreadable file or a missing column.
 */
export async function importRoster(
  path: string,
  options: ImportOptions,
  deps: RosterImportDeps,
): Promise<ImportReport> {
  const sheet = await readRosterFile(path)
  const now = deps.now()
  const checked = validateRoster(sheet, {
    knownVillages: await deps.villages.listVillages(),
    now,
    timezone: deps.timezone,
  })
  const report: ImportReport = {
    rowsRead: sheet.rows.length,
    imported: 0,
    invalid: checked.invalid,
    notes: checked.notes,
    duplicates: [],
    alreadyImported: [],
    newVillages: [],
    unknownColumns: sheet.unknownColumns,
    dryRun: options.dryRun ?? false,
    refused: checked.invalid.length > 0 && !options.skipInvalid,
  }
  if (report.refused) return report

  const keyBase = `roster:${sheet.hash.slice(0, 32)}`
  const meta = (key: string): WriteMeta => ({ actor: deps.actor, at: now, idempotencyKey: key })
  // Settle each row before writing anything, so new villages are registered only for rows
  // that will really be added.
  const toAdd: ValidRow[] = []
  for (const row of checked.valid) {
    if (await deps.writes.seen(meta(`${keyBase}:${row.row}`))) {
      report.alreadyImported.push(row.row)
      continue
    }
    const found = await findOnRoster(deps.people, row.input)
    if (found.note) report.notes.push({ row: row.row, messages: [found.note] })
    if (found.duplicate) report.duplicates.push({ row: row.row, reason: found.duplicate })
    else toAdd.push(row)
  }
  const villagesUsed = new Set(toAdd.map((row) => row.input.village))
  const villagesNeeded = checked.newVillages.filter((v) => villagesUsed.has(v))
  if (report.dryRun) {
    report.imported = toAdd.length
    report.newVillages = villagesNeeded
    return report
  }

  for (const village of villagesNeeded) {
    const { created } = await deps.villages.addVillage(
      village,
      meta(`${keyBase}:village:${village}`),
    )
    if (created) report.newVillages.push(village)
  }
  for (const row of toAdd) {
    try {
      const { created } = await deps.people.addPerson(row.input, meta(`${keyBase}:${row.row}`))
      if (created) report.imported++
      else report.alreadyImported.push(row.row)
    } catch (err) {
      // Another writer took the ID number between our check and this write.
      if (!(err instanceof UserFacingError)) throw err
      report.duplicates.push({ row: row.row, reason: err.replyText })
    }
  }
  return report
}

/**
 * Whether `input` is on the roster already. With an ID number, only that number decides;
 * without one, the same name + village + category does (names repeat, but rarely all three).
 * A namesake without an ID number next to a row with one is worth a note, not a refusal.
 */
async function findOnRoster(
  people: PeopleStore,
  input: PersonInput,
): Promise<{ duplicate?: string; note?: string }> {
  if (input.idNumber !== undefined) {
    const holder = await people.findPersonByIdNumber(input.idNumber)
    if (holder) {
      return {
        duplicate: `身份证号已在花名册上（#${holder.id} ${holder.name}，${holder.village}），未重复添加`,
      }
    }
  }
  const namesakes = await people.findPeopleByName(input.name, [input.village])
  const same = namesakes.filter((p) => p.category === input.category)
  if (same.length === 0) return { ...(await samePhoneNote(people, input)) }
  const who = same.map((p) => `#${p.id} ${p.name}`).join('、')
  if (input.idNumber === undefined) {
    return {
      duplicate: `花名册上已有同村同名同类别的 ${who}，可能是同一人，未添加；确是另一人请填上身份证号再导入`,
    }
  }
  const withoutId = same.filter((p) => !p.idNumberMasked)
  if (withoutId.length === 0) return {}
  return {
    note: `花名册上已有同村同名同类别、未登记身份证号的 ${withoutId.map((p) => `#${p.id}`).join('、')}，请核对是否重复`,
  }
}

/**
 * A note when someone else on the roster has the row's phone: family members share one, so it
 * is not refused, but a second entry of the same person often differs only in spelling.
 */
async function samePhoneNote(people: PeopleStore, input: PersonInput): Promise<{ note?: string }> {
  if (input.phone === undefined) return {}
  const holders = (await people.findPeopleByPhone(input.phone)).filter(
    (p) => p.name !== input.name || p.village !== input.village,
  )
  if (holders.length === 0) return {}
  const who = holders.map((p) => `#${p.id} ${p.name}（${p.village}）`).join('、')
  return { note: `电话与花名册上的 ${who}相同，请核对是否重复` }
}

/** The report as the lines the CLI prints, in Chinese, errors by spreadsheet row number. */
export function formatImportReport(report: ImportReport): string[] {
  const lines: string[] = []
  if (report.unknownColumns.length > 0) {
    lines.push(`未识别的列（已忽略）：${report.unknownColumns.join('、')}`)
  }
  for (const { row, messages } of report.invalid) lines.push(`第 ${row} 行：${messages.join('；')}`)
  if (report.refused) {
    lines.push(
      `共 ${report.rowsRead} 行，其中 ${report.invalid.length} 行有错误，未导入任何数据。请改正后重新导入，或加 --skip-invalid 只导入正确的行。`,
    )
    return lines
  }
  const remarks = [
    ...report.notes.map(({ row, messages }) => ({ row, text: messages.join('；') })),
    ...report.duplicates.map(({ row, reason }) => ({ row, text: reason })),
  ].sort((a, b) => a.row - b.row)
  for (const { row, text } of remarks) lines.push(`第 ${row} 行：${text}`)
  const verb = report.dryRun ? '可导入' : '导入'
  lines.push(
    [
      `${report.dryRun ? '试运行（未写入任何数据）：' : ''}读取 ${report.rowsRead} 行`,
      `${verb} ${report.imported} 行`,
      `跳过有错误的 ${report.invalid.length} 行`,
      `重复 ${report.duplicates.length} 行`,
      `此前已导入 ${report.alreadyImported.length} 行`,
    ].join('，') + '。',
  )
  const villages = report.newVillages
  lines.push(
    villages.length > 0
      ? `${report.dryRun ? '将新登记' : '新登记'}村（社区）${villages.length} 个：${villages.join('、')}`
      : '没有新登记的村（社区）。',
  )
  return lines
}
