import type { DaySpan } from '../bot/intents.js'
import type { Reply } from '../platforms/types.js'
import {
  HOUSEHOLD_TYPES,
  TOWNSHIP,
  type AllowancePayment,
  type Category,
  type Occasion,
  type Person,
  type Visit,
} from '../records/schemas.js'
import {
  addDays,
  instantAt,
  makeLocalDate,
  partsOf,
  weekdayOf,
  type LocalDate,
} from '../time/local-date.js'
import { AUTHOR_INDEX_LENGTH } from '../records/record-writer.js'
import { shortLine } from './record-lines.js'
import type { RecordServices } from './services.js'
import { MAX_TABLE_ROWS, scopeLabel, yuan } from './tally-format.js'

// Visits and payments logged in a run of days (`本周走访了谁`, `上周走访了几户`, `今天发了几户优待金`,
// docs/intents.md). By the day a record was logged, as 统计 今天 and 我的记录 count, read from
// the newest end of the campaign and payment lists (TallyReader.visitsLoggedSince,
// paymentsLoggedSince): the cost is the records logged since the run began, never a whole list.

/** The days of a run, both ends included, and how a reply names them. */
export interface DayRange {
  from: LocalDate
  to: LocalDate
  /** `本周（11-30 至 12-02）`. */
  label: string
}

/** At most this many records listed; the rest are counted. */
export const SPAN_LISTED = 20

/** `12-02`, or `2025-12-02` outside today's year. */
function shortDay(date: LocalDate, today: LocalDate): string {
  return partsOf(date).year === partsOf(today).year ? date.slice(5) : date
}

/**
 * The days `span` means on `today` in the bot's time zone: 本周 is Monday through today (weeks
 * run Monday to Sunday, as on Chinese calendars and in 我的记录 本周), 上周 the Monday through
 * Sunday before it; 本月 the 1st through today, 上月 the whole month before; 昨天, 前天 one day.
 */
export function spanRange(span: DaySpan, today: LocalDate): DayRange {
  const { year, month } = partsOf(today)
  const monday = addDays(today, -((weekdayOf(today) + 6) % 7))
  const firstOfMonth = makeLocalDate(year, month, 1)!
  const [from, to] = ((): [LocalDate, LocalDate] => {
    switch (span) {
      case '今天':
        return [today, today]
      case '昨天':
        return [addDays(today, -1), addDays(today, -1)]
      case '前天':
        return [addDays(today, -2), addDays(today, -2)]
      case '本周':
        return [monday, today]
      case '上周':
        return [addDays(monday, -7), addDays(monday, -1)]
      case '本月':
        return [firstOfMonth, today]
      case '上月':
        return [
          makeLocalDate(month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1, 1)!,
          addDays(firstOfMonth, -1),
        ]
    }
  })()
  const days =
    from === to ? shortDay(from, today) : `${shortDay(from, today)} 至 ${shortDay(to, today)}`
  return { from, to, label: `${span === '上月' ? '上个月' : span}（${days}）` }
}

/** The instants a range covers: from its first local midnight to the one after its last day. */
function instantsOf(range: DayRange, timezone: string): { since: Date; until: Date } {
  return {
    since: instantAt(range.from, 0, 0, timezone),
    until: instantAt(addDays(range.to, 1), 0, 0, timezone),
  }
}

/** The years whose campaigns or payments a record logged in `range` may count toward. */
function yearsAround(range: DayRange): number[] {
  const first = partsOf(range.from).year
  const last = partsOf(range.to).year
  return Array.from({ length: last - first + 3 }, (_, i) => first - 1 + i)
}

/** The people of `ids`, by id, for the names in a list. */
async function peopleOf(
  services: RecordServices,
  ids: readonly (number | undefined)[],
): Promise<Map<number, Person>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== undefined))]
  return new Map(
    (await services.records.getRecords(wanted))
      .filter((p): p is Person => p.kind === 'person')
      .map((p) => [p.id, p]),
  )
}

/** What narrows the visits of a run: an occasion, a category, and whether names are asked. */
export interface SpanFilter {
  occasion?: Occasion
  category?: Category
  /** 谁, 哪些: list the records, rather than count them by village. */
  list: boolean
  /** 哪个村最多: the villages by their visits, most first (else the township's order). */
  ranked?: boolean
}

/**
 * The visits logged in `span` in `villages` (a cadre's own, else every one), of the occasion
 * and category asked: how many, how many households and how much cash, then the records
 * (newest first, at most SPAN_LISTED) when names were asked, else a line per village.
 */
export async function visitsInSpanReply(
  services: RecordServices,
  span: DaySpan,
  filter: SpanFilter,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const range = spanRange(span, today)
  const { since, until } = instantsOf(range, services.timezone)
  const visits = (
    await services.tallies.visitsLoggedSince(since, yearsAround(range), villages)
  ).filter(
    (v) =>
      new Date(v.createdAt) < until &&
      (!filter.occasion || v.occasion === filter.occasion) &&
      (!filter.category || v.category === filter.category),
  )
  const what = `${filter.category ?? ''}${filter.occasion ?? ''}走访`
  const where = scopeLabel(villages)
  if (visits.length === 0) {
    return {
      text: `${range.label}${where}没有登记${what}（按登记日算）。`,
    }
  }
  const households = new Set(visits.flatMap((v) => (v.personId ? [v.personId] : []))).size
  const units = visits.filter((v) => v.personId === undefined).length
  const cash = visits.reduce((n, v) => n + v.cashFen, 0)
  const heading = [
    `${range.label}${where}登记${what}：`,
    `${visits.length} 次（${households} 户${units > 0 ? `，单位 ${units} 次` : ''}），慰问金 ${yuan(cash)}`,
  ]
  if (!filter.list) {
    // The township's order, then the township's own unit visits; compared, every village of the
    // scope (none visited too), most visits first.
    const order = [...(villages ?? (await services.villages.listVillages())), TOWNSHIP]
    const byVillage = new Map<string, Visit[]>(order.map((v) => [v, []]))
    for (const v of visits) byVillage.set(v.village, [...(byVillage.get(v.village) ?? []), v])
    const counted = [...byVillage].filter(([v, list]) =>
      filter.ranked ? v !== TOWNSHIP || list.length > 0 : list.length > 0,
    )
    if (filter.ranked) counted.sort(([, a], [, b]) => b.length - a.length)
    const rows =
      counted.length > 1 || filter.ranked
        ? counted.map(([village, list]) => {
            const name = village === TOWNSHIP ? `${TOWNSHIP}（单位）` : village
            return `${name} ${list.length} 次 ${yuan(list.reduce((n, v) => n + v.cashFen, 0))}`
          })
        : []
    const more =
      rows.length > MAX_TABLE_ROWS
        ? [`另有 ${rows.length - MAX_TABLE_ROWS} 个村（社区）未列出。`]
        : []
    return {
      text: [
        ...heading,
        ...(filter.ranked ? ['各村（从多到少）：'] : []),
        ...rows.slice(0, MAX_TABLE_ROWS),
        ...more,
        '回复「统计」看各村进度。',
      ].join('\n'),
    }
  }
  const shown = visits.slice(0, SPAN_LISTED)
  const people = await peopleOf(
    services,
    shown.map((v) => v.personId),
  )
  const lines = shown.map((v) => {
    const who = v.personId ? (people.get(v.personId)?.name ?? `#${v.personId}`) : v.unitName
    const place = v.village === TOWNSHIP ? '' : `${v.village} `
    const dated = v.date >= range.from && v.date <= range.to ? [] : [shortDay(v.date, today)]
    const money = v.cashFen > 0 ? ` ${yuan(v.cashFen)}` : ''
    return `#${v.id} ${place}${who} ${[v.occasion, ...dated].join(' ')}${money}`
  })
  return {
    text: [
      ...heading,
      ...lines,
      ...(visits.length > shown.length
        ? [`共 ${visits.length} 条，显示最近 ${shown.length} 条。`]
        : []),
      '回复「查看 #编号」看详情。',
    ].join('\n'),
  }
}

/**
 * The allowance payments logged in `span` in `villages`: families and the sum (元), rural and
 * urban apart, then the payments (newest first, at most SPAN_LISTED).
 */
export async function paymentsInSpanReply(
  services: RecordServices,
  span: DaySpan,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const range = spanRange(span, today)
  const { since, until } = instantsOf(range, services.timezone)
  const payments = (
    await services.tallies.paymentsLoggedSince(since, yearsAround(range), villages)
  ).filter((p) => new Date(p.createdAt) < until)
  const where = scopeLabel(villages)
  if (payments.length === 0) {
    return {
      text: `${range.label}${where}没有登记优待金发放。\n回复「统计 优待金」看全年发放。`,
    }
  }
  const families = (list: readonly AllowancePayment[]) => new Set(list.map((p) => p.personId)).size
  const sum = (list: readonly AllowancePayment[]) => list.reduce((n, p) => n + p.amountFen, 0)
  const repeats = payments.length - families(payments)
  const byType = HOUSEHOLD_TYPES.map(
    (t) => [t, payments.filter((p) => p.householdType === t)] as const,
  )
    .filter(([, list]) => list.length > 0)
    .map(([t, list]) => `${t} ${families(list)} 户 ${yuan(sum(list))}`)
  const shown = payments.slice(0, SPAN_LISTED)
  const people = await peopleOf(
    services,
    shown.map((p) => p.personId),
  )
  const thisYear = partsOf(today).year
  const lines = shown.map((p) => {
    const name = people.get(p.personId)?.name ?? `#${p.personId}`
    const year = p.year === thisYear ? '' : `（${p.year} 年）`
    return `#${p.id} ${p.village} ${name} ${yuan(p.amountFen)}${year}`
  })
  return {
    text: [
      `${range.label}${where}登记优待金发放：`,
      `${families(payments)} 户 ${yuan(sum(payments))}${repeats > 0 ? `（共 ${payments.length} 笔）` : ''}`,
      ...(byType.length > 1 ? [byType.join('，')] : []),
      ...lines,
      ...(payments.length > shown.length
        ? [`共 ${payments.length} 笔，显示最近 ${shown.length} 笔。`]
        : []),
      '回复「统计 优待金」看全年发放。',
    ].join('\n'),
  }
}

/**
 * `我上周登记了哪些`, `我这个月登记了几条`: what `author` logged in `span` (any kind, withdrawn
 * ones marked), newest first, from their own capped index (keys.recordsBy, the one 我的记录
 * reads), so the cost is theirs. When every record of the index is in the run, older ones may
 * have left it: the count is then a floor, said as such (as 我的记录 says it).
 */
export async function ownRecordsInSpanReply(
  services: RecordServices,
  author: string,
  span: DaySpan,
  today: LocalDate,
): Promise<Reply> {
  const range = spanRange(span, today)
  const { since, until } = instantsOf(range, services.timezone)
  const ids = await services.records.idsLoggedBy(author)
  const records = (await services.records.getRecords([...ids].reverse())).filter((r) => {
    const at = new Date(r.createdAt)
    return r.createdBy === author && at >= since && at < until
  })
  if (records.length === 0) return { text: `您${range.label}没有登记记录。` }
  const floor = ids.length >= AUTHOR_INDEX_LENGTH && records.length === ids.length
  const count = floor
    ? `至少 ${records.length} 条（只查最近 ${AUTHOR_INDEX_LENGTH} 条）`
    : ` ${records.length} 条`
  const shown = records.slice(0, SPAN_LISTED)
  const people = await peopleOf(
    services,
    shown.map((r) => (r.kind === 'visit' || r.kind === 'payment' ? r.personId : undefined)),
  )
  return {
    text: [
      `您${range.label}登记了${count}：`,
      ...shown.map((r) => shortLine(r, people)),
      ...(records.length > shown.length
        ? [`……另有 ${records.length - shown.length} 条较早的。`]
        : []),
      '回复「查看 #编号」看详情。',
    ].join('\n'),
  }
}
