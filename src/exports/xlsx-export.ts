import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { LocalDate } from '../time/local-date.js'
import { exportContext, type XlsxExporterDeps } from './export-context.js'
import type { ExportRequest } from './export-link.js'
import { writeLedger } from './ledger-sheets.js'
import { writePayments } from './payment-sheets.js'
import { writeRoster } from './roster-sheet.js'

export type { XlsxExporterDeps } from './export-context.js'

/**
 * Writes the xlsx of an export to a stream, sheets laid out for printing (print-sheet.ts).
 * Phone and ID numbers are masked unless `request.reveal`.
 */
export class XlsxExporter {
  constructor(private readonly deps: XlsxExporterDeps) {}

  /** `台账-2026.xlsx`, `台账-2027春节.xlsx`, `花名册-2026-11-28.xlsx`, `优待金-2026-铁炉嘴村.xlsx`. */
  filename(request: ExportRequest, today: string): string {
    const what = { ledger: '台账', roster: '花名册', payments: '优待金' }[request.kind]
    const when = request.kind === 'roster' ? today : `${request.year}${request.occasion ?? ''}`
    const where = request.villages ? `-${request.villages.join('、')}` : ''
    return `${what}-${when}${where}.xlsx`
  }

  /**
   * Streams the workbook into `out` and resolves when it is complete; `today` (local) is the
   * 制表日期 and the day the figures are read as of. Throws on store errors, and for a ledger
   * or payment list without a year.
   */
  async write(request: ExportRequest, out: Writable, today: LocalDate): Promise<void> {
    if (request.kind !== 'roster' && request.year === undefined) {
      throw new Error(`a ${request.kind} export needs a year`)
    }
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    })
    book.creator = '双拥助手'
    const ctx = await exportContext(request, this.deps, today)
    if (request.kind === 'ledger') await writeLedger(book, ctx)
    else if (request.kind === 'roster') await writeRoster(book, ctx)
    else await writePayments(book, ctx)
    await book.commit()
  }
}
