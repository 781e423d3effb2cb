import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { AllowanceStore } from '../records/allowance-store.js'
import type { PeopleStore } from '../records/people-store.js'
import type { RecordStore } from '../records/record-store.js'
import { OCCASIONS, type AllowancePayment, type Person, type Visit } from '../records/schemas.js'
import type { TallyReader } from '../records/tally-reader.js'
import type { VillageStore } from '../records/village-store.js'
import type { VisitStore } from '../records/visit-store.js'
import type { ExportRequest } from './export-link.js'

export interface XlsxExporterDeps {
  people: PeopleStore
  visits: VisitStore
  allowances: AllowanceStore
  records: RecordStore
  villages: VillageStore
  tallies: TallyReader
}

type Cell = string | number | null
type Column = { header: string; width: number; money?: boolean }

/** Records resolved (names, PII) per batch while streaming: bounded memory, few round trips. */
const BATCH = 200
const MONEY_FORMAT = '#,##0.00'
const collator = new Intl.Collator('zh-Hans-CN')

// Money cells are numbers of 元 (fen / 100) so Excel's SUM re-checks the totals; from integer
// fen, fen / 100 always prints exactly at two decimals.
const yuan = (fen: number) => fen / 100

const LEDGER_COLUMNS: Column[] = [
  { header: '编号', width: 8 },
  { header: '走访类别', width: 10 },
  { header: '日期', width: 12 },
  { header: '村（社区）', width: 12 },
  { header: '走访对象', width: 16 },
  { header: '对象类别', width: 16 },
  { header: '走访人', width: 14 },
  { header: '慰问金（元）', width: 12, money: true },
  { header: '物品', width: 20 },
  { header: '发现需求', width: 24 },
  { header: '后续跟进', width: 20 },
  { header: '办结日期', width: 12 },
  { header: '备注', width: 20 },
  { header: '登记人', width: 18 },
  { header: '登记时间', width: 22 },
]

const ROSTER_COLUMNS: Column[] = [
  { header: '编号', width: 8 },
  { header: '姓名', width: 10 },
  { header: '村（社区）', width: 12 },
  { header: '类别', width: 16 },
  { header: '伤残等级', width: 10 },
  { header: '户口类型', width: 8 },
  { header: '入伍日期', width: 12 },
  { header: '入伍批次', width: 8 },
  { header: '电话', width: 14 },
  { header: '身份证号', width: 22 },
  { header: '备注', width: 24 },
]

const PAYMENT_COLUMNS: Column[] = [
  { header: '编号', width: 8 },
  { header: '发放日期', width: 12 },
  { header: '村（社区）', width: 12 },
  { header: '姓名', width: 10 },
  { header: '户口类型', width: 8 },
  { header: '标准（元）', width: 12, money: true },
  { header: '实发（元）', width: 12, money: true },
  { header: '电话', width: 14 },
  { header: '身份证号', width: 22 },
  { header: '备注', width: 20 },
  { header: '登记人', width: 18 },
]

const UNPAID_COLUMNS: Column[] = [
  { header: '编号', width: 8 },
  { header: '村（社区）', width: 12 },
  { header: '姓名', width: 10 },
  { header: '户口类型', width: 8 },
  { header: '电话', width: 14 },
  { header: '身份证号', width: 22 },
]

/**
 * Writes the xlsx of an export to a stream as it reads the records, page by page (the
 * campaign and year indexes, the roster village by village): nothing holds the whole file.
 * Phone and ID numbers are masked unless `request.reveal`.
 */
export class XlsxExporter {
  constructor(private readonly deps: XlsxExporterDeps) {}

  /** `台账-2026.xlsx`, `花名册-2026-11-28.xlsx`, `优待金-2026-铁炉嘴村.xlsx`. */
  filename(request: ExportRequest, today: string): string {
    const what = { ledger: '台账', roster: '花名册', payments: '优待金' }[request.kind]
    const when = request.kind === 'roster' ? today : String(request.year)
    const where = request.villages ? `-${request.villages.join('、')}` : ''
    return `${what}-${when}${where}.xlsx`
  }

  /**
   * Streams the workbook into `out` and resolves when it is complete. Throws on store errors,
   * and for a ledger or payment list without a year.
   */
  async write(request: ExportRequest, out: Writable): Promise<void> {
    if (request.kind !== 'roster' && request.year === undefined) {
      throw new Error(`a ${request.kind} export needs a year`)
    }
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    })
    book.creator = '双拥助手'
    if (request.kind === 'ledger') await this.writeLedger(book, request)
    else if (request.kind === 'roster') await this.writeRoster(book, request)
    else await this.writePayments(book, request)
    await book.commit()
  }

  private sheet(book: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column[]) {
    const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
    sheet.columns = columns.map((c, i) => ({
      header: c.header,
      key: String(i),
      width: c.width,
      ...(c.money && { style: { numFmt: MONEY_FORMAT } }),
    }))
    sheet.getRow(1).font = { bold: true }
    return {
      add: (cells: Cell[]) => sheet.addRow(cells).commit(),
      done: () => sheet.commit(),
    }
  }

  private inScope(request: ExportRequest): (village: string) => boolean {
    const wanted = request.villages && new Set(request.villages)
    return (village) => !wanted || wanted.has(village)
  }

  /** 台账: every active visit counted toward the year, by occasion in the order logged, then totals. */
  private async writeLedger(book: ExcelJS.stream.xlsx.WorkbookWriter, request: ExportRequest) {
    const year = request.year!
    const inScope = this.inScope(request)
    const sheet = this.sheet(book, `走访台账 ${year}`, LEDGER_COLUMNS)
    // occasion|village → figures recounted from the rows themselves, for the 合计 sheet.
    const totals = new Map<
      string,
      { visits: number; households: Set<number>; cashFen: number; needs: number }
    >()
    // Households are counted among the campaign's due set, as 年报 counts them (docs/figures.md).
    const due = new Map(
      await Promise.all(
        OCCASIONS.map(async (o) => [o, await this.deps.tallies.dueHouseholds(year, o)] as const),
      ),
    )
    let batch: Visit[] = []
    const flush = async () => {
      const ids = [...new Set(batch.flatMap((v) => (v.personId === undefined ? [] : [v.personId])))]
      const names = new Map(
        (await this.deps.records.getRecords(ids)).map((r) => [
          r.id,
          r.kind === 'person' ? r.name : `#${r.id}`,
        ]),
      )
      for (const v of batch) {
        sheet.add([
          v.id,
          v.occasion,
          v.date,
          v.village,
          v.personId === undefined
            ? (v.unitName ?? '')
            : (names.get(v.personId) ?? `#${v.personId}`),
          v.category ?? '单位',
          v.visitors.join('、'),
          yuan(v.cashFen),
          v.goods.map((g) => `${g.name}${g.quantity}${g.unit}`).join('、'),
          v.needs ?? '',
          v.followUp ?? '',
          v.resolvedAt ?? '',
          v.notes ?? '',
          v.createdBy,
          v.createdAt,
        ])
        const key = `${v.occasion}|${v.village}`
        const t = totals.get(key) ?? { visits: 0, households: new Set(), cashFen: 0, needs: 0 }
        t.visits++
        t.cashFen += v.cashFen
        if (v.personId !== undefined && due.get(v.occasion)!.has(`${v.village}|${v.personId}`)) {
          t.households.add(v.personId)
        }
        if (v.needs) t.needs++
        totals.set(key, t)
      }
      batch = []
    }
    for (const occasion of OCCASIONS) {
      for await (const visit of this.deps.visits.recordsOfCampaign(year, occasion)) {
        if (!inScope(visit.village)) continue
        batch.push(visit)
        if (batch.length >= BATCH) await flush()
      }
      await flush()
    }
    const all = [...totals.values()]
    sheet.add([
      '合计',
      null,
      null,
      null,
      null,
      null,
      `${all.reduce((n, t) => n + t.visits, 0)} 条`,
      yuan(all.reduce((n, t) => n + t.cashFen, 0)),
    ])
    sheet.done()

    const summary = this.sheet(book, '合计', [
      { header: '走访类别', width: 10 },
      { header: '村（社区）', width: 12 },
      { header: '走访户数', width: 10 },
      { header: '走访次数', width: 10 },
      { header: '慰问金（元）', width: 14, money: true },
      { header: '发现需求（件）', width: 14 },
    ])
    for (const occasion of OCCASIONS) {
      const rows = [...totals.entries()]
        .filter(([k]) => k.startsWith(`${occasion}|`))
        .sort(([a], [b]) => collator.compare(a, b))
      for (const [key, t] of rows) {
        summary.add([
          occasion,
          key.slice(occasion.length + 1),
          t.households.size,
          t.visits,
          yuan(t.cashFen),
          t.needs,
        ])
      }
    }
    summary.done()
  }

  private async contact(person: Person, reveal: boolean): Promise<[string, string]> {
    const clear = reveal ? await this.deps.people.revealPii(person.id) : undefined
    return [
      clear?.phone ?? person.phoneMasked ?? '',
      clear?.idNumber ?? person.idNumberMasked ?? '',
    ]
  }

  /** The villages to walk, in pinyin order. */
  private async villageList(request: ExportRequest): Promise<string[]> {
    const all = request.villages ?? (await this.deps.villages.listVillages())
    return [...all].sort(collator.compare)
  }

  /** 花名册: the active roster, village by village. */
  private async writeRoster(book: ExcelJS.stream.xlsx.WorkbookWriter, request: ExportRequest) {
    const sheet = this.sheet(book, '花名册', ROSTER_COLUMNS)
    let total = 0
    for (const village of await this.villageList(request)) {
      const people = await this.deps.people.listPeople({ villages: [village] })
      for (let i = 0; i < people.length; i += BATCH) {
        const page = people.slice(i, i + BATCH)
        const contacts = await Promise.all(page.map((p) => this.contact(p, request.reveal)))
        page.forEach((p, j) => {
          const [phone, idNumber] = contacts[j]!
          sheet.add([
            p.id,
            p.name,
            p.village,
            p.category,
            [p.disability?.grade, p.disability?.legacyLabel].filter(Boolean).join(' '),
            p.householdType ?? '',
            p.enlistedAt ?? '',
            p.cohort ?? '',
            phone,
            idNumber,
            p.notes ?? '',
          ])
        })
      }
      total += people.length
    }
    sheet.add(['合计', `${total} 人`])
    sheet.done()
  }

  /** 优待金: the year's active payments in the order logged, totals, then the families unpaid. */
  private async writePayments(book: ExcelJS.stream.xlsx.WorkbookWriter, request: ExportRequest) {
    const year = request.year!
    const inScope = this.inScope(request)
    const sheet = this.sheet(book, `优待金发放 ${year}`, PAYMENT_COLUMNS)
    let count = 0
    let sumFen = 0
    let batch: AllowancePayment[] = []
    const flush = async () => {
      const people = new Map(
        (await this.deps.records.getRecords([...new Set(batch.map((p) => p.personId))])).map(
          (r) => [r.id, r],
        ),
      )
      const contacts = await Promise.all(
        batch.map((p) => {
          const person = people.get(p.personId)
          return person?.kind === 'person'
            ? this.contact(person, request.reveal)
            : Promise.resolve(['', ''] as [string, string])
        }),
      )
      batch.forEach((p, j) => {
        const person = people.get(p.personId)
        const [phone, idNumber] = contacts[j]!
        sheet.add([
          p.id,
          p.date,
          p.village,
          person?.kind === 'person' ? person.name : `#${p.personId}`,
          p.householdType,
          yuan(p.standardFen),
          yuan(p.amountFen),
          phone,
          idNumber,
          p.notes ?? '',
          p.createdBy,
        ])
        count++
        sumFen += p.amountFen
      })
      batch = []
    }
    for await (const payment of this.deps.allowances.paymentsOfYear(year)) {
      if (!inScope(payment.village)) continue
      batch.push(payment)
      if (batch.length >= BATCH) await flush()
    }
    await flush()
    sheet.add(['合计', `${count} 笔`, null, null, null, null, yuan(sumFen)])
    sheet.done()

    const unpaid = this.sheet(book, `未发放 ${year}`, UNPAID_COLUMNS)
    const families = await this.deps.tallies.unpaidFamilies(year, request.villages)
    for (let i = 0; i < families.length; i += BATCH) {
      const page = families.slice(i, i + BATCH)
      const contacts = await Promise.all(page.map((p) => this.contact(p, request.reveal)))
      page.forEach((p, j) => {
        const [phone, idNumber] = contacts[j]!
        unpaid.add([p.id, p.village, p.name, p.householdType ?? '', phone, idNumber])
      })
    }
    unpaid.done()
  }
}
