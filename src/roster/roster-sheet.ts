import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { UserFacingError } from '../errors.js'
import { ROSTER_COLUMNS, headerOf, matchHeader, type RosterField } from './columns.js'

/** One cell as read: its text, and whether the spreadsheet held a number or a date there. */
export interface RosterCell {
  text: string
  kind: 'text' | 'number' | 'date'
}

/** One data row of the sheet, by spreadsheet row number (1-based, as Excel and WPS show it). */
export interface RosterRow {
  row: number
  cells: Partial<Record<RosterField, RosterCell>>
}

export interface RosterSheet {
  /** sha256 of the file's bytes, hex: the idempotency keys of its rows derive from it. */
  hash: string
  headerRow: number
  rows: RosterRow[]
  /** Header cells no column matched, as `备用（第 K 列）`; their contents are ignored. */
  unknownColumns: string[]
}

/** How many header rows a title block may push the header down (`XX镇优抚对象花名册`). */
const HEADER_SEARCH_ROWS = 10
const REQUIRED_HEADERS = ROSTER_COLUMNS.filter((c) => c.required)
  .map((c) => `「${c.header}」`)
  .join('')

/**
 * Reads the first sheet of an .xlsx, or a .csv (UTF-8 with or without BOM; GB18030/GBK and
 * UTF-16 with BOM are decoded too, as Excel and WPS save them). Throws UserFacingError when
 * the file is missing or unreadable, has no header row, or lacks a required column.
 */
export async function readRosterFile(path: string): Promise<RosterSheet> {
  const ext = extname(path).toLowerCase()
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new UserFacingError(`找不到文件：${path}`)
    throw new UserFacingError(`无法读取文件 ${path}：${(err as Error).message}`)
  }
  const hash = createHash('sha256').update(bytes).digest('hex')
  const workbook = new ExcelJS.Workbook()
  let sheet: ExcelJS.Worksheet | undefined
  if (ext === '.csv') {
    const { text, delimiter } = decodeCsv(bytes)
    // `map` keeps every value a string: exceljs' default turns 320102199001011234 into a
    // float (losing the last digits) and date-like text into Dates.
    try {
      sheet = await workbook.csv.read(Readable.from([text]), {
        map: (value: string) => value,
        parserOptions: { delimiter },
      })
    } catch (err) {
      throw new UserFacingError(
        `${path} 不是有效的 CSV 文件：${(err as Error).message}。${CSV_HINT}`,
      )
    }
  } else {
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
    } catch (err) {
      throw new UserFacingError(
        `无法读取 ${path}：不是有效的 .xlsx 文件（${(err as Error).message}）。请用 Excel 或 WPS 打开后「另存为」Excel 工作簿（*.xlsx）。`,
      )
    }
    sheet = workbook.worksheets[0]
  }
  if (!sheet) throw new UserFacingError(`${path} 里没有工作表。`)
  return { hash, ...readSheet(sheet, ext === '.csv' ? CSV_HINT : '') }
}

const CSV_HINT =
  '在 Excel 中「另存为」选「CSV UTF-8（逗号分隔）」，WPS 选「CSV」，或直接导入 .xlsx 文件。'
const UTF8_BOM = [0xef, 0xbb, 0xbf]

/**
 * CSV bytes as text. Valid UTF-8 is taken as UTF-8; anything else is read as GB18030 (a
 * superset of GBK, what Excel's plain "CSV" gives on a Chinese Windows). Excel's "Unicode
 * text" is UTF-16LE with a BOM and tab-separated.
 */
function decodeCsv(bytes: Buffer): { text: string; delimiter: string } {
  let text: string
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2))
  } else if (UTF8_BOM.every((b, i) => bytes[i] === b)) {
    text = new TextDecoder('utf-8').decode(bytes.subarray(3))
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      text = new TextDecoder('gb18030').decode(bytes)
    }
  }
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ','
  return { text, delimiter }
}

function readSheet(sheet: ExcelJS.Worksheet, hint: string): Omit<RosterSheet, 'hash'> {
  let header: { row: number; columns: Map<number, RosterField>; unknown: string[] } | undefined
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount) && !header; r++) {
    const found = readHeader(sheet.getRow(r))
    if (found.columns.size > 0 && [...found.columns.values()].includes('name')) {
      header = { row: r, ...found }
    }
  }
  if (!header) {
    throw new UserFacingError(
      `前 ${HEADER_SEARCH_ROWS} 行里没有找到表头：表头一行应包含${REQUIRED_HEADERS}等列。${hint}`,
    )
  }
  const present = new Set(header.columns.values())
  const missing = ROSTER_COLUMNS.filter((c) => c.required && !present.has(c.field))
  if (missing.length > 0) {
    throw new UserFacingError(
      `第 ${header.row} 行的表头缺少必填列：${missing.map((c) => `「${c.header}」`).join('、')}。`,
    )
  }
  const rows: RosterRow[] = []
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber <= header.row) return
    const cells: RosterRow['cells'] = {}
    for (const [col, field] of header.columns) {
      const cell = readCell(row.getCell(col).value)
      if (cell.text !== '') cells[field] = cell
    }
    if (Object.keys(cells).length > 0) rows.push({ row: rowNumber, cells })
  })
  return { headerRow: header.row, rows, unknownColumns: header.unknown }
}

function readHeader(row: ExcelJS.Row): { columns: Map<number, RosterField>; unknown: string[] } {
  const columns = new Map<number, RosterField>()
  const unknown: string[] = []
  const seen = new Map<RosterField, number>()
  row.eachCell((cell, col) => {
    const text = readCell(cell.value).text
    if (text === '') return
    const field = matchHeader(text)
    if (field === undefined) {
      unknown.push(`${text}（第 ${columnLetter(col)} 列）`)
      return
    }
    const earlier = seen.get(field)
    if (earlier !== undefined) {
      throw new UserFacingError(
        `第 ${row.number} 行的表头有两列都是「${headerOf(field)}」（第 ${columnLetter(earlier)} 列和第 ${columnLetter(col)} 列），请删去一列。`,
      )
    }
    seen.set(field, col)
    columns.set(col, field)
  })
  return { columns, unknown }
}

function columnLetter(col: number): string {
  let out = ''
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out
  }
  return out
}

/** exceljs cell values (text, number, date, rich text, hyperlink, formula) as one cell. */
function readCell(value: ExcelJS.CellValue | undefined): RosterCell {
  if (value === null || value === undefined) return { text: '', kind: 'text' }
  if (typeof value === 'string') return { text: value.trim(), kind: 'text' }
  if (typeof value === 'number') return { text: String(value), kind: 'number' }
  if (typeof value === 'boolean') return { text: String(value), kind: 'text' }
  if (value instanceof Date) {
    // exceljs gives a date cell as UTC midnight of the day shown, whatever the machine's zone.
    return { text: value.toISOString().slice(0, 10), kind: 'date' }
  }
  if ('richText' in value) {
    return {
      text: value.richText
        .map((r) => r.text)
        .join('')
        .trim(),
      kind: 'text',
    }
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return readCell((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue)
  }
  if ('text' in value) return readCell((value as ExcelJS.CellHyperlinkValue).text)
  if ('error' in value) return { text: String(value.error), kind: 'text' }
  return { text: '', kind: 'text' }
}
