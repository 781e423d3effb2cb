import { chmod, writeFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import type { PeopleStore } from '../records/people-store.js'
import type { Person } from '../records/schemas.js'
import { ROSTER_COLUMNS, type RosterField } from './columns.js'

export interface RosterExportOptions {
  /** Clear phone and ID numbers instead of masked ones (domain.md, Privacy). @defaultValue false */
  reveal?: boolean
}

export interface RosterExportResult {
  people: number
  villages: number
}

/**
 * Writes every active person, by village, to an .xlsx in the import layout (columns.ts), so
 * the file can be edited and imported again. Phone and ID numbers are masked unless `reveal`;
 * a revealed file is created readable by its owner only (mode 0600).
 */
export async function exportRoster(
  path: string,
  options: RosterExportOptions,
  deps: { people: PeopleStore },
): Promise<RosterExportResult> {
  const people = await deps.people.listPeople()
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('花名册', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = ROSTER_COLUMNS.map((c) => ({
    key: c.field,
    header: c.header,
    width: c.width,
    // Text format, so Excel neither turns an ID number into 3.20102E+17 nor a date into a serial.
    style: { numFmt: '@' },
  }))
  sheet.getRow(1).font = { bold: true }
  for (const person of people) {
    const clear = options.reveal ? await deps.people.revealPii(person.id) : undefined
    // Empty fields stay empty cells, not empty strings, so Excel's blanks filter finds them.
    const row = Object.entries(rowOf(person, clear)).map(([k, v]) => [k, v === '' ? null : v])
    sheet.addRow(Object.fromEntries(row))
  }
  const buffer = await workbook.xlsx.writeBuffer()
  const mode = options.reveal ? 0o600 : 0o644
  await writeFile(path, Buffer.from(buffer as ArrayBuffer), { mode })
  // `mode` only applies when the file is created; an overwritten file keeps its old one.
  if (options.reveal) await chmod(path, 0o600)
  return { people: people.length, villages: new Set(people.map((p) => p.village)).size }
}

function rowOf(
  person: Person,
  clear: { phone?: string; idNumber?: string } | undefined,
): Record<RosterField, string> {
  const { disability } = person
  return {
    name: person.name,
    village: person.village,
    category: person.category,
    disability: [disability?.grade, disability?.legacyLabel].filter(Boolean).join('/'),
    householdType: person.householdType ?? '',
    enlistedAt: person.enlistedAt ?? '',
    cohort: person.cohort ?? '',
    soldierName: person.soldierName ?? '',
    phone: clear?.phone ?? person.phoneMasked ?? '',
    idNumber: clear?.idNumber ?? person.idNumberMasked ?? '',
    notes: person.notes ?? '',
  }
}
