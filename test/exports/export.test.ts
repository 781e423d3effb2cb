import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExportLinkError, ExportLinks } from '../../src/exports/export-link.js'
import { createTestBot, say, TEST_SECRET_KEY, type TestBot } from '../support/bot.js'
import type { Occasion } from '../../src/records/schemas.js'
import { adminMeta, CONSCRIPTS, payAll, seedTown, visit, type Town } from '../support/town.js'

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

async function bookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook()
  // exceljs declares the Buffer of older @types/node, which no longer matches ours.
  await book.xlsx.load(body as unknown as ArrayBuffer)
  return book
}

/** Each sheet's rows from the column headers down (the title and 制表 line are rows 1 and 2). */
async function rowsOf(body: Buffer): Promise<Map<string, unknown[][]>> {
  const book = await bookOf(body)
  const sheets = new Map<string, unknown[][]>()
  for (const sheet of book.worksheets) {
    const rows: unknown[][] = []
    sheet.eachRow((row, n) => {
      if (n >= 3) rows.push((row.values as unknown[]).slice(1))
    })
    sheets.set(sheet.name, rows)
  }
  return sheets
}

/** A sheet's data rows (they carry their 序号) and its 合计 row: notes may follow the 合计. */
const dataOf = (rows: unknown[][]) => rows.filter((r) => typeof r[0] === 'number')
const totalOf = (rows: unknown[][]) => rows.find((r) => r[0] === '合计')!

describe('导出 (issue 4)', () => {
  let t: TestBot
  let town: Town
  let now: Date

  beforeEach(async () => {
    now = NOW
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin', PUBLIC_URL, TOWNSHIP_NAME: '铁炉镇' },
      { now: () => now },
    )
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
      '序号',
      '村（社区）',
      '姓名',
      '义务兵姓名',
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
    expect(roster.slice(1, -1).map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const zhang = roster.find((r) => r[2] === '张三')!
    expect([zhang[1], zhang[2], zhang[4]]).toEqual(['铁炉嘴村', '张三', '残疾军人'])
    expect(zhang[9]).toBe('138****1111')
    expect(zhang[10]).toMatch(/^3201\*+1000$/)
    expect([roster.at(-1)![0], roster.at(-1)![2]]).toEqual(['合计', '12 人'])
  })

  it('when an admin asks in a private chat, the export shows phones and IDs in full', async () => {
    const [reply] = await say(t, 'admin', '导出 花名册 铁炉嘴村')

    const res = await download(t, linkIn(reply!))
    const roster = (await rowsOf(res.body as Buffer)).get('花名册')!

    expect(reply).toContain('含完整身份证号和电话')
    expect(roster).toHaveLength(1 + 4 + 1)
    const zhang = roster.find((r) => r[2] === '张三')!
    expect(zhang[9]).toBe('13800001111')
    expect(zhang[10]).toBe('320102199001011000')
  })

  it('when asked in a group chat, gives no link and says to ask in a private chat', async () => {
    const [admin] = await say(t, 'admin', '导出 花名册', { chat: 'township-group' })
    const [leader] = await say(t, 'boss', '导出 台账 2026', { chat: 'township-group' })

    // A link opens for whoever holds it: the whole group would have the families' needs.
    expect(admin).toBe('导出的表格含群众的姓名、困难等个人信息，请私聊我发送「导出 花名册」。')
    expect(leader).toBe('导出的表格含群众的姓名、困难等个人信息，请私聊我发送「导出 台账 2026」。')
    expect(admin).not.toMatch(/exports\//)
  })

  it('exports the payment list of a year with its total, a summary equal to 统计 and the families unpaid', async () => {
    await payAll(t, town, 2025, CONSCRIPTS.slice(0, 9))

    const [reply] = await say(t, 'boss', '导出 优待金 2025')
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const paid = sheets.get('优待金发放 2025')!
    const summary = sheets.get('合计')!
    const unpaid = sheets.get('未发放 2025')!
    const tally = await t.bot.services.tallies.readAllowanceTally(2025)

    expect(reply).toMatch(/^2025 年优待金发放表（全镇，发放 9 笔）下载链接/)
    expect(paid[0]!.slice(0, 9)).toEqual([
      '序号',
      '村（社区）',
      '义务兵姓名',
      '入伍时间',
      '家庭类型',
      '领取人',
      '标准（元）',
      '实发（元）',
      '发放日期',
    ])
    expect(paid).toHaveLength(1 + 9 + 1)
    expect(paid[1]![0]).toBe(1)
    expect(paid[1]![1]).toBe('铁炉嘴村')
    expect(paid[1]!.slice(4, 8)).toEqual(['农村', '李一', 5500, 5500])
    expect(paid[1]![8]).toEqual(new Date(Date.UTC(2025, 6, 20)))
    expect([paid.at(-1)![0], paid.at(-1)![1], paid.at(-1)![7]]).toEqual(['合计', '9 笔', 63_500])
    const total = summary.at(-1)!
    expect(total.slice(0, 1).concat(total.slice(2, 6))).toEqual([
      '合计',
      tally.total.due,
      tally.total.families,
      tally.total.payments,
      tally.total.sumFen / 100,
    ])
    const rural = summary.find((r) => r[0] === '农村小计')!
    expect(rural.slice(2, 6)).toEqual([4, 4, 4, 22_000])
    expect(unpaid[0]!.slice(0, 6)).toEqual([
      '序号',
      '村（社区）',
      '义务兵姓名',
      '入伍时间',
      '家庭类型',
      '领取人',
    ])
    expect(unpaid.slice(1, -1).map((r) => r[5])).toEqual(['孙四'])
  })

  it('fills 义务兵姓名 from the family record, the 领取人 staying the contact (issue 13)', async () => {
    await t.bot.services.people.updatePerson(
      town.people['李一']!.id,
      { soldierName: '李小兵' },
      adminMeta(),
    )
    await t.bot.services.people.updatePerson(
      town.people['孙四']!.id,
      { soldierName: '孙小兵' },
      adminMeta(),
    )
    await payAll(t, town, 2025, ['李一'])

    const [reply] = await say(t, 'boss', '导出 优待金 2025')
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const paid = sheets.get('优待金发放 2025')!.slice(1, -1)
    const unpaid = sheets.get('未发放 2025')!.slice(1, -1)

    expect(paid.map((r) => [r[2], r[5]])).toEqual([['李小兵', '李一']])
    expect(unpaid.find((r) => r[5] === '孙四')![2]).toBe('孙小兵')
  })

  it('marks a family paid twice, and says so when every family is paid', async () => {
    await payAll(t, town, 2025, CONSCRIPTS)
    await t.bot.services.allowances.addPayment(
      { personId: town.people['李一']!.id, year: 2025, amountFen: 550_000, date: '2025-08-01' },
      adminMeta(),
      { allowDuplicate: true },
    )

    const [reply] = await say(t, 'boss', '导出 优待金 2025')
    const file = (await download(t, linkIn(reply!))).body as Buffer
    const book = await bookOf(file)
    const sheets = await rowsOf(file)
    const li = sheets.get('优待金发放 2025')!.filter((r) => r[5] === '李一')

    expect(li.map((r) => r[11] ?? '')).toEqual(['', '重复发放（本年第 2 笔）'])
    expect(book.getWorksheet('未发放 2025')!.getRow(4).getCell(1).value).toMatch(/^全部已发放/)
  })

  it('names a family paid short under the unpaid, as 未发放 in chat does (a tester)', async () => {
    await payAll(
      t,
      town,
      2025,
      CONSCRIPTS.filter((name) => name !== '李三'),
    )
    await t.bot.services.allowances.addPayment(
      { personId: town.people['李三']!.id, year: 2025, amountFen: 30_000, date: '2025-08-01' },
      adminMeta(),
    )

    const [reply] = await say(t, 'boss', '导出 优待金 2025')
    const book = await bookOf((await download(t, linkIn(reply!))).body as Buffer)
    const sheet = book.getWorksheet('未发放 2025')!
    const notes: unknown[] = []
    sheet.eachRow((row) => notes.push(row.getCell(1).value))

    expect(notes).not.toContainEqual(expect.stringMatching(/^全部已发放/))
    expect(notes).toContain('另有未发足 1 户（已登记发放，尚欠差额）：')
    expect(notes).toContain('铁炉嘴村 李三 已发 300 元，尚欠 5,200 元')
  })

  it('marks a 补发 as 补发, not 重复发放, and counts the two apart (a 补发 is the payment’s field)', async () => {
    await payAll(t, town, 2025, ['李一', '李二'])
    const { allowances } = t.bot.services
    const pay = (name: string, amountFen: number, extra: object) =>
      allowances.addPayment(
        Object.assign(
          { personId: town.people[name]!.id, year: 2025, amountFen, date: '2025-08-01' },
          extra,
        ),
        adminMeta(),
        { allowDuplicate: true },
      )
    await pay('李一', 30_000, { topUp: true, notes: '两年合发' })
    await pay('李二', 550_000, {})
    // A 补发 with no earlier payment in the records: labelled, counted apart.
    await pay('李三', 30_000, { topUp: true })

    const [reply] = await say(t, 'boss', '导出 优待金 2025')
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const paid = sheets.get('优待金发放 2025')!
    const noteOf = (name: string) =>
      paid.filter((r) => r[5] === name).map((r) => (r[11] as string | undefined) ?? '')
    const notes = (rows: unknown[][]) =>
      rows.map((r) => String(r[0] ?? '')).filter((v) => /^(其中|另有|发放笔数)/.test(v))

    expect(noteOf('李一')).toEqual(['', '补发（本年第 2 笔）；两年合发'])
    expect(noteOf('李二')).toEqual(['', '重复发放（本年第 2 笔）'])
    expect(noteOf('李三')).toEqual(['补发'])
    expect(notes(paid)).toEqual([
      '其中补发 1 笔，重复发放 1 笔，见备注列，请核实。',
      '另有补发 1 笔是该户本年第 1 笔（本年此前的发放不在记录中），请核实。',
    ])
    expect(notes(sheets.get('合计')!)).toEqual(['发放笔数多于已发户数：补发 1 笔，重复发放 1 笔。'])
  })

  it('marks a plain payment within what the family was still owed 补发, as 统计 优待金 counts it', async () => {
    const { allowances } = t.bot.services
    const pay = (amountFen: number, date: string) =>
      allowances.addPayment(
        { personId: town.people['李一']!.id, year: 2025, amountFen, date },
        adminMeta(),
        { allowDuplicate: true },
      )
    // 300 元 of the 5,500 元 standard, then the rest without the 补发 word, then once more.
    await pay(30_000, '2025-07-20')
    await pay(520_000, '2025-08-01')
    await pay(550_000, '2025-08-02')

    const [reply] = await say(t, 'boss', '导出 优待金 2025')
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const li = sheets.get('优待金发放 2025')!.filter((r) => r[5] === '李一')

    expect(li.map((r) => r[11] ?? '')).toEqual([
      '',
      '补发（本年第 2 笔）',
      '重复发放（本年第 3 笔）',
    ])
    expect(await allowances.paymentsBeyondFirst(2025)).toEqual({ topUps: 1, repeats: 1 })
  })

  it.each(['导出 台账 2026', '导出 花名册', '导出 优待金 2026'])(
    '%s prints every sheet on A4 landscape, fitted to the width, titled, with the header row repeated and dates as dates',
    async (command) => {
      await visit(t, town, '张三')
      await payAll(t, town, 2026, ['李一'])
      await t.bot.services.people.updatePerson(
        town.people['李一']!.id,
        { enlistedAt: '2025-09-01' },
        adminMeta(),
      )
      await say(t, 'admin', '核对花名册')

      const [reply] = await say(t, 'boss', command)
      const book = await bookOf((await download(t, linkIn(reply!))).body as Buffer)

      let dates = 0
      for (const sheet of book.worksheets) {
        expect(sheet.pageSetup).toMatchObject({
          paperSize: 9,
          orientation: 'landscape',
          fitToPage: true,
          fitToWidth: 1,
          fitToHeight: 0,
        })
        expect(sheet.pageSetup.printTitlesRow).toBe('3:3')
        expect(sheet.getRow(1).getCell(1).value).toMatch(
          /^铁炉镇.*(台账|花名册|优待金|汇总表|变动情况|名单)/,
        )
        expect(sheet.getRow(2).getCell(1).value).toMatch(
          /^制表单位：铁炉镇\s+制表人：boss\s+制表日期：/,
        )
        expect(sheet.getRow(3).getCell(1).border?.top?.style).toBe('thin')
        expect(sheet.getRow(3).getCell(1).font?.bold).toBe(true)
        // Every filled cell under a 日期/时间 header is a real date, shown as one.
        sheet.getRow(3).eachCell((header, col) => {
          if (!/日期|时间/.test(String(header.value))) return
          for (let r = 4; r <= sheet.rowCount; r++) {
            const cell = sheet.getRow(r).getCell(col)
            if (cell.value === null || cell.value === undefined || cell.value === '') continue
            // Data rows carry their 序号; totals and notes (merged across the row) do not.
            if (typeof sheet.getRow(r).getCell(1).value !== 'number') continue
            expect(cell.value).toBeInstanceOf(Date)
            expect(cell.numFmt).toMatch(/^yyyy-mm-dd/)
            // Narrower than its format, a date prints as ### (seen on a LibreOffice render).
            expect(sheet.getColumn(col).width).toBeGreaterThan(cell.numFmt!.length)
            dates++
          }
        })
      }
      expect(dates).toBeGreaterThan(0)
    },
  )

  it('titles the ledger with the township and the year, and names the preparer', async () => {
    const [reply] = await say(t, 'boss', '导出 台账 2026')
    const book = await bookOf((await download(t, linkIn(reply!))).body as Buffer)

    const ledger = book.getWorksheet('走访台账 2026年')!
    // 年度: the campaign year (docs/exports.md), as 统计 and 年报 count.
    expect(ledger.getRow(1).getCell(1).value).toBe('铁炉镇2026年度双拥走访慰问台账（按活动年度）')
    expect(ledger.getRow(2).getCell(1).value).toMatch(
      /^制表单位：铁炉镇\s+制表人：boss\s+制表日期：2026年7月31日$/,
    )
  })

  it('exports the visit ledger with Excel dates, local times, and a summary equal to 统计', async () => {
    const { record } = await visit(t, town, '张三', { needs: '危房需修缮' })
    await visit(t, town, '李一', { cashFen: 30_050 })
    await visit(t, town, '王一', { cashFen: 20_000, date: '2026-07-27' })
    await say(t, 'boss', `办结 #${record.id} 已修缮`)

    const [reply] = await say(t, 'boss', '导出 台账 2026')
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const ledger = sheets.get('走访台账 2026年')!
    const summary = sheets.get('合计')!
    const tally = await t.bot.services.tallies.readCampaignTally(2026, '八一')

    expect(reply).toMatch(/^2026 年走访台账（全镇，各活动走访 3 次）下载链接/)
    expect(ledger[0]!.slice(9, 12)).toEqual(['发现需求', '后续跟进', '办结日期'])
    // 铁炉嘴村 before 童家坝村 (the township's order), then by date.
    expect(dataOf(ledger).map((r) => [r[0], r[1], r[4]])).toEqual([
      [1, '铁炉嘴村', '张三'],
      [2, '铁炉嘴村', '李一'],
      [3, '童家坝村', '王一'],
    ])
    expect(ledger[1]!.slice(1, 12)).toEqual([
      '铁炉嘴村',
      new Date(Date.UTC(2026, 6, 28)),
      '2026 八一',
      '张三',
      '残疾军人',
      '李书记',
      500,
      '米1袋',
      '危房需修缮',
      '已修缮',
      new Date(Date.UTC(2026, 6, 31)),
    ])
    expect(ledger[1]![13]).toBe('admin')
    // Written at 2026-07-01T02:00Z by the seed: 10:00 in Beijing.
    expect(ledger[1]![14]).toEqual(new Date(Date.UTC(2026, 6, 1, 10, 0)))
    expect([totalOf(ledger)[0], totalOf(ledger)[4], totalOf(ledger)[7]]).toEqual([
      '合计',
      '3 次',
      1000.5,
    ])
    for (const village of ['铁炉嘴村', '童家坝村', '新街社区']) {
      const f = tally.byVillage[village]!
      const row = summary.find((r) => r[0] === '2026 八一' && r[1] === village)!
      expect(row.slice(2, 7)).toEqual([
        f.entitled,
        f.households,
        f.entitled > 0 ? f.households / f.entitled : '—',
        f.visits,
        f.cashFen / 100,
      ])
    }
    const subtotal = summary.find((r) => r[0] === '2026 八一 小计')!
    expect(subtotal.slice(2, 8)).toEqual([
      tally.total.entitled,
      tally.total.households,
      tally.total.households / tally.total.entitled,
      tally.total.visits,
      tally.total.cashFen / 100,
      '米3袋',
    ])
    const total = summary.find((r) => r[0] === '2026年各活动合计')!
    expect(total.slice(5, 7)).toEqual([3, 1000.5])
    expect(summary.map((r) => r[0])).toContain(
      '2026 春节、2026 元旦、2026 日常、2026 困难帮扶：无走访记录。',
    )
  })

  it('lists the year’s activities with the unit and the name written in their own columns', async () => {
    const idOf = (reply: string | undefined) => Number(/#(\d+)/.exec(reply ?? '')![1])
    await say(t, 'boss', '活动 慰问部队 武警中队 7月28日 人数12 备注 送春联')
    await say(t, 'boss', '活动 双拥晚会 7月29日 观众300人 备注 很成功')
    const old = idOf((await say(t, 'boss', '活动 慰问部队 消防救援站 7月30日'))[0])
    await say(t, 'li', '活动 座谈会 7月30日 人数40')
    const gone = idOf((await say(t, 'boss', '活动 表彰会 7月30日'))[0])
    await say(t, 'boss', `撤销 #${gone}`)
    // As an activity was stored before the unit had a field: at the start of its notes.
    const stored = JSON.parse((await t.redis.hget(t.keys.records(), String(old)))!) as {
      u?: string
      nt?: string
    }
    delete stored.u
    stored.nt = '消防救援站；送锦旗'
    await t.redis.hset(t.keys.records(), String(old), JSON.stringify(stored))

    const [reply] = await say(t, 'boss', '导出 台账 2026')
    const rows = (await rowsOf((await download(t, linkIn(reply!))).body as Buffer)).get(
      '活动 2026年',
    )!

    expect(rows[0]).toEqual([
      '序号',
      '村（社区）',
      '日期',
      '活动类别',
      '活动名称',
      '慰问部队',
      '共建点类别',
      '人数',
      '备注',
      '登记人',
      '登记时间',
    ])
    // Empty cells read back as undefined.
    const _ = undefined
    expect(dataOf(rows).map((r) => r.slice(0, 9))).toEqual([
      [1, '铁炉嘴村', new Date(Date.UTC(2026, 6, 30)), '座谈会', _, _, _, 40, _],
      [2, '全镇', new Date(Date.UTC(2026, 6, 28)), '慰问部队', _, '武警中队', _, 12, '送春联'],
      [3, '全镇', new Date(Date.UTC(2026, 6, 29)), '晚会', '双拥晚会', _, _, 300, '很成功'],
      [4, '全镇', new Date(Date.UTC(2026, 6, 30)), '慰问部队', _, '消防救援站', _, _, '送锦旗'],
    ])
    expect([totalOf(rows)[0], totalOf(rows)[3], totalOf(rows)[7]]).toEqual(['合计', '4 次', 352])
  })

  it('orders rows by village in the township’s order, the order villages were registered', async () => {
    const { villages, people } = t.bot.services
    // 安乐村 comes first in pinyin but was registered last.
    await villages.addVillage('安乐村', adminMeta())
    const { record: an } = await people.addPerson(
      { name: '安一', village: '安乐村', category: '烈士遗属' },
      adminMeta(),
    )
    town.people['安一'] = an
    await visit(t, town, '安一')
    await visit(t, town, '王一')
    await visit(t, town, '张三')

    const sheets = await rowsOf(
      (await download(t, linkIn((await say(t, 'boss', '导出 台账 2026'))[0]!))).body as Buffer,
    )
    const roster = await rowsOf(
      (await download(t, linkIn((await say(t, 'boss', '导出 花名册'))[0]!))).body as Buffer,
    )

    expect(dataOf(sheets.get('走访台账 2026年')!).map((r) => r[1])).toEqual([
      '铁炉嘴村',
      '童家坝村',
      '安乐村',
    ])
    expect(
      sheets
        .get('合计')!
        .filter((r) => r[0] === '2026 八一')
        .map((r) => r[1]),
    ).toEqual(['铁炉嘴村', '童家坝村', '新街社区', '安乐村'])
    expect([
      ...new Set(
        roster
          .get('花名册')!
          .slice(1, -1)
          .map((r) => r[1]),
      ),
    ]).toEqual(['铁炉嘴村', '童家坝村', '新街社区', '安乐村'])
  })

  it('names 登记人 and 制表人 by the names given with 设置角色, not by their accounts', async () => {
    const [set] = await say(t, 'admin', '设置角色 sandbox:boss 领导 姓名 王镇长')
    await say(t, 'admin', '设置角色 sandbox:admin 管理员 姓名：赵丽')
    const [noName] = await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村 姓名')
    await visit(t, town, '张三')

    const [reply] = await say(t, 'boss', '导出 台账 2026')
    const book = await bookOf((await download(t, linkIn(reply!))).body as Buffer)
    const ledger = book.getWorksheet('走访台账 2026年')!

    expect(set).toBe('已设置 王镇长（sandbox:boss） 为领导。')
    expect(noName).toMatch(/^「姓名」后面没有写姓名，未设置。\n姓名请写 2–10 个汉字/)
    expect(ledger.getRow(2).getCell(1).value).toContain('制表人：王镇长')
    expect(ledger.getRow(4).getCell(14).value).toBe('赵丽')
  })

  it('names 走访人 and 登记人 of a cadre’s visits by the name on their binding, old visits too', async () => {
    // Logged before the cadre had a name: 走访人 stored as the account's id.
    const [before] = await say(t, 'li', '走访 张三 7月28日 八一 慰问金500元')
    await say(t, 'admin', '设置角色 sandbox:li 村干部 铁炉嘴村 李明')
    const [after] = await say(t, 'li', '走访 李一 7月28日 八一')

    const [reply] = await say(t, 'boss', '导出 台账 2026')
    const ledger = (await rowsOf((await download(t, linkIn(reply!))).body as Buffer)).get(
      '走访台账 2026年',
    )!

    expect(before).toMatch(/^已登记 #\d+/)
    expect(after).toMatch(/^已登记 #\d+/)
    const rows = ledger.filter((r) => r[4] === '张三' || r[4] === '李一')
    expect(rows.map((r) => [r[4], r[6], r[13]])).toEqual([
      ['张三', '李明', '李明'],
      ['李一', '李明', '李明'],
    ])
    expect(JSON.stringify(ledger)).not.toContain('sandbox:li')
  })

  it('lets a cadre export their own village, and refuses another', async () => {
    await visit(t, town, '张三')
    await visit(t, town, '王一')

    const [own] = await say(t, 'li', '导出 台账 2026')
    const [other] = await say(t, 'li', '导出 台账 2026 童家坝村')
    const ledger = (await rowsOf((await download(t, linkIn(own!))).body as Buffer)).get(
      '走访台账 2026年',
    )!

    expect(own).toMatch(/^2026 年走访台账（铁炉嘴村，各活动走访 1 次）/)
    expect(dataOf(ledger).map((r) => r[4])).toEqual(['张三'])
    expect(other).not.toContain('/exports/')
    expect(other).toContain('童家坝村')
  })

  it('a cadre’s summary sheets equal 统计 for their village, not the township', async () => {
    await visit(t, town, '张三')
    await visit(t, town, '李一', { cashFen: 30_000 })
    await visit(t, town, '王一')
    await payAll(t, town, 2026, ['李一', '王一'])

    const ledger = (
      await rowsOf(
        (await download(t, linkIn((await say(t, 'li', '导出 台账 2026'))[0]!))).body as Buffer,
      )
    ).get('合计')!
    const payments = (
      await rowsOf(
        (await download(t, linkIn((await say(t, 'li', '导出 优待金 2026'))[0]!))).body as Buffer,
      )
    ).get('合计')!
    const [tally] = await say(t, 'li', '统计 八一')
    const campaign = (await t.bot.services.tallies.readCampaignTally(2026, '八一', ['铁炉嘴村']))
      .total
    const allowance = (await t.bot.services.tallies.readAllowanceTally(2026, ['铁炉嘴村'])).total

    const subtotal = ledger.find((r) => r[0] === '2026 八一 小计')!
    expect(ledger.filter((r) => r[0] === '2026 八一').map((r) => r[1])).toEqual(['铁炉嘴村'])
    expect(subtotal.slice(2, 7)).toEqual([
      campaign.entitled,
      campaign.households,
      campaign.households / campaign.entitled,
      campaign.visits,
      campaign.cashFen / 100,
    ])
    expect(tally).toContain(`已访 ${campaign.households} 户`)
    expect(tally).toContain(`${(campaign.cashFen / 100).toLocaleString('en-US')} 元`)
    expect(payments.at(-1)!.slice(2, 6)).toEqual([
      allowance.due,
      allowance.families,
      allowance.payments,
      allowance.sumFen / 100,
    ])
    expect(allowance.families).toBe(1)
  })

  it('帮助 导出 tells a cadre they export their own villages', async () => {
    const [help] = await say(t, 'li', '帮助 导出')

    expect(help).toContain('村干部导出自己负责的村，领导、管理员导出全镇')
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

describe('导出 台账: periods that match the books (issue 13)', () => {
  let t: TestBot
  let town: Town

  beforeEach(async () => {
    t = await createTestBot(
      { ADMIN_USERS: 'sandbox:admin', PUBLIC_URL },
      { now: () => new Date('2027-02-10T02:00:00Z') },
    )
    town = await seedTown(t)
    await visit(t, town, '张三', { date: '2026-02-10', occasion: '春节', campaignYear: 2026 })
    await visit(t, town, '李一', { date: '2026-12-08', occasion: '春节', campaignYear: 2027 })
    await visit(t, town, '王一', { date: '2027-01-30', occasion: '春节', campaignYear: 2027 })
  })
  afterEach(async () => {
    await t.cleanup()
  })

  async function ledgerOf(
    text: string,
  ): Promise<{ reply: string; rows: unknown[][]; total: unknown[]; notes: string[] }> {
    const [reply] = await say(t, 'boss', text)
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const name = [...sheets.keys()].find((n) => n.startsWith('走访台账'))!
    const all = sheets.get(name)!
    const totalAt = all.findIndex((r) => r[0] === '合计')
    return {
      reply: reply!,
      rows: all.slice(1, totalAt),
      total: all[totalAt]!,
      notes: all.slice(totalAt + 1).map((r) => String(r[0])),
    }
  }

  it('a year holds its campaigns’ visits, a December 春节 visit in next year’s and named under this', async () => {
    const { rows, notes } = await ledgerOf('导出 台账 2026')
    const { rows: next } = await ledgerOf('导出 台账 2027')

    expect(rows.map((r) => [r[4], r[3]])).toEqual([['张三', '2026 春节']])
    expect(notes).toContain('另有 2026 年 12 月的 2027 春节走访 1 次、500 元，计入 2027 年度。')
    expect(next.map((r) => [r[4], r[3]])).toEqual([
      ['李一', '2027 春节'],
      ['王一', '2027 春节'],
    ])
  })

  it('a year holds every visit of its campaigns, whatever its occasion or date, and no other', async () => {
    const more: [string, string, Occasion, number][] = [
      ['李二', '2026-01-01', '元旦', 2026],
      ['孙一', '2026-07-28', '八一', 2026],
      ['孙二', '2026-10-08', '日常', 2026],
      ['王二', '2026-12-28', '元旦', 2027],
      ['王三', '2025-12-30', '元旦', 2026],
      ['孙三', '2027-01-02', '日常', 2027],
    ]
    for (const [name, date, occasion, campaignYear] of more) {
      await visit(t, town, name, { date, occasion, campaignYear })
    }
    const all: [string, number][] = [
      ['张三', 2026],
      ['李一', 2027],
      ['王一', 2027],
      ...more.map(([name, , , year]) => [name, year] as [string, number]),
    ]

    const { rows, total } = await ledgerOf('导出 台账 2026')
    const { rows: newYear } = await ledgerOf('导出 台账 2026 元旦')

    const of2026 = all.filter(([, year]) => year === 2026).map(([name]) => name)
    expect(rows.map((r) => r[4]).sort()).toEqual(of2026.sort())
    expect(total[4]).toBe(`${of2026.length} 次`)
    // By village (铁炉嘴村 before 童家坝村), then date.
    expect(newYear.map((r) => [r[4], r[3]])).toEqual([
      ['李二', '2026 元旦'],
      ['王三', '2026 元旦'],
    ])
  })

  it('a campaign ledger holds every visit of the campaign, across its two calendar years', async () => {
    const { reply, rows } = await ledgerOf('导出 台账 2027 春节')

    expect(reply).toMatch(/^2027 年春节走访台账（全镇，走访 2 次）下载链接/)
    expect(rows.map((r) => [r[4], r[2]])).toEqual([
      ['李一', new Date(Date.UTC(2026, 11, 8))],
      ['王一', new Date(Date.UTC(2027, 0, 30))],
    ])
  })

  it('refuses an occasion on a roster or payment export, saying how to write it', async () => {
    const [payments] = await say(t, 'boss', '导出 优待金 2026 春节')
    const [roster] = await say(t, 'boss', '导出 花名册 春节')

    expect(payments).toContain('优待金发放表按年份导出，不分活动。')
    expect(payments).toContain('导出 台账 2027 春节')
    expect(roster).toContain('花名册是当前名单，不分活动。')
  })

  it('reads an occasion without a year as its instance nearest today, as 统计 does', async () => {
    // Today is 2027-02-10: the nearest 春节 is 2027's (02-06).
    const { reply } = await ledgerOf('导出 台账 春节')

    expect(reply).toMatch(/^2027 年春节走访台账（全镇，走访 2 次）/)
  })

  it('answers a year out of range, an unknown village and a second occasion with how to write it', async () => {
    const replies = await Promise.all(
      ['导出 台账 1999', '导出 台账 2026 火星村', '导出 台账 春节 八一', '导出 报表'].map(
        async (text) => (await say(t, 'boss', text))[0]!,
      ),
    )

    expect(replies[0]).toBe('年份「1999」不对，请写如 2026。')
    expect(replies[1]).toMatch(/^没看懂「火星村」。可以这样导出：/)
    expect(replies[2]).toMatch(/^没看懂「八一」。可以这样导出：/)
    expect(replies[3]).toMatch(/^要导出什么？可以这样导出：「导出 台账 2026」/)
    for (const reply of replies) expect(reply).not.toContain('/exports/')
  })
})

describe('核对花名册 and the roster changes since (issue 13)', () => {
  let t: TestBot
  let town: Town
  let now: Date

  beforeEach(async () => {
    now = new Date('2026-10-20T02:00:00Z')
    t = await createTestBot({ ADMIN_USERS: 'sandbox:admin', PUBLIC_URL }, { now: () => now })
    town = await seedTown(t)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('lists who was added, who left and what changed after the last check, not before', async () => {
    const { people } = t.bot.services
    await people.addPerson(
      { name: '钱八', village: '童家坝村', category: '烈士遗属' },
      adminMeta(new Date('2026-10-01T02:00:00Z')),
    )
    const [closed] = await say(t, 'admin', '核对花名册')
    now = new Date('2026-11-05T02:00:00Z')
    await people.addPerson(
      { name: '周七', village: '铁炉嘴村', category: '残疾军人', disability: { grade: '三级' } },
      adminMeta(now),
    )
    await say(t, 'admin', `撤销 #${town.people['李二']!.id} 迁出 搬到县城`)
    await people.updatePerson(town.people['王一']!.id, { village: '新街社区' }, adminMeta(now))

    const [reply] = await say(t, 'boss', '导出 花名册')
    const file = (await download(t, linkIn(reply!))).body as Buffer
    const book = await bookOf(file)
    const changes = (await rowsOf(file)).get('变动情况')!

    expect(closed).toContain('花名册核对已记下（2026-10-20）')
    expect(closed).toContain('首次核对：新增 13 人，移出 0 人，变更 0 人次。')
    expect(book.getWorksheet('变动情况')!.getRow(1).getCell(1).value).toBe(
      '双拥优抚对象花名册变动情况（2026年10月20日核对以来）',
    )
    expect(changes[0]).toEqual([
      '序号',
      '变动',
      '时间',
      '村（社区）',
      '姓名',
      '义务兵姓名',
      '类别',
      '变动内容',
      '移出原因',
      '操作人',
    ])
    expect(changes.slice(1, -1).map((r) => [r[0], r[1], r[3], r[4], r[7], r[8]])).toEqual([
      [1, '新增', '铁炉嘴村', '周七', '新登记', undefined],
      [2, '移出', '铁炉嘴村', '李二', undefined, '迁出（搬到县城）'],
      [3, '变更', '新街社区', '王一', '村（社区）：童家坝村→新街社区', undefined],
    ])
    expect(changes.at(-1)![0]).toBe('新增 1 人，移出 1 人（迁出 1），变更 1 人次。')
  })

  it('shows a removal made before reasons were asked as 未注明, and the soldier of a family', async () => {
    const { people } = t.bot.services
    await say(t, 'admin', '核对花名册')
    now = new Date('2026-11-05T02:00:00Z')
    // A removal as the store took it before issue 13: no reason.
    await people.removePerson(town.people['李三']!.id, adminMeta(now))
    await say(t, 'admin', '添加对象 吴九 铁炉嘴村 义务兵家庭 农村 义务兵 吴小兵')

    const [reply] = await say(t, 'boss', '导出 花名册 铁炉嘴村')
    const sheets = await rowsOf((await download(t, linkIn(reply!))).body as Buffer)
    const changes = sheets.get('变动情况')!.slice(1, -1)
    const roster = sheets.get('花名册')!

    expect(changes.map((r) => [r[1], r[4], r[5], r[8]])).toEqual([
      ['移出', '李三', undefined, '未注明'],
      ['新增', '吴九', '吴小兵', undefined],
    ])
    expect(roster.find((r) => r[2] === '吴九')!.slice(1, 5)).toEqual([
      '铁炉嘴村',
      '吴九',
      '吴小兵',
      '义务兵家庭',
    ])
  })

  it('refuses 核对花名册 to a leader, and extra words with how to write it', async () => {
    const [leader] = await say(t, 'boss', '核对花名册')
    const [extra] = await say(t, 'admin', '核对花名册 2026')

    expect(leader).not.toContain('核对已记下')
    expect(extra).toBe('直接发送「核对花名册」即可，不用加别的字。')
  })
})
