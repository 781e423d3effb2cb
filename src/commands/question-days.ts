import { MAX_RECENT_DAYS, type DaySpan } from '../bot/intents.js'
import { UserFacingError } from '../errors.js'
import type { Reply } from '../platforms/types.js'
import {
  HOUSEHOLD_TYPES,
  TOWNSHIP,
  type AllowancePayment,
  type Category,
  type Occasion,
  type Visit,
} from '../records/schemas.js'
import { newestDone, type DoneInDays } from '../records/tally-reader.js'
import {
  addDays,
  daysBetween,
  instantAt,
  makeLocalDate,
  partsOf,
  weekdayName,
  weekdayOf,
  type LocalDate,
} from '../time/local-date.js'
import { AUTHOR_INDEX_LENGTH } from '../records/record-writer.js'
import { shortLine } from './record-lines.js'
import type { RecordServices } from './services.js'
import { peopleById } from './find-people.js'
import { MAX_TABLE_ROWS, scopeLabel, yuan } from './tally-format.js'

// Visits and payments of a run of days (`昨天走访了谁`, `上个月走访了几户`, `今天发了几户优待金`,
// `12月1日走访了谁`, docs/intents.md): by the day they were DONE (the record's own date), as a
// leader means it, read from the day sets (keys.visitsOnDate, paymentsOnDate) the write script
// keeps: one round trip for up to a month (TallyReader.visitsDoneBetween). `统计 今天` (and so
// `今天走访了谁`, which it answers) still lists what was logged today (tally-views.ts).

/** The days of a run, both ends included, and how a reply names them. */
export interface DayRange {
  from: LocalDate
  to: LocalDate
  /** `本周（11-30 至 12-02）`, `12月1日（周二）`. */
  label: string
}

/** At most this many records listed; the rest are counted. */
export const SPAN_LISTED = 20

/**
 * Before the day sets were first reconciled (keys.dayIndexReady), a run that began at most this
 * many days ago also reads the records logged since its first day (what this reply read before
 * the day sets existed) and keeps those done in the run; an older one says the sets may be
 * incomplete (docs/figures.md, "Days"). 62 days covers 上个月 on any day.
 */
export const LOGGED_FALLBACK_DAYS = 62

/** `12-02`, or `2025-12-02` outside today's year. */
function shortDay(date: LocalDate, today: LocalDate): string {
  return partsOf(date).year === partsOf(today).year ? date.slice(5) : date
}

/**
 * The day a written date names on `today`: its year's, or without one the latest not after
 * today (`12月25日` on 2026-12-02 is 2025-12-25). Throws UserFacingError for a day that does not
 * exist (`2月30日`).
 */
function writtenDayRange(span: string, today: LocalDate): DayRange {
  const [, yearText, monthText, dayText] = /^(?:(\d+)年)?(\d+)月(\d+)日$/.exec(span) ?? []
  const month = Number(monthText)
  const day = Number(dayText)
  const thisYear = partsOf(today).year
  let date = makeLocalDate(yearText ? Number(yearText) : thisYear, month, day)
  if (!yearText && date && date > today) date = makeLocalDate(thisYear - 1, month, day)
  // 2月29日 without a year in a year that has none: the last leap year's.
  for (let y = thisYear - 1; !yearText && !date && y >= thisYear - 4; y--) {
    date = makeLocalDate(y, month, day)
  }
  if (!date) {
    throw new UserFacingError(`没有${span}这一天。\n日期请写成如「12月1日走访了谁」。`)
  }
  const { year } = partsOf(date)
  const label = `${year === thisYear ? '' : `${year}年`}${month}月${day}日（${weekdayName(date)}）`
  return { from: date, to: date, label }
}

/**
 * The days `span` means on `today` in the bot's time zone: 本周 is Monday through today (weeks
 * run Monday to Sunday, as on Chinese calendars and in 我的记录 本周), 上周 the Monday through
 * Sunday before it; 本月 the 1st through today, 上月 the whole month before; 昨天, 前天 one day;
 * 近N天 (`最近一周`, `近7天`) today and the N − 1 days before it; a written date (`12月1日`) that
 * day.
 */
export function spanRange(span: DaySpan, today: LocalDate): DayRange {
  const { year, month } = partsOf(today)
  const recent = /^近(\d+)天$/.exec(span)
  if (recent && !(Number(recent[1]) >= 1 && Number(recent[1]) <= MAX_RECENT_DAYS)) {
    throw new UserFacingError(`最多能查最近 ${MAX_RECENT_DAYS} 天，\n如「近30天走访了几户」。`)
  }
  if (recent) {
    // `最近一周` is 近7天: today and the six days before it.
    const from = addDays(today, 1 - Number(recent[1]))
    const word = recent[1] === '7' ? '最近一周' : span
    const days =
      from === today
        ? shortDay(today, today)
        : `${shortDay(from, today)} 至 ${shortDay(today, today)}`
    return { from, to: today, label: `${word}（${days}）` }
  }
  const monday = addDays(today, -((weekdayOf(today) + 6) % 7))
  const firstOfMonth = makeLocalDate(year, month, 1)!
  const [from, to] = ((): [LocalDate, LocalDate] | undefined => {
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
      default:
        return undefined
    }
  })() ?? [undefined, undefined]
  if (!from || !to) return writtenDayRange(span, today)
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

/** What a run of days found, and whether records stored before the day sets may be missing. */
interface Done<T> {
  records: T[]
  /** The day sets were not reconciled yet and the run is too old to read by the day logged. */
  partial: boolean
}

/**
 * The day sets' records, completed before their first reconcile (LOGGED_FALLBACK_DAYS) with
 * `logged`: the records logged since the run's first day, of which those done in it are kept.
 */
async function completed<T extends Visit | AllowancePayment>(
  read: DoneInDays<T>,
  range: DayRange,
  today: LocalDate,
  logged: () => Promise<T[]>,
): Promise<Done<T>> {
  if (read.indexReady) return { records: read.records, partial: false }
  if (daysBetween(range.from, today) > LOGGED_FALLBACK_DAYS) {
    return { records: read.records, partial: true }
  }
  const byId = new Map<number, T>(read.records.map((r) => [r.id, r]))
  for (const r of await logged()) {
    if (r.date >= range.from && r.date <= range.to) byId.set(r.id, r)
  }
  return { records: [...byId.values()].sort(newestDone), partial: false }
}

/** The active visits done in `range` in `villages`, newest date first. */
async function visitsDone(
  services: RecordServices,
  range: DayRange,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Done<Visit>> {
  const read = await services.tallies.visitsDoneBetween(range.from, range.to, villages)
  return completed(read, range, today, () =>
    services.tallies.visitsLoggedSince(
      instantsOf(range, services.timezone).since,
      yearsAround(range),
      villages,
    ),
  )
}

/** The active payments made in `range` in `villages`, newest date first. */
async function paymentsDone(
  services: RecordServices,
  range: DayRange,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Done<AllowancePayment>> {
  const read = await services.tallies.paymentsDoneBetween(range.from, range.to, villages)
  return completed(read, range, today, () =>
    services.tallies.paymentsLoggedSince(
      instantsOf(range, services.timezone).since,
      yearsAround(range),
      villages,
    ),
  )
}

/** Said under a partial answer: records stored before the day sets may be left out. */
const PARTIAL_NOTE = '按日索引还在建立，较早登记的记录可能没算上（管理员对账后完整）。'

/** A partial answer that found nothing: never `没有`, which the day sets cannot tell yet. */
function notKnownYet(range: DayRange, where: string, what: string): Reply {
  return {
    text: `${range.label}${where}的${what}还查不到：按日索引还在建立，管理员对账（npm run reconcile -- --fix）后可查。`,
  }
}

/** A written date not yet come: nothing can have been done on it. */
function notYet(range: DayRange, today: LocalDate): Reply | undefined {
  return range.from > today ? { text: `${range.label}还没到。` } : undefined
}

/** The date of a record's line when the run is more than one day, else nothing. */
function dateOnLine(date: LocalDate, range: DayRange, today: LocalDate): string[] {
  return range.from === range.to && date === range.from ? [] : [shortDay(date, today)]
}

/** What narrows the visits of a run: an occasion, a category, and whether names are asked. */
export interface SpanFilter {
  occasion?: Occasion
  category?: Category
  /** 谁, 哪些: list the records, rather than count them by village. */
  list: boolean
  /** 哪个村最多: the villages by their visits, most first (else the township's order). */
  ranked?: boolean
  /** `李明本周走访了几户`: only the visits these accounts logged, said as `李明登记的`. */
  loggedBy?: { userKeys: readonly string[]; name: string }
}

/**
 * The visits done in `span` (their own date) in `villages` (a cadre's own, else every one), of
 * the occasion and category asked: how many households, visits and how much cash, then the
 * records (newest date first, at most SPAN_LISTED, each with its date in a run of several days)
 * when names were asked, else a line per village.
 */
export async function visitsInSpanReply(
  services: RecordServices,
  span: DaySpan,
  filter: SpanFilter,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const range = spanRange(span, today)
  const ahead = notYet(range, today)
  if (ahead) return ahead
  const done = await visitsDone(services, range, villages, today)
  const { loggedBy } = filter
  const visits = done.records.filter(
    (v) =>
      (!filter.occasion || v.occasion === filter.occasion) &&
      (!filter.category || v.category === filter.category) &&
      (!loggedBy || loggedBy.userKeys.includes(v.createdBy)),
  )
  const what = `${loggedBy ? `${loggedBy.name}登记的` : ''}${filter.category ?? ''}${filter.occasion ?? ''}走访`
  const where = scopeLabel(villages)
  const partial = done.partial ? [PARTIAL_NOTE] : []
  if (visits.length === 0 && done.partial) return notKnownYet(range, where, what)
  if (visits.length === 0) {
    return { text: `${range.label}${where}没有${what}（按走访日期）。` }
  }
  const households = new Set(visits.flatMap((v) => (v.personId ? [v.personId] : []))).size
  const units = visits.filter((v) => v.personId === undefined).length
  const cash = visits.reduce((n, v) => n + v.cashFen, 0)
  const counted = [
    ...(households > 0 ? [`${households} 户`] : []),
    ...(units > 0 ? [`单位 ${units} 次`] : []),
  ].join('、')
  const heading = [
    `${range.label}${where}${what} ${counted}：`,
    `共 ${visits.length} 次，慰问金 ${yuan(cash)}（按走访日期）`,
    ...partial,
  ]
  if (!filter.list) {
    // The township's order, then the township's own unit visits; compared, every village of the
    // scope (none visited too), most visits first.
    const order = [...(villages ?? (await services.villages.listVillages())), TOWNSHIP]
    const byVillage = new Map<string, Visit[]>(order.map((v) => [v, []]))
    for (const v of visits) byVillage.set(v.village, [...(byVillage.get(v.village) ?? []), v])
    const rowsOf = [...byVillage].filter(([v, list]) =>
      filter.ranked ? v !== TOWNSHIP || list.length > 0 : list.length > 0,
    )
    if (filter.ranked) rowsOf.sort(([, a], [, b]) => b.length - a.length)
    const rows =
      rowsOf.length > 1 || filter.ranked
        ? rowsOf.map(([village, list]) => {
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
  const people = await peopleById(
    services,
    shown.map((v) => v.personId),
  )
  const lines = shown.map((v) => {
    const who = v.personId ? (people.get(v.personId)?.name ?? `#${v.personId}`) : v.unitName
    const place = v.village === TOWNSHIP ? '' : `${v.village} `
    const money = v.cashFen > 0 ? ` ${yuan(v.cashFen)}` : ''
    return `#${v.id} ${place}${who} ${[v.occasion, ...dateOnLine(v.date, range, today)].join(' ')}${money}`
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
 * The allowance payments made in `span` (their own date) in `villages`: families and the sum
 * (元), rural and urban apart, then the payments (newest date first, at most SPAN_LISTED).
 */
export async function paymentsInSpanReply(
  services: RecordServices,
  span: DaySpan,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const range = spanRange(span, today)
  const ahead = notYet(range, today)
  if (ahead) return ahead
  const done = await paymentsDone(services, range, villages, today)
  const payments = done.records
  const where = scopeLabel(villages)
  const partial = done.partial ? [PARTIAL_NOTE] : []
  if (payments.length === 0 && done.partial) return notKnownYet(range, where, '优待金发放')
  if (payments.length === 0) {
    return {
      text: [
        `${range.label}${where}没有发放优待金（按发放日期）。`,
        '回复「统计 优待金」看全年发放。',
      ].join('\n'),
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
  const people = await peopleById(
    services,
    shown.map((p) => p.personId),
  )
  const thisYear = partsOf(today).year
  const lines = shown.map((p) => {
    const name = people.get(p.personId)?.name ?? `#${p.personId}`
    const year = p.year === thisYear ? '' : `（${p.year} 年）`
    const dated = dateOnLine(p.date, range, today).map((d) => ` ${d}`)
    return `#${p.id} ${p.village} ${name}${dated.join('')} ${yuan(p.amountFen)}${year}`
  })
  return {
    text: [
      `${range.label}${where}发放优待金 ${families(payments)} 户：`,
      `共 ${repeats > 0 ? `${payments.length} 笔 ` : ''}${yuan(sum(payments))}（按发放日期）`,
      ...partial,
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
  const people = await peopleById(
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
