import * as chrono from 'chrono-node'
import {
  addDays,
  daysBetween,
  isLocalDate,
  localDateOf,
  makeLocalDate,
  partsOf,
  weekdayOf,
  type LocalDate,
} from '../time/local-date.js'
import {
  lunarMonthLength,
  lunarNewYear,
  lunarNewYearsEve,
  lunarToSolar,
  lunarYearOf,
} from '../time/lunar.js'
import { wholeNumberOf } from './amount.js'

/**
 * Calendar dates typed by cadres (`7月25日`, `7.25`, `昨天`, `上周五`, `八一`, `春节`, `腊月二十八`,
 * `八一前一周`) as LocalDate strings in the bot's time zone, and the impossible ones (`11月31日`)
 * named as such. Input is expected to be folded already; nothing here throws. docs/dates.md
 * states the rules.
 */

/** 'past' for something done (a visit, a payment), 'future' for a reminder (contract.md). */
export type DateDirection = 'past' | 'future'

/**
 * How far ahead a date without a year, for something done ('past'), is still read as the one
 * coming rather than last year's: `7月26日` on 07-25 is tomorrow, not 12 months back, and
 * `9月1日` on 07-28 this year's. Two months (the longest two in a row have 62 days); beyond,
 * it is the most recent one, and a far reading is asked about (docs/dates.md, "The direction
 * rule"). A date read ahead is then refused by the command as not yet come.
 */
export const NEAR_AHEAD_DAYS = 62

/**
 * Internally also 'latest': the most recent not after today, with no look ahead (what 'past'
 * falls back to, and the reading a date read ahead would otherwise have had).
 */
type Toward = DateDirection | 'latest'

/** Whether `date` is after `today` by at most NEAR_AHEAD_DAYS. */
function nearAhead(today: LocalDate, date: LocalDate | undefined): date is LocalDate {
  return date !== undefined && date > today && daysBetween(today, date) <= NEAR_AHEAD_DAYS
}

export interface DateOptions {
  /** The instant "today" is taken from, in `timezone`. */
  now: Date
  /** IANA zone, e.g. `Asia/Shanghai` (BOT_TIMEZONE). */
  timezone: string
  /** Which way a date without a year (or a bare weekday, or an occasion) resolves. */
  direction: DateDirection
}

/**
 * How a date was written: `full` has a year (`2027年7月25日`, `明年3月1日`), `month-day` has
 * none, `relative` counts from today (`昨天`, `3天前`, `上周五`), `weekday` is a bare `周五`,
 * `occasion` is `八一`/`元旦`/`春节`, `lunar` a lunar day (`腊月二十八`, `正月初三`, `除夕`,
 * `大年初一`), `occasion-offset` days or weeks from an occasion (`八一前一周`, `春节前三天`),
 * `day` a day of the month with no month (`23号`, `廿三日`).
 */
export type DateKind =
  'full' | 'month-day' | 'relative' | 'weekday' | 'occasion' | 'lunar' | 'occasion-offset' | 'day'

/**
 * Where a date's year came from: `written` (`2027年`, `明年`), `today` (counted from today:
 * `昨天`, `上周五`, `周五`, never in question), or `direction`: picked by the past/future rule
 * because none was written (`7月25日`, `腊月二十八`, `八一前一周`), the case where a far reading
 * may deserve a question.
 */
export type YearSource = 'written' | 'today' | 'direction'

export interface DateMatch {
  date: LocalDate
  /** UTF-16 offsets into the searched text. */
  start: number
  end: number
  kind: DateKind
  /** The words read as the date, as they stand in the text (`八一前一周`). */
  text: string
  yearFrom: YearSource
  /**
   * Set when a date without a year, for something done, was read as one still ahead
   * (NEAR_AHEAD_DAYS): the most recent one not after today, which the writer may have meant
   * and must then write with its year.
   */
  previous?: LocalDate
}

/** A date that was clearly meant but does not exist: `11月31日`, `2027年2月29日`, `13月1日`. */
export interface ImpossibleDate {
  start: number
  end: number
  /** As written: `11月31日`. */
  text: string
  /** Why, in Chinese for the reply: `11月只有30天`. */
  reason: string
  /** A nearby real date written the same way, when there is one: `11月30日`. */
  suggestion?: string
  /**
   * The month was written but not the day (`2026年11月`, `11月份`, `7月下旬`): no day to
   * store, and taken for a name it would leave the record dated today without a word.
   */
  missingDay?: true
  /** A day named differently from place to place (小年): no date to pick for the writer. */
  ambiguous?: true
}

/** Outside this range a typed year is a slip (2207 for 2027), and the lunar tables end. */
const MIN_YEAR = 1900
const MAX_YEAR = 2100

/** Chinese numerals as written in dates: 二十五, 廿五, 卅一, 〇. */
const CN = '零〇一二两三四五六七八九十廿卅'
const CN_YEAR_DIGITS = '〇零一二三四五六七八九'
/** A written year: `2027年`, `27年`, `二〇二七年`, or one counted from this year (`明年`). */
const YEAR = `(\\d{4}|\\d{2}|[${CN_YEAR_DIGITS}]{4}|[今明去前后])\\s*年\\s*`
const RELATIVE_YEAR: Record<string, number> = { 前: -2, 去: -1, 今: 0, 明: 1, 后: 2 }

/**
 * How a day number ends: its 日 or 号, or no numeral after it. A 日 after a space that begins a
 * word (`十一月二十 日常`) is that word's, not the date's.
 */
const DAY_MARK = `(?:[日号]|\\s+[日号](?![\\u3400-\\u9fff])|(?![\\d${CN}]))`
const FULL_NUMERIC = /(?<![\w./-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d|[./-]\d)/g
const YEAR_MONTH_DAY = new RegExp(
  `(?<![\\d${CN}])(?:${YEAR})?` +
    `(\\d{1,2}|[${CN}]{1,3})\\s*月\\s*(\\d{1,2}|[${CN}]{1,3})${DAY_MARK}`,
  'g',
)
// `2026年11月`, `11月份`, `7月下旬`: a month with no day after it. A Han character before it
// (李三月, a name) or a numeral right after it makes it no such month; `11月 28日` is read
// whole above, and the longer reading wins.
const MONTH_ONLY = new RegExp(
  `(?<![\\d\\u3400-\\u9fff])(?:${YEAR})?(\\d{1,2}|[${CN}]{1,3})\\s*月(?:上旬|中旬|下旬|份|初|底|末|中)?(?![\\d${CN}])`,
  'g',
)
// `1.5万`, `3.5元`, `8600.50` and `9:30` are not dates; `7.25`, `7-25` and `7/25` are.
const MONTH_DAY_NUMERIC =
  /(?<![\w./\-:¥,])(\d{1,2})([./-])(\d{1,2})(?![\d%]|[./\-:,]\d|\s*(?:元|块|圆|万|千|百|亿|[kKwW]))/g
/**
 * A day with no month: `23号`, `1日`, `廿三号`. A numeral in characters starts a word (after
 * a space, a punctuation mark or the line's start): in `李三日常` 三日 is no date. Never a
 * house or a room (`5号楼`, `3号院`), `3日内`, or the `日` of `日常` after a space.
 */
const DAY_ONLY = new RegExp(
  `(?:(?<![\\w.:/\\-第])(\\d{1,2})|(?<![\\u3400-\\u9fff\\w])([${CN}]{1,3}))` +
    `(?:号|日(?![常前后内])|\\s+[号日](?![\\u3400-\\u9fff]))` +
    `(?![\\d楼栋院室房门单元组线床位层户车])`,
  'g',
)
/**
 * The festivals people date a visit by that are no campaign of ours: their lunar day (中秋 is
 * 八月十五), or for 国庆 October 1. 小年 is 腊月二十三 in the north and 二十四 in the south, so it
 * is refused with both rather than guessed. Only as a word of its own: 王国庆 is a name.
 */
const FESTIVAL =
  /(?<!\p{Script=Han})(元宵节?|端午节?|中秋节?|重阳节?|国庆节?|小年)(?:(之前|之后|以前|以后|前|后)\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*个?\s*(天|日|周|星期|礼拜))?(?!\s*[\d一二两三四五六七八九十])/gu
const FESTIVAL_DAYS: Record<string, LunarDay | 'national' | 'ambiguous'> = {
  元宵: { month: 1, day: 15, leap: false },
  端午: { month: 5, day: 5, leap: false },
  中秋: { month: 8, day: 15, leap: false },
  重阳: { month: 9, day: 9, leap: false },
  国庆: 'national',
  小年: 'ambiguous',
}

/** `本月22日`, `这个月5号`, `上个月28日`, `下月1号`: a day of a month counted from this one. */
const RELATIVE_MONTH_DAY = new RegExp(
  `(本|这个?|上个?|下个?)月\\s*(\\d{1,2}|[${CN}]{1,3})${DAY_MARK}`,
  'g',
)
// `每周一` is a weekly reminder, not a date.
const WEEKDAY = /(?<!每个?)(上|下|这|本)?个?(?:周|星期|礼拜)([一二三四五六日天])/g
/**
 * A lunar day: `腊月二十八`, `正月初三`, `冬月十五`, `农历七月十五`, `闰六月初一`. Only the lunar
 * month names (正/冬/腊), a 初 day, 闰 or 农历 make it lunar: `七月二十五` is July 25.
 */
const LUNAR = new RegExp(
  `(?<![\\d${CN}])(?:${YEAR})?(?:(农历|阴历)\\s*)?(闰)?(正|冬|腊|\\d{1,2}|[${CN}]{1,3})月\\s*` +
    `(初[${CN}]{1,2}|\\d{1,2}|[${CN}]{1,3})${DAY_MARK}`,
  'g',
)
const OCCASION_NAMES = '八一建军节|建军节|八一|元旦节?|春节|大年初一|除夕|大年三十'
/** An occasion, with a year before it and days or weeks after it when written: `八一前一周`. */
const OCCASION = new RegExp(
  `(?<![零〇一二两三四五六七八九十百千万])(?:${YEAR})?(${OCCASION_NAMES})` +
    `(?:(之前|之后|以前|以后|前|后)\\s*(\\d{1,3}|[一二两三四五六七八九十]{1,3})\\s*个?\\s*(天|日|周|星期|礼拜))?` +
    `(?![零〇一二两三四五六七八九十百千万])`,
  'g',
)

/** chrono's relative-day words: `今天` `明日` `后天` `大前天`, and `今`/`明` of `今晚` `明早`. */
const RELATIVE_DAY_TEXT = /^(?:大前|大后|今|昨|明|前|后)(?:天|日)?/
/** chrono's counted days: `3天前`, `两天后`, `一个月后`; not `3天内`, `半天后` or `几天前`. */
const COUNTED_DAYS_TEXT =
  /^(?:\d+|[零〇一二两三四五六七八九十]+)\s*个?(?:天|日|星期|礼拜|月|年)(?:之|过)?[前后]$/

/**
 * chrono-node's zh parsers, restricted to the ones that are right for us. Measured on 2.10.3:
 * its zh weekday parsers use Sunday-first weeks (上周日 on a Saturday gives the Sunday 13 days
 * back), its date parser reads `人数40 7月30日` as the year 40 and `26年` as the year 26, its
 * time parser reads 中午1点 as 01:00 and misses 下午15点, and every zh parser reads the
 * reference in the machine's zone, not the one we pass. So chrono handles relative-day words
 * only, from a reference built as the machine-local noon of the bot zone's today (noon also
 * avoids chrono's "明天 before 2am means today" rule and every DST gap).
 */
const relativeDays = createRelativeDayChrono()

function createRelativeDayChrono(): chrono.Chrono {
  const configuration = chrono.zh.hans.createCasualConfiguration()
  const trusted = new Set([
    'ZHHansCasualDateParser',
    'ZHHansDeadlineFormatParser',
    'ZHHansAgoFormatParser',
  ])
  configuration.parsers = configuration.parsers.filter((p) => trusted.has(p.constructor.name))
  return new chrono.Chrono(configuration)
}

/**
 * Today in `timezone` at `now`; undefined for an invalid instant or zone (so callers never throw).
 */
export function todayIn(now: Date, timezone: string): LocalDate | undefined {
  try {
    return localDateOf(now, timezone)
  } catch {
    return undefined
  }
}

/** What one stretch of text was read as: a date, or a date that does not exist. */
type Reading =
  | { start: number; end: number; date: DateMatch; impossible?: undefined }
  | { start: number; end: number; date?: undefined; impossible: ImpossibleDate }

/** The dates and the impossible dates of a text, each in text order, never overlapping. */
export interface DateWords {
  dates: DateMatch[]
  impossible: ImpossibleDate[]
}

/**
 * Every date in `text` (up to 2000 characters; a chat command is far shorter), in text order,
 * without overlaps. Spans cover date words only: in `今晚8点` the span is `今`.
 */
export function scanDates(text: string, options: DateOptions): DateMatch[] {
  return scanDateWords(text, options).dates
}

// Module functions rather than closures made per call: tsx names every function it creates
// (esbuild's keepNames), a cost on a path every record line takes.
function addReading(
  found: Reading[],
  date: LocalDate | undefined,
  m: { index: number; 0: string },
  kind: DateKind,
  yearFrom: YearSource,
  previous?: LocalDate,
): void {
  if (date === undefined || !inRange(date)) return
  const end = m.index + m[0].length
  const match: DateMatch = { date, start: m.index, end, kind, text: m[0], yearFrom }
  if (previous !== undefined && inRange(previous)) match.previous = previous
  found.push({ start: m.index, end, date: match })
}

/** For a date read ahead by the 'past' rule, the reading it had without the look ahead. */
function previousOf(
  today: LocalDate,
  direction: DateDirection,
  date: LocalDate | undefined,
  latest: () => LocalDate | undefined,
): LocalDate | undefined {
  return direction === 'past' && date !== undefined && date > today ? latest() : undefined
}

function addRefusal(
  found: Reading[],
  m: { index: number; 0: string },
  why: { reason: string; suggestion?: string; missingDay?: true; ambiguous?: true },
): void {
  const end = m.index + m[0].length
  found.push({ start: m.index, end, impossible: { start: m.index, end, text: m[0], ...why } })
}

/**
 * The first match of the module pattern `pattern` in `text`, the scan restarted; the loops
 * go on with `pattern.exec`. Why not matchAll: it copies the pattern on every call (0.35 µs
 * each, six a line). None of these patterns matches the empty string, so exec always moves on.
 */
function first(pattern: RegExp, text: string): RegExpExecArray | null {
  pattern.lastIndex = 0
  return pattern.exec(text)
}

/**
 * scanDates, plus the dates that were clearly meant but do not exist (`11月31日`), so a caller
 * can name them instead of taking their words for a name. Where two readings overlap the one
 * starting first (then the longer) wins: `八一前一周` is one date, not 八一 and 前一周.
 */
export function scanDateWords(text: string, options: DateOptions): DateWords {
  if (typeof text !== 'string' || text.length > 2000) return { dates: [], impossible: [] }
  const today = todayIn(options.now, options.timezone)
  if (today === undefined) return { dates: [], impossible: [] }
  const found: Reading[] = []
  // Each pattern below needs a character the line may not have: most lines have no 月, no
  // 周, and no 7-28, and a look-behind pattern costs a scan of the line even when it fails.
  const hasMonth = text.includes('月')
  const hasSeparatedDigits = /\d[./-]\d/.test(text)
  for (
    let m = hasSeparatedDigits ? first(FULL_NUMERIC, text) : null;
    m;
    m = FULL_NUMERIC.exec(text)
  ) {
    const [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])]
    const date = makeLocalDate(year, month, day)
    if (date !== undefined) addReading(found, date, m, 'full', 'written')
    else if (year >= MIN_YEAR && year <= MAX_YEAR)
      addRefusal(found, m, whyNoSuchDay(month, day, year))
  }
  for (let m = hasMonth ? first(YEAR_MONTH_DAY, text) : null; m; m = YEAR_MONTH_DAY.exec(text)) {
    const month = dateNumber(m[2]!)
    const day = dateNumber(m[3]!)
    if (month === undefined || day === undefined) continue
    const year = m[1] === undefined ? undefined : yearNumber(m[1], today)
    if (m[1] !== undefined && year === undefined) continue
    if (year === undefined) {
      const date = resolveMonthDay(today, month, day, options.direction)
      const previous = previousOf(today, options.direction, date, () =>
        resolveMonthDay(today, month, day, 'latest'),
      )
      if (date !== undefined) addReading(found, date, m, 'month-day', 'direction', previous)
      else addRefusal(found, m, whyNoSuchDayAhead(today, month, day, options.direction))
      continue
    }
    const date = makeLocalDate(year, month, day)
    if (date !== undefined) addReading(found, date, m, 'full', 'written')
    else addRefusal(found, m, whyNoSuchDay(month, day, year))
  }
  for (let m = hasMonth ? first(MONTH_ONLY, text) : null; m; m = MONTH_ONLY.exec(text)) {
    const month = dateNumber(m[2]!)
    if (month === undefined || month < 1 || month > 12) continue
    const written = m[1] === undefined ? '' : m[0].slice(0, m[0].indexOf('年') + 1)
    addRefusal(found, m, {
      reason: '没写哪一天',
      suggestion: `${written}${month}月20日`,
      missingDay: true,
    })
  }
  for (
    let m = hasSeparatedDigits ? first(MONTH_DAY_NUMERIC, text) : null;
    m;
    m = MONTH_DAY_NUMERIC.exec(text)
  ) {
    const [month, day] = [Number(m[1]), Number(m[3])]
    const date = resolveMonthDay(today, month, day, options.direction)
    const previous = previousOf(today, options.direction, date, () =>
      resolveMonthDay(today, month, day, 'latest'),
    )
    addReading(found, date, m, 'month-day', 'direction', previous)
  }
  for (let m = /周|星期|礼拜/.test(text) ? first(WEEKDAY, text) : null; m; m = WEEKDAY.exec(text)) {
    const date = resolveWeekday(today, m[1], m[2]!, options.direction)
    addReading(found, date, m, m[1] === undefined ? 'weekday' : 'relative', 'today')
  }
  for (let m = hasMonth ? first(LUNAR, text) : null; m; m = LUNAR.exec(text)) {
    const [, yearWord, calendar, leap, monthWord, dayWord] = m
    const month = lunarMonthNumber(monthWord!)
    const day = lunarDayNumber(dayWord!)
    if (month === undefined || day === undefined) continue
    if (!(calendar || leap || /^[正冬腊]$/.test(monthWord!) || dayWord!.startsWith('初'))) continue
    const year = yearWord === undefined ? undefined : yearNumber(yearWord, today)
    if (yearWord !== undefined && year === undefined) continue
    const wanted = { month, day, leap: leap !== undefined, year }
    const read = resolveLunar(today, wanted, options.direction)
    if ('date' in read) {
      const previous = previousOf(today, options.direction, read.date, () => {
        const latest = resolveLunar(today, wanted, 'latest')
        return 'date' in latest ? latest.date : undefined
      })
      addReading(
        found,
        read.date,
        m,
        'lunar',
        year === undefined ? 'direction' : 'written',
        previous,
      )
    } else addRefusal(found, m, read)
  }
  for (let m = first(FESTIVAL, text); m; m = FESTIVAL.exec(text)) {
    const festival = FESTIVAL_DAYS[m[1]!.replace(/节$/, '')]!
    // `端午前一天`, as `八一前一周`: the festival's day moved (a tester's lost its 前一天).
    const [, , relation, count, unit] = m
    const offset = relation === undefined ? 0 : offsetDays(relation, count!, unit!)
    if (offset === undefined) continue
    const shift = <D extends LocalDate | undefined>(date: D): D =>
      (date === undefined ? date : addDays(date, offset)) as D
    if (festival === 'ambiguous') {
      addRefusal(found, m, {
        reason: '各地不同（腊月二十三或二十四）',
        suggestion: '腊月二十三',
        ambiguous: true,
      })
    } else if (festival === 'national') {
      const date = shift(resolveMonthDay(today, 10, 1, options.direction))
      const previous = previousOf(today, options.direction, date, () =>
        shift(resolveMonthDay(today, 10, 1, 'latest')),
      )
      // A month-day, not an occasion: a record line reads occasions apart, never as its date.
      addReading(found, date, m, 'month-day', 'direction', previous)
    } else {
      const read = resolveLunar(today, festival, options.direction)
      if ('date' in read) {
        const date = shift(read.date)
        const previous = previousOf(today, options.direction, date, () => {
          const latest = resolveLunar(today, festival, 'latest')
          return 'date' in latest ? shift(latest.date) : undefined
        })
        addReading(found, date, m, 'lunar', 'direction', previous)
      }
    }
  }
  for (let m = first(OCCASION, text); m; m = OCCASION.exec(text)) {
    const [, yearWord, name, relation, count, unit] = m
    const year = yearWord === undefined ? undefined : yearNumber(yearWord, today)
    if (yearWord !== undefined && year === undefined) continue
    const offset = relation === undefined ? 0 : offsetDays(relation, count!, unit!)
    if (offset === undefined) continue
    const dayOf = occasionDays(name!, offset)
    const date = year === undefined ? resolveYearly(today, options.direction, dayOf) : dayOf(year)
    const kind =
      relation !== undefined ? 'occasion-offset' : /除夕|大年/.test(name!) ? 'lunar' : 'occasion'
    const previous =
      year === undefined
        ? previousOf(today, options.direction, date, () => resolveYearly(today, 'latest', dayOf))
        : undefined
    addReading(found, date, m, kind, year === undefined ? 'direction' : 'written', previous)
  }
  for (
    let m = hasMonth ? first(RELATIVE_MONTH_DAY, text) : null;
    m;
    m = RELATIVE_MONTH_DAY.exec(text)
  ) {
    const day = dateNumber(m[2]!)
    if (day === undefined) continue
    const step = m[1]!.startsWith('上') ? -1 : m[1]!.startsWith('下') ? 1 : 0
    const { year, month } = monthFrom(today, step)
    const date = makeLocalDate(year, month, day)
    if (date !== undefined) addReading(found, date, m, 'relative', 'today')
    else addRefusal(found, m, whyNoSuchDay(month, day, year))
  }
  for (let m = /[号日]/.test(text) ? first(DAY_ONLY, text) : null; m; m = DAY_ONLY.exec(text)) {
    const day = dateNumber(m[1] ?? m[2]!)
    if (day === undefined) continue
    const read = resolveDayOfMonth(today, day, options.direction)
    if (typeof read === 'string') addReading(found, read, m, 'day', 'today')
    else addRefusal(found, m, read)
  }
  for (const r of relativeDayResults(text, today))
    found.push({ start: r.start, end: r.end, date: r })

  found.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: DateWords = { dates: [], impossible: [] }
  let lastEnd = -1
  for (const r of found) {
    if (r.start < lastEnd) continue
    lastEnd = r.end
    if (r.date) kept.dates.push(r.date)
    else kept.impossible.push(r.impossible)
  }
  return kept
}

// Every phrase kept from chrono below has one of these (a relative day word, or a count of days
// before or after); most lines have none, and chrono is slow. Exact rather than any of 今昨明前后,
// which names like 赵明华 contain.
const RELATIVE_HINT = /[今昨明前后][天日早晚]|[天日月年期拜][之过]?[前后]/

function relativeDayResults(text: string, today: LocalDate): DateMatch[] {
  if (!RELATIVE_HINT.test(text)) return []
  return plainDayWords(text, today) ?? chronoRelativeDays(text, today)
}

// The day words cadres write most (`今天`, `昨日`, `大前天`), which chrono reads as today's
// offset whatever follows them (`今天下午` is today). Read here, they cost a regex; through
// chrono, 10 µs a line.
const DAY_WORD = /(大前|大后|今|昨|明|前|后)[天日]/g
const DAY_WORD_OFFSET: Record<string, number> = {
  大前: -3,
  前: -2,
  昨: -1,
  今: 0,
  明: 1,
  后: 2,
  大后: 3,
}
const DAY_CHARACTER = /[今昨明前后]/g

/**
 * The relative days of `text` when its only relative words are plain day words, as chrono
 * reads them (checked against chrono by a property test); undefined when anything else could
 * be relative (`今晚`, `3天前`, `八一前`, a 前 or 后 outside a day word), which chrono reads.
 */
export function plainDayWords(text: string, today: LocalDate): DateMatch[] | undefined {
  const words: DateMatch[] = []
  for (let m = first(DAY_WORD, text); m; m = DAY_WORD.exec(text)) {
    const date = addDays(today, DAY_WORD_OFFSET[m[1]!]!)
    const end = m.index + m[0].length
    words.push({ date, start: m.index, end, kind: 'relative', text: m[0], yearFrom: 'today' })
  }
  if (words.length === 0) return undefined
  for (const pattern of [DAY_CHARACTER, RELATIVE_HINT_ALL]) {
    for (let m = first(pattern, text); m; m = pattern.exec(text)) {
      if (!withinWords(words, m.index, m.index + m[0].length)) return undefined
    }
  }
  return words.filter((w) => inRange(w.date))
}

function withinWords(words: readonly DateMatch[], from: number, to: number): boolean {
  for (const w of words) if (w.start <= from && to <= w.end) return true
  return false
}
const RELATIVE_HINT_ALL = new RegExp(RELATIVE_HINT.source, 'g')

/** The relative days chrono finds in `text`, cut to the day words (`今天下午` → `今天`). */
export function chronoRelativeDays(text: string, today: LocalDate): DateMatch[] {
  const { year, month, day } = partsOf(today)
  const reference = new Date(year, month - 1, day, 12, 0, 0)
  let results: chrono.ParsedResult[]
  try {
    results = relativeDays.parse(text, reference)
  } catch {
    // A library surprise on odd input means "no relative date here", never a crash.
    return []
  }
  const out: DateMatch[] = []
  for (const r of results) {
    const date = makeLocalDate(
      r.start.get('year') ?? NaN,
      r.start.get('month') ?? NaN,
      r.start.get('day') ?? NaN,
    )
    if (date === undefined || !inRange(date)) continue
    const words = COUNTED_DAYS_TEXT.test(r.text) ? r.text : RELATIVE_DAY_TEXT.exec(r.text)?.[0]
    if (words === undefined) continue
    const end = r.index + words.length
    out.push({ date, start: r.index, end, kind: 'relative', text: words, yearFrom: 'today' })
  }
  return out
}

function inRange(date: LocalDate): boolean {
  const { year } = partsOf(date)
  return year >= MIN_YEAR && year <= MAX_YEAR
}

function dateNumber(written: string): number | undefined {
  return wholeNumberOf(written.replace(/^廿/, '二十').replace(/^卅/, '三十').replace(/〇/g, '零'))
}

function yearNumber(written: string, today: LocalDate): number | undefined {
  const { year: thisYear } = partsOf(today)
  const counted = RELATIVE_YEAR[written]
  if (counted !== undefined) return thisYear + counted
  if (/^\d{4}$/.test(written)) return Number(written)
  if (/^\d{2}$/.test(written)) return 2000 + Number(written)
  if (!new RegExp(`^[${CN_YEAR_DIGITS}]{4}$`).test(written)) return undefined
  const digits = [...written].map((c) => CN_YEAR_DIGITS.indexOf(c)).map((i) => (i <= 1 ? 0 : i - 1))
  return Number(digits.join(''))
}

/** Days in each month, February in a leap year: what a year-less 月日 may ask for. */
const MOST_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Why `month`/`day` (of `year`, when written) is no date, and the nearest one that is. */
function whyNoSuchDay(
  month: number,
  day: number,
  year?: number,
): { reason: string; suggestion?: string } {
  if (month < 1 || month > 12) return { reason: '一年只有12个月' }
  if (day < 1) return { reason: '日子从1日数起', suggestion: `${month}月1日` }
  const most = year === undefined ? MOST_DAYS[month - 1]! : daysInMonth(year, month)
  const when = year === undefined ? `${month}月` : `${year}年${month}月`
  const reason = year === undefined && month === 2 ? '2月最多29天' : `${when}只有${most}天`
  return { reason, suggestion: `${year === undefined ? '' : `${year}年`}${month}月${most}日` }
}

/**
 * whyNoSuchDay for a month-day without its year: February's days are those of the February the
 * date would fall in, so `2月30日` in 2027 suggests 2月28日, not a 2月29日 it would then refuse
 * (a tester's reminder). Other months have the same days every year.
 */
function whyNoSuchDayAhead(
  today: LocalDate,
  month: number,
  day: number,
  direction: DateDirection,
): { reason: string; suggestion?: string } {
  if (month !== 2 || day < 1) return whyNoSuchDay(month, day)
  const first = resolveMonthDay(today, 2, 1, direction)
  const most = first === undefined ? 29 : daysInMonth(partsOf(first).year, 2)
  return { reason: `2月只有${most}天`, suggestion: `2月${most}日` }
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last of this one: calendar arithmetic, not a clock read.
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * The next `month`/`day` not before `today` ('future'); for 'past', that one when it is at most
 * NEAR_AHEAD_DAYS ahead, else the most recent not after `today` ('latest'). Searches 8 years
 * each way so that 2月29日 finds its leap year; undefined when it never exists.
 */
export function resolveMonthDay(
  today: LocalDate,
  month: number,
  day: number,
  direction: Toward,
): LocalDate | undefined {
  if (direction === 'past') {
    const next = resolveMonthDay(today, month, day, 'future')
    return nearAhead(today, next) ? next : resolveMonthDay(today, month, day, 'latest')
  }
  const { year } = partsOf(today)
  for (let i = 0; i <= 8; i++) {
    const y = direction === 'latest' ? year - i : year + i
    const date = makeLocalDate(y, month, day)
    if (date === undefined) continue
    if (direction === 'latest' ? date <= today : date >= today) return date
  }
  return undefined
}

/** The month `step` months from `today`'s (−1 the last, 1 the next). */
function monthFrom(today: LocalDate, step: number): { year: number; month: number } {
  const now = partsOf(today)
  const index = now.year * 12 + (now.month - 1) + step
  return { year: Math.floor(index / 12), month: (index % 12) + 1 }
}

/**
 * Day `day` of this month or the one next to it: for something done, this month's when it is
 * not after today, else last month's (`23号` on 12-03 is 11-23: a cadre logs what is done,
 * often across a month's turn); for a reminder, this month's when not before today, else next
 * month's. When that month has no such day (`31号` on 12-03), why, as an impossible date.
 */
function resolveDayOfMonth(
  today: LocalDate,
  day: number,
  direction: DateDirection,
): LocalDate | { reason: string; suggestion?: string } {
  if (day < 1) return { reason: '日子从1日数起' }
  if (day > 31) return { reason: '一个月最多31天' }
  const now = partsOf(today)
  const thisMonth = makeLocalDate(now.year, now.month, day)
  if (thisMonth !== undefined && (direction === 'past' ? thisMonth <= today : thisMonth >= today))
    return thisMonth
  const { year, month } = monthFrom(today, direction === 'past' ? -1 : 1)
  const date = makeLocalDate(year, month, day)
  if (date !== undefined) return date
  const most = daysInMonth(year, month)
  return { reason: `${month}月只有${most}天`, suggestion: `${month}月${most}日` }
}

/**
 * The next (future) of the dates `dayOf` gives for the years around today, or the most recent
 * ('latest'); 'past' is the next when at most NEAR_AHEAD_DAYS ahead, else the most recent.
 */
function resolveYearly(
  today: LocalDate,
  direction: Toward,
  dayOf: (year: number) => LocalDate | undefined,
): LocalDate | undefined {
  if (direction === 'past') {
    const next = resolveYearly(today, 'future', dayOf)
    return nearAhead(today, next) ? next : resolveYearly(today, 'latest', dayOf)
  }
  const { year } = partsOf(today)
  let best: LocalDate | undefined
  // ±3 years covers the longest offset written (three digits of days).
  for (let y = year - 3; y <= year + 3; y++) {
    const date = dayOf(y)
    if (date === undefined) continue
    if (
      direction === 'latest'
        ? date <= today && (!best || date > best)
        : date >= today && (!best || date < best)
    )
      best = date
  }
  return best
}

/** The Gregorian day of an occasion word, by year; 除夕 is the eve of that year's 春节. */
function occasionDayOf(name: string): (year: number) => LocalDate | undefined {
  if (/八一|建军节/.test(name)) return augustFirst
  if (name.startsWith('元旦')) return newYearsDay
  if (name === '除夕' || name === '大年三十') return springFestivalEve
  return springFestival
}

function augustFirst(year: number): LocalDate | undefined {
  return year < MIN_YEAR || year > MAX_YEAR ? undefined : `${year}-08-01`
}
function newYearsDay(year: number): LocalDate | undefined {
  return year < MIN_YEAR || year > MAX_YEAR ? undefined : `${year}-01-01`
}
function springFestivalEve(year: number): LocalDate | undefined {
  return year < MIN_YEAR || year > MAX_YEAR ? undefined : lunarNewYearsEve(year - 1)
}
function springFestival(year: number): LocalDate | undefined {
  return year < MIN_YEAR || year > MAX_YEAR ? undefined : lunarNewYear(year)
}

/**
 * The day `offset` days from the occasion `name`, by year: the occasion read once, not per
 * year tried. Returned rather than written as a named closure in the scan: tsx names each
 * such closure, a defineProperty on every line.
 */
function occasionDays(name: string, offset: number): (year: number) => LocalDate | undefined {
  const dayOf = occasionDayOf(name)
  return offset === 0 ? dayOf : (year) => shift(dayOf(year), offset)
}

function shift(date: LocalDate | undefined, days: number): LocalDate | undefined {
  return date === undefined || days === 0 ? date : addDays(date, days)
}

/** `前一周` → -7, `后两天` → 2; undefined for a count of nothing (`前0天`). */
function offsetDays(relation: string, count: string, unit: string): number | undefined {
  const n = dateNumber(count.replace(/两/g, '二'))
  if (n === undefined || n < 1) return undefined
  const days = /天|日/.test(unit) ? n : n * 7
  return relation.includes('前') ? -days : days
}

const LUNAR_MONTH_BY_NAME: Record<string, number | undefined> = { 正: 1, 冬: 11, 腊: 12 }
const LUNAR_MONTH_NAMES = ['正', '二', '三', '四', '五', '六', '七', '八', '九', '十', '冬', '腊']

/** 正 → 1, 冬 → 11, 腊 → 12, else the number written; undefined for what is no number. */
function lunarMonthNumber(written: string): number | undefined {
  const named = LUNAR_MONTH_BY_NAME[written]
  return named ?? dateNumber(written)
}

/** 初三 → 3, 二十八 → 28, 廿八 → 28; undefined for 初十一 and what is no number. */
function lunarDayNumber(written: string): number | undefined {
  if (!written.startsWith('初')) return dateNumber(written)
  const n = dateNumber(written.slice(1))
  return n !== undefined && n >= 1 && n <= 10 ? n : undefined
}

/** `腊月`, `闰六月`: a lunar month as people say it. */
function lunarMonthName(month: number, leap: boolean): string {
  return `${leap ? '闰' : ''}${LUNAR_MONTH_NAMES[month - 1] ?? month}月`
}

interface LunarDay {
  month: number
  day: number
  leap: boolean
  /** A written Gregorian year: the lunar day that falls in it. */
  year?: number
}

/**
 * A lunar day's Gregorian date: in the written year, else the next (future) occurrence, or the
 * most recent ('latest'); 'past' is the next when at most NEAR_AHEAD_DAYS ahead, else the most
 * recent. A day the nearest lunar year lacks (腊月三十 of a 29-day 腊月) is named rather than
 * looked for years away: people mean this year's, and 除夕 is what they want.
 */
function resolveLunar(
  today: LocalDate,
  wanted: LunarDay,
  direction: Toward,
): { date: LocalDate } | { reason: string; suggestion?: string } {
  const { month, day, leap } = wanted
  const name = lunarMonthName(month, leap)
  if (month < 1 || month > 12) return { reason: '农历只有正月到腊月十二个月' }
  if (day < 1 || day > 30) return { reason: '农历每月最多30天' }
  let found: LunarOccurrence | undefined
  if (direction === 'past' && wanted.year === undefined) {
    const next = lunarOccurrence(today, wanted, 'future')
    found = next && nearAhead(today, next.probe) ? next : lunarOccurrence(today, wanted, 'latest')
  } else found = lunarOccurrence(today, wanted, direction === 'past' ? 'latest' : direction)
  if (!found) {
    return { reason: wanted.year !== undefined ? `${wanted.year}年没有${name}` : `近年没有${name}` }
  }
  const { year: y, lunarMonth, length } = found
  if (day <= length) return { date: lunarToSolar(y, lunarMonth, day)! }
  const eve = month === 12 && !leap ? `，除夕是腊月二十九（${lunarToSolar(y, 12, length)}）` : ''
  return {
    reason: `农历${y}年${name}只有${length}天${eve}`,
    suggestion: month === 12 && !leap ? '除夕' : `${name}二十九`,
  }
}

interface LunarOccurrence {
  /** The lunar year. */
  year: number
  /** As lunar.ts takes it: a leap month is `-month`. */
  lunarMonth: number
  /** Days in that month. */
  length: number
  /** The day wanted, or the month's last when it is shorter: what is compared with today. */
  probe: LocalDate
}

/**
 * The lunar year whose `wanted` month holds the day: in the written Gregorian year when there
 * is one (`toward` is then ignored), else the first not before today ('future') or not after
 * it ('latest'). A leap month comes back only every few years; an ordinary one is in the
 * first year tried.
 */
function lunarOccurrence(
  today: LocalDate,
  wanted: LunarDay,
  toward: 'future' | 'latest',
): LunarOccurrence | undefined {
  const lunarMonth = wanted.leap ? -wanted.month : wanted.month
  const thisLunarYear = lunarYearOf(today)
  const years =
    wanted.year !== undefined
      ? [wanted.year - 1, wanted.year]
      : Array.from({ length: 20 }, (_, i) => thisLunarYear + (toward === 'latest' ? -i : i))
  for (const year of years) {
    const length = lunarMonthLength(year, lunarMonth)
    if (length === undefined) continue
    const probe = lunarToSolar(year, lunarMonth, Math.min(wanted.day, length))!
    if (
      wanted.year !== undefined
        ? partsOf(probe).year !== wanted.year
        : toward === 'latest'
          ? probe > today
          : probe < today
    )
      continue
    return { year, lunarMonth, length, probe }
  }
  return undefined
}

const WEEKDAY_INDEX: Record<string, number> = {
  一: 0,
  二: 1,
  三: 2,
  四: 3,
  五: 4,
  六: 5,
  日: 6,
  天: 6,
}

/** Weeks run Monday to Sunday, as on Chinese calendars: on a Saturday 下周日 is 8 days ahead. */
function resolveWeekday(
  today: LocalDate,
  relation: string | undefined,
  weekday: string,
  direction: DateDirection,
): LocalDate {
  const target = WEEKDAY_INDEX[weekday]!
  const todayIndex = (weekdayOf(today) + 6) % 7
  const monday = addDays(today, -todayIndex)
  if (relation === '上') return addDays(monday, target - 7)
  if (relation === '下') return addDays(monday, target + 7)
  if (relation === '这' || relation === '本') return addDays(monday, target)
  return direction === 'past'
    ? addDays(today, -((todayIndex - target + 7) % 7))
    : addDays(today, (target - todayIndex + 7) % 7)
}

/** A part of day right after a date: `昨天下午`, `7月28日 上午`, and `晚` of `今晚`. */
function periodEnd(text: string, match: DateMatch): number {
  const rest = text.slice(match.end)
  const period = /^\s*(?:上午|下午|中午|晚上|早上|凌晨|傍晚)/.exec(rest)
  if (period) return match.end + period[0].length
  // A bare 今/明/昨 only came from chrono's 今晚/明早, so the next 早/晚 belongs to it.
  if (/^[今明昨]$/.test(text.slice(match.start, match.end)) && /^[早晚]/.test(rest)) {
    return match.end + 1
  }
  return match.end
}

/**
 * Parses a whole string as one date; `undefined` when it is not exactly one date (or the date
 * does not exist, like 2月30日). Year-less forms, bare weekdays and occasions resolve by
 * `direction`, today included; `上周五`/`下周一` count Monday-first weeks.
 */
export function parseDate(text: string, options: DateOptions): LocalDate | undefined {
  if (typeof text !== 'string') return undefined
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const whole = scanDates(trimmed, options).find(
    (m) => m.start === 0 && periodEnd(trimmed, m) === trimmed.length,
  )
  return whole?.date
}

/**
 * The whole string read as one date, or as one date that does not exist (`11月31日`: say so
 * rather than "not understood"); `undefined` when it is neither.
 */
export function readDate(
  text: string,
  options: DateOptions,
): { date: DateMatch } | { impossible: ImpossibleDate } | undefined {
  if (typeof text !== 'string') return undefined
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const words = scanDateWords(trimmed, options)
  const date = words.dates.find((m) => m.start === 0 && periodEnd(trimmed, m) === trimmed.length)
  if (date) return { date }
  const impossible = words.impossible.find((m) => m.start === 0 && m.end === trimmed.length)
  return impossible && { impossible }
}

/** The first date in `text` that was clearly meant but does not exist; undefined when none. */
export function findImpossibleDate(text: string, options: DateOptions): ImpossibleDate | undefined {
  return scanDateWords(text, options).impossible[0]
}

/**
 * The reply naming an impossible date, for every command that reads one: `11月31日 不存在
 * （11月只有30天），未登记。请核对日期后重发，如「11月30日」。` A form's answer (`'answer'`) is
 * asked for again instead.
 */
export function describeImpossibleDate(
  impossible: ImpossibleDate,
  in_: 'line' | 'answer' = 'line',
): string {
  const example = impossible.suggestion ? `，如「${impossible.suggestion}」` : ''
  if (impossible.missingDay) {
    const next = in_ === 'line' ? '未登记。请写上几号后重发' : '请回复是哪一天'
    return `「${impossible.text}」没写哪一天，${next}${example}。`
  }
  if (impossible.ambiguous) {
    const next = in_ === 'line' ? '未登记。请写明日期后重发' : '请回复是哪一天'
    return `「${impossible.text}」${impossible.reason}，${next}${example}。`
  }
  const next = in_ === 'line' ? '未登记。请核对日期后重发' : '请回复正确的日期'
  return `${impossible.text} 不存在（${impossible.reason}），${next}${example}。`
}

export interface FindDateOptions extends DateOptions {
  /**
   * Whether 八一/元旦/春节/除夕 count as dates; pass false when the command reads the occasion
   * separately (`走访 张三 八一` names an occasion, not the visit day). @defaultValue true
   */
  occasions?: boolean
}

const KIND_RANK: Record<DateKind, number> = {
  full: 0,
  'month-day': 0,
  relative: 0,
  lunar: 0,
  'occasion-offset': 0,
  occasion: 1,
  // A day with no month yields to a date written with its month.
  day: 1,
  // Last: 周三 is also a name (周 is a common surname).
  weekday: 2,
}

/**
 * Finds the date inside free text, with its span (a trailing `上午`/`下午` included) so callers
 * can cut it out. Written dates win over occasions, and both over a bare weekday; among equals
 * the first in the text. `undefined` when there is none.
 */
export function findDate(text: string, options: FindDateOptions): DateMatch | undefined {
  return pickDate(text, scanDates(text, options), options)
}

/** findDate over dates already scanned from `text` (scanDateWords), so a caller scans once. */
export function pickDate(
  text: string,
  scanned: readonly DateMatch[],
  options: Pick<FindDateOptions, 'occasions'>,
): DateMatch | undefined {
  const matches = scanned.filter((m) => options.occasions !== false || m.kind !== 'occasion')
  let best: DateMatch | undefined
  for (const m of matches) {
    if (best === undefined || KIND_RANK[m.kind] < KIND_RANK[best.kind]) best = m
  }
  if (best === undefined) return undefined
  const end = periodEnd(text, best)
  return Object.assign({}, best, { end, text: text.slice(best.start, end) })
}

/** `2027-07-25`: the stored and displayed form. */
export function formatDate(date: LocalDate): string {
  if (!isLocalDate(date)) return date
  const { year, month, day } = partsOf(date)
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`
}

/** `07-25`, for tallies and reminders where the year is obvious. */
export function formatMonthDay(date: LocalDate): string {
  const { month, day } = partsOf(date)
  return `${pad2(month)}-${pad2(day)}`
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}
