import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportLinkError, ExportLinks } from '../../src/exports/export-link.js'
import { createTestBot, say, TEST_SECRET_KEY, type TestBot } from '../support/bot.js'
import { CONSCRIPTS, payAll, seedTown, visit, type Town } from '../support/town.js'

const NOW = new Date('2026-07-31T02:00:00Z')
const PUBLIC_URL = 'https://bot.example.gov.cn'

/** The path of the download link in a 导出 reply. */
function linkIn(reply: string): string {
  const url = /https?:\/\/\S+/.exec(reply)?.[0]
  if (!url) throw new Error(`no link in: ${reply}`)
  expect(url.startsWith(`${PUBLIC_URL}/exports/`)).toBe(true)
  return new URL(url).pathname
}

async function download(t: TestBot, path: string) {
  return t.http
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
}

async function rowsOf(body: Buffer): Promise<Map<string, unknown[][]>> {
  const book = new ExcelJS.Workbook()
  // exceljs declares the Buffer of older @types/node, which no longer matches ours.
  await book.xlsx.load(body as unknown as ArrayBuffer)
  const sheets = new Map<string, unknown[][]>()
  for (const sheet of book.worksheets) {
    const rows: unknown[][] = []
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
    sheets.set(sheet.name, rows)
  }
  return sheets
}

describe('导出 (issue 4)', () => {
  let t: TestBot
  let town: Town
  let now: Date

  beforeEach(async () => {
    now = NOW
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin', PUBLIC_URL }, { now: () => now })
    town = await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('when a leader exports the roster, the signed link serves an xlsx with phones and IDs masked', async () => {
    const [reply] = await say(t, 'boss', '导出 花名册')

    const res = await download(t, linkIn(reply!))
    const roster = (await rowsOf(res.body as Buffer)).get('花名册')!

    expect(reply).toMatch(/^花名册（全镇，12 人）下载链接，15 分钟内有效：\n/)
    expect(reply).toContain('身份证号、电话已打码')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('花名册-2026-07-31.xlsx')}`,
    )
    expect(res.headers['cache-control']).toBe('no-store')
    expect(roster[0]).toEqual([
      '编号',
      '姓名',
      '村（社区）',
      '类别',
      '伤残等级',
      '户口类型',
      '入伍日期',
      '入伍批次',
      '电话',
      '身份证号',
      '备注',
    ])
    expect(roster).toHaveLength(1 + 12 + 1)
    const zhang = roster.find((r) => r[1] === '张三')!
    expect(zhang.slice(2, 4)).toEqual(['铁炉嘴村', '残疾军人'])
    expect(zhang[8]).toBe('138****1111')
    expect(zhang[9]).toMatch(/^3201\*+1000$/)
    expect(roster.at(-1)!.slice(0, 2)).toEqual(['合计', '12 人'])
  })

  it('when an admin asks in a private chat, the export shows phones and IDs in full', async () => {
    const [reply] = await say(t, 'admin', '导出 花名册 铁炉嘴村')

    const res = await download(t, linkIn(reply!))
    const roster = (await rowsOf(res.body as Buffer)).get('花名册')!

    expect(reply).toContain('含完整身份证号和电话')
    expect(roster).toHaveLength(1 + 4 + 1)
    const zhang = roster.find((r) => r[1] === '张三')!
    expect(zhang[8]).toBe('13800001111')
    expect(zhang[9]).toBe('320102199001011000')
  })

  it('when an admin asks in a group chat, the export stays masked', async () => {
    const [reply] = await say(t, 'admin', '导出 花名册', { chat: 'township-group' })

    const res = await download(t, linkIn(reply!))
    const zhang = (await rowsOf(res.body as Buffer)).get('花名册')!.find((r) => r[1] === '张三')!

    expect(zhang[8]).toBe('138****1111')
  })

  it('exports the payment list of a year with its total and the families unpaid', async () => {
    await payAll(t, town, 2025, CONSCRIPTS.slice(0, 9))

    const [reply] = await say(t, 'boss', '导出 优待金 2025')
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const paid = sheets.get('优待金发放 2025')!
    const unpaid = sheets.get('未发放 2025')!

    expect(reply).toMatch(/^2025 年优待金发放表（全镇，发放 9 笔）下载链接/)
    expect(paid).toHaveLength(1 + 9 + 1)
    expect(paid[1]!.slice(1, 7)).toEqual(['2025-07-20', '铁炉嘴村', '李一', '农村', 5500, 5500])
    expect([paid.at(-1)![0], paid.at(-1)![1], paid.at(-1)![6]]).toEqual(['合计', '9 笔', 63_500])
    expect(unpaid.slice(1).map((r) => r[2])).toEqual(['孙四'])
  })

  it('exports the visit ledger with names, amounts and totals that match the tally', async () => {
    const { record } = await visit(t, town, '张三', { needs: '危房需修缮' })
    await visit(t, town, '李一', { cashFen: 30_050 })
    await say(t, 'boss', `办结 #${record.id} 已修缮`)

    const [reply] = await say(t, 'boss', '导出 台账 2026')
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const ledger = sheets.get('走访台账 2026')!
    const totals = sheets.get('合计')!

    expect(reply).toMatch(/^2026 年走访台账（全镇，走访 2 条）下载链接/)
    expect(reply).not.toContain('身份证')
    expect(ledger[0]!.slice(9, 12)).toEqual(['发现需求', '后续跟进', '办结日期'])
    expect(ledger[1]!.slice(1, 12)).toEqual([
      '八一',
      '2026-07-28',
      '铁炉嘴村',
      '张三',
      '残疾军人',
      '李书记',
      500,
      '米1袋',
      '危房需修缮',
      '已修缮',
      '2026-07-31',
    ])
    expect(ledger[2]![7]).toBe(300.5)
    expect(ledger.at(-1)!.slice(6, 8)).toEqual(['2 条', 800.5])
    expect(totals.slice(1)).toEqual([['八一', '铁炉嘴村', 2, 2, 800.5, 1]])
  })

  it('when the link is forged, answers 403 with a Chinese page and no file', async () => {
    const [reply] = await say(t, 'boss', '导出 花名册')
    const path = linkIn(reply!)
    // Flip the reveal flag inside the payload and keep the old signature.
    const [body, mac] = path.slice('/exports/'.length).split('.')
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { r: boolean }
    const tampered = Buffer.from(JSON.stringify({ ...payload, r: true })).toString('base64url')

    const res = await t.http.get(`/exports/${tampered}.${mac}`)

    expect(res.status).toBe(403)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.text).toContain('下载链接无效')
  })

  it('when the link is older than 15 minutes, answers 410 and says how to get a new one', async () => {
    const [reply] = await say(t, 'boss', '导出 花名册')
    const path = linkIn(reply!)
    now = new Date(NOW.getTime() + 15 * 60_000 + 1000)

    const res = await t.http.get(path)

    expect(res.status).toBe(410)
    expect(res.text).toContain('下载链接已过期')
    expect(res.text).toContain('导出 台账 2026')
  })

  it('refuses 导出 to a cadre', async () => {
    const [reply] = await say(t, 'li', '导出 花名册')

    expect(reply).not.toContain('/exports/')
  })
})

describe('ExportLinks', () => {
  const links = new ExportLinks({ secretKey: TEST_SECRET_KEY, publicUrl: PUBLIC_URL })
  const request = { kind: 'ledger' as const, year: 2026, reveal: false, by: 'wecom:boss' }

  it('when a token is opened within its lifetime, gives back what was signed', () => {
    const { token } = links.create(request, NOW)

    expect(links.open(token, new Date(NOW.getTime() + 14 * 60_000))).toMatchObject(request)
  })

  it('when a token was signed with another key, refuses it as forged', () => {
    const other = new ExportLinks({ secretKey: `${TEST_SECRET_KEY}x`, publicUrl: PUBLIC_URL })
    const { token } = other.create(request, NOW)

    expect(() => links.open(token, NOW)).toThrow(new ExportLinkError('forged'))
    expect(() => links.open('not-a-token', NOW)).toThrow(new ExportLinkError('forged'))
  })
})
