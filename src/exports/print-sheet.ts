import type ExcelJS from 'exceljs'
import { partsOf, zonedParts, type LocalDate } from '../time/local-date.js'

/** How a column's cells are typed and shown. */
export type ColumnKind = 'text' | 'count' | 'money' | 'date' | 'datetime' | 'percent'

export interface PrintColumn {
  header: string
  width: number
  kind?: ColumnKind
}

/** What heads every printed sheet: the title, and who made it for which unit on which day. */
export interface SheetFrame {
  title: string
  /** TOWNSHIP_NAME; unset leaves a blank to fill in by hand. */
  unit: string | undefined
  preparer: string
  preparedOn: LocalDate
}

export type Cell = string | number | Date | null

const FORMATS: Partial<Record<ColumnKind, string>> = {
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
  percent: '0.0%',
}

const THIN = { style: 'thin' as const }
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN }
/** Row of the column headers: title and 制表 line sit above it. */
export const HEADER_ROW = 3
const TITLE_SIZE = 16
/** How much wider than body text (11 pt) a 16 pt bold title runs, per column-width unit. */
const TITLE_SCALE = 16 / 11 + 0.1

/**
 * A local date as an Excel date: a Date at UTC midnight, since Excel's serial has no zone and
 * exceljs converts from UTC.
 */
export function excelDate(date: LocalDate): Date {
  const { year, month, day } = partsOf(date)
  return new Date(Date.UTC(year, month - 1, day))
}

/** The wall-clock time of `instant` in `timezone` as an Excel date-time (see excelDate). */
export function excelLocalTime(instant: Date, timezone: string): Date {
  const p = zonedParts(instant, timezone)
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second))
}

/**
 * A column's width, never less than its number format needs: a date-time cell narrower than
 * `yyyy-mm-dd hh:mm` prints as ### in LibreOffice and Excel (seen on a render of the ledger).
 */
function shownWidth(column: PrintColumn): number {
  const format = column.kind && FORMATS[column.kind]
  return format ? Math.max(column.width, format.length + 1) : column.width
}

/** Roughly how wide `text` is in column-width units (measured on a render: CJK about 1.8). */
function textWidth(text: string): number {
  let width = 0
  for (const ch of text) width += /[\u2e80-\uffff]/.test(ch) ? 1.8 : 1
  return width
}

// Neither exceljs's streaming writer nor LibreOffice grows a row for wrapped text on its own,
// so a long 发现需求 would print over the next row: the row is made tall enough here.
const LINE_HEIGHT = 15
function rowHeight(cells: readonly Cell[], columns: readonly PrintColumn[]): number | undefined {
  const lines = Math.max(
    1,
    ...cells.map((value, i) =>
      typeof value === 'string' && columns[i] ? Math.ceil(textWidth(value) / columns[i].width) : 1,
    ),
  )
  return lines > 1 ? lines * LINE_HEIGHT : undefined
}

export function chineseDate(date: LocalDate): string {
  const { year, month, day } = partsOf(date)
  return `${year}年${month}月${day}日`
}

/**
 * A worksheet laid out as a clerk files it: title row, 制表 line, bordered header repeated on
 * every page, A4 landscape fitted to the page width, page numbers in the footer. Rows are
 * streamed: `add` commits each one.
 */
export function printSheet(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: readonly PrintColumn[],
  frame: SheetFrame,
) {
  const sheet = book.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      // 0 = as many pages tall as the rows need; only the width is fitted.
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  })
  sheet.columns = columns.map((c) => ({ width: shownWidth(c) }))
  const last = columns.length

  const title = sheet.getRow(1)
  title.getCell(1).value = frame.title
  // A merged cell clips what overflows it: on a narrow table a long title gets a smaller font.
  const tableWidth = columns.reduce((n, c) => n + shownWidth(c), 0)
  const fitted = Math.floor((TITLE_SIZE * tableWidth) / (textWidth(frame.title) * TITLE_SCALE))
  title.getCell(1).font = { bold: true, size: Math.max(10, Math.min(TITLE_SIZE, fitted)) }
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' }
  title.height = 30
  sheet.mergeCells(1, 1, 1, last)
  title.commit()

  const line = sheet.getRow(2)
  line.getCell(1).value = [
    `制表单位：${frame.unit ?? '__________'}`,
    `制表人：${frame.preparer}`,
    `制表日期：${chineseDate(frame.preparedOn)}`,
  ].join('        ')
  line.getCell(1).alignment = { horizontal: 'left', vertical: 'middle' }
  sheet.mergeCells(2, 1, 2, last)
  line.commit()

  const header = sheet.getRow(HEADER_ROW)
  const headerHeight = rowHeight(
    columns.map((c) => c.header),
    columns,
  )
  if (headerHeight) header.height = headerHeight
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1)
    cell.value = c.header
    cell.font = { bold: true }
    cell.border = BORDER
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } }
  })
  header.commit()

  let next = HEADER_ROW + 1
  const write = (cells: readonly Cell[], bold: boolean) => {
    const row = sheet.getRow(next++)
    const height = rowHeight(cells, columns)
    if (height) row.height = height
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1)
      const value = cells[i]
      if (value !== undefined && value !== null) cell.value = value
      cell.border = BORDER
      const format = FORMATS[c.kind ?? 'text']
      if (format) cell.numFmt = format
      cell.alignment = {
        vertical: 'middle',
        wrapText: true,
        ...(c.kind && c.kind !== 'text' && { horizontal: 'center' }),
      }
      if (bold) cell.font = { bold: true }
    })
    row.commit()
  }
  return {
    add: (cells: readonly Cell[]) => write(cells, false),
    /** A bold row: a 合计 or 小计. */
    total: (cells: readonly Cell[]) => write(cells, true),
    /**
     * A line under the table spanning every column (a note such as 全部已发放), wrapped in a
     * taller row when it is wider than the table (a merged cell clips what overflows it).
     */
    note: (text: string) => {
      const rowNumber = next++
      const row = sheet.getRow(rowNumber)
      row.getCell(1).value = text
      row.getCell(1).font = { bold: true }
      row.getCell(1).alignment = { horizontal: 'left', vertical: 'middle', wrapText: true }
      // Bold runs about a tenth wider than the body text textWidth measures.
      const lines = Math.ceil((textWidth(text) * 1.1) / tableWidth)
      if (lines > 1) row.height = lines * LINE_HEIGHT
      sheet.mergeCells(rowNumber, 1, rowNumber, last)
      row.commit()
    },
    done: () => sheet.commit(),
  }
}
