import ExcelJS from 'exceljs'
import type { TestBot } from './bot.js'

/** The workbook a 导出 reply links to, downloaded from the bot as a phone would. */
export async function linkedWorkbook(t: TestBot, reply: string): Promise<ExcelJS.Workbook> {
  const url = /https?:\/\/\S+/.exec(reply)?.[0]
  if (!url) throw new Error(`no link in: ${reply}`)
  const res = await t.http
    .get(new URL(url).pathname)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = []
      r.on('data', (c: Buffer) => chunks.push(c))
      r.on('end', () => done(null, Buffer.concat(chunks)))
    })
  const book = new ExcelJS.Workbook()
  // exceljs declares the Buffer of older @types/node, which no longer matches ours.
  await book.xlsx.load(res.body as unknown as ArrayBuffer)
  return book
}

/**
 * Sheet `name` of the workbook a 导出 reply links to, as rows of cell values, from row
 * `fromRow` down (3: below the title and 制表 lines, from the column headers).
 */
export async function linkedSheetRows(
  t: TestBot,
  reply: string,
  name: string,
  fromRow = 1,
): Promise<unknown[][]> {
  const rows: unknown[][] = []
  ;(await linkedWorkbook(t, reply)).getWorksheet(name)!.eachRow((row, n) => {
    if (n >= fromRow) rows.push((row.values as unknown[]).slice(1))
  })
  return rows
}
