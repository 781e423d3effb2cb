import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { RosterCliDeps } from '../../src/cli/roster.js'
import type { Keys } from '../../src/records/keys.js'
import { PeopleStore } from '../../src/records/people-store.js'
import { Pii } from '../../src/records/pii.js'
import { RecordWriter } from '../../src/records/record-writer.js'
import type { RedisClient } from '../../src/records/redis.js'
import { VillageStore } from '../../src/records/village-store.js'

export const SECRET = 'test-secret-key-0123456789abcdef'
/** 2027-07-10 10:00 in Asia/Shanghai. */
export const NOW = new Date('2027-07-10T02:00:00Z')

/** The CLI's collaborators over one test prefix, built as compose.ts builds the stores. */
export function rosterDeps(
  redis: RedisClient,
  keys: Keys,
  cwd: string,
): RosterCliDeps & { lines: { out: string[]; err: string[] } } {
  const storeDeps = { redis, keys, pii: new Pii(SECRET) }
  const lines = { out: [] as string[], err: [] as string[] }
  return {
    people: new PeopleStore(storeDeps),
    villages: new VillageStore(storeDeps),
    writes: new RecordWriter(storeDeps),
    actor: 'cli:tester',
    now: () => NOW,
    timezone: 'Asia/Shanghai',
    cwd,
    out: (line) => lines.out.push(line),
    err: (line) => lines.err.push(line),
    lines,
  }
}

/** A fresh directory under the OS temp dir, and its removal. */
export function useTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'roster-test-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** An 18-digit ID number: `body` (17 digits) plus its GB 11643 check character. */
export function idNumber(body: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0)
  return body + '10X98765432'[sum % 11]!
}

export type CellInput = string | number | Date | null

/** Writes `rows` as the first sheet of an .xlsx at `path`. */
export async function writeXlsx(path: string, rows: CellInput[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Sheet1')
  for (const row of rows) sheet.addRow(row)
  await workbook.xlsx.writeFile(path)
}

/** The first sheet of an .xlsx as text rows (header included). */
export async function readXlsx(path: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  const rows: string[][] = []
  workbook.worksheets[0]!.eachRow((row) => {
    // row.values is sparse (index 0 and empty cells are holes); Array.from fills them.
    const values = Array.from((row.values as ExcelJS.CellValue[]).slice(1))
    rows.push(values.map((v) => (v === null || v === undefined ? '' : String(v))))
  })
  return rows
}
