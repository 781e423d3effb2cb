import { CATEGORY_WORDS, categoryOf } from '../commands/category-words.js'
import { findOccasion, isCampaignOccasion, type Occasion } from '../occasions.js'
import type { Category } from '../records/schemas.js'

// Questions in the asker's own words (issue 12, docs/intents.md): `还有谁没走访`, `今年优待金发了
// 多少`, `王建国走访过没有`. A question is read as a frame of known words (question words, topics,
// years, occasions, fillers) around at most two unknown words, which are villages or a person;
// which of the two only the roster can tell, so that is left to the question command.

/**
 * The command that answers a question. It is not a word anyone types: the parser hands it the
 * messages `readQuestion` recognises, whole.
 */
export const QUESTION_COMMAND = '提问'

/**
 * The commands whose word may begin a question (`走访进度`, `优待金发放情况`, `未走访名单`): the
 * record commands, whose arguments are names that a question word never is, and the lists and
 * tallies. Others keep their text even when it reads like a question: a 提醒's text is the
 * user's own, and `对象`/`帮助` answer questions themselves.
 */
export const ASKABLE_COMMANDS: ReadonlySet<string> = new Set([
  '走访',
  '发放优待金',
  '活动',
  '统计',
  '未走访',
  '未发放',
  '你好',
  // `优待金截止还有几天`: the command sets the deadline; a question about it asks the days left.
  '优待金截止',
])

/** The reading command a question is answered by, unless it names a person (then 对象). */
export type QuestionTarget = '统计' | '未走访' | '未发放' | '花名册' | '我的记录' | '待办'

/**
 * Answers the question command makes itself rather than through a command (question-*.ts):
 * visits or payments logged in a run of days (`本周走访了谁`, `今天发了几户优待金`), the days to
 * an occasion (`离八一还有几天`), the roster's counts (`全镇有多少户`), a category's visits in a
 * campaign (`烈属走访了没有`), what is still to do (`我还有什么没办`) and what the asker logged in
 * a run of days other than today and this week (`我上周登记了哪些`; those two are 我的记录's);
 * the allowance still owed (`还有多少钱没发`: `owed`), whether an occasion's visits can be done in
 * time (`元旦前能走访完吗`: `pace`), one category's roster (`义务兵家庭名单`: `rosterList`), and
 * a person looked up by name (`查一下张伟`: `lookup`) or their phone (`钱七的电话`: `phone`).
 */
export type QuestionAnswer =
  | 'span'
  | 'countdown'
  | 'roster'
  | 'category'
  | 'todo'
  | 'mine'
  | 'owed'
  | 'finished'
  | 'pace'
  | 'rosterList'
  | 'lookup'
  | 'phone'

/** A run of days asked about, by its word or a date written; question-days.ts turns it into dates. */
export type DaySpan =
  '今天' | '昨天' | '前天' | '本周' | '上周' | '本月' | '上月' | WrittenDay | RecentDays

/** The last N days, today included (`最近一周` is `近7天`, `近一个月` `近30天`). */
export type RecentDays = `近${number}天`

/** The longest run of recent days asked about: the day sets are read at most a month at a time. */
export const MAX_RECENT_DAYS = 31

/** A date written in a question (`12月1日走访了谁`), as `M月D日` or `YYYY年M月D日`, digits. */
export type WrittenDay = `${number}月${number}日` | `${number}年${number}月${number}日`

/** `12月1日`, `2026年12月1号`: a date written in a question, one day asked about. */
const WRITTEN_DAY = /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/

/** The words for each run of days, as people say them. */
const SPAN_WORDS: Readonly<Record<string, DaySpan>> = {
  今天: '今天',
  今日: '今天',
  当天: '今天',
  昨天: '昨天',
  昨日: '昨天',
  前天: '前天',
  本周: '本周',
  这周: '本周',
  这一周: '本周',
  这个星期: '本周',
  这星期: '本周',
  本星期: '本周',
  上周: '上周',
  上一周: '上周',
  上个星期: '上周',
  上星期: '上周',
  本月: '本月',
  这个月: '本月',
  这月: '本月',
  当月: '本月',
  上个月: '上月',
  上一个月: '上月',
  上月: '上月',
}

const SPAN_PATTERN = new RegExp(
  `(?:${Object.keys(SPAN_WORDS)
    .sort((a, b) => b.length - a.length)
    .join('|')})(?:上午|中午|下午|晚上)?`,
  'g',
)

const CATEGORY_PATTERN = new RegExp(CATEGORY_WORDS.join('|'), 'g')

/**
 * `最近一周`, `近两周`, `近7天`, `过去十天`, `近一个月`: the last N days, today included. Never a
 * record's date (a record is dated by a day, 上周五 or 7月28日), so it is read even alone.
 */
const RECENT_DAYS =
  /(?:最近|近|过去)的?(?:(半)个?月|([一二两三四五六七八九十\d]{1,3})(?:周|个?星期|个?礼拜)|([一二两三四五六七八九十\d]{1,3})个?月|([一二两三四五六七八九十\d]{1,3})(?:天|日))(?:以来|来|内|里)?/

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
}

/** `七` → 7, `十五` → 15, `三十一` → 31, `12` → 12; NaN for anything else. */
function smallNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text)
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text)
  if (!m || (!m[2] && (m[1] === undefined || m[3] !== undefined))) return NaN
  if (!m[2]) return CHINESE_DIGITS[m[1]!]!
  return (m[1] ? CHINESE_DIGITS[m[1]]! : 1) * 10 + (m[3] ? CHINESE_DIGITS[m[3]]! : 0)
}

/**
 * The run of days `word` names on its own (`本月`, `上周`, `昨天`, `最近一周`), as a question
 * reads it; undefined for anything else. 我的记录 reads its span with it.
 */
export function daySpanOf(word: string): DaySpan | undefined {
  const named = SPAN_WORDS[word]
  if (named) return named
  const recent = RECENT_DAYS.exec(word)
  if (!recent || recent.index !== 0 || recent[0].length !== word.length) return undefined
  const days = recentDaysOf(recent)
  return days >= 1 && days <= MAX_RECENT_DAYS ? `近${days}天` : undefined
}

/** The days a RECENT_DAYS match means: a week is 7, a month 30, half a month 15. */
function recentDaysOf(m: RegExpExecArray): number {
  if (m[1]) return 15
  if (m[2]) return 7 * smallNumber(m[2])
  if (m[3]) return 30 * smallNumber(m[3])
  return smallNumber(m[4]!)
}

export interface Question {
  target: QuestionTarget
  topic: 'visits' | 'allowance' | 'activity'
  /** As written: `2026`, `今年`, `去年`; 统计 and the lists read it (tally-query.ts). */
  year?: string
  occasion?: Occasion
  /** The words left over, in order: villages, or a person's name. */
  subjects: string[]
  /** For 我的记录: the asker's records of this week rather than today's. */
  week?: boolean
  /** Made by the question command itself (QuestionAnswer); the target is then unused. */
  answer?: QuestionAnswer
  /** For `span`: the days asked about. */
  span?: DaySpan
  /**
   * For `span`: who or which were asked (`本周走访了谁`), so the records are listed; for
   * `category`: the unvisited asked for (`残疾军人还有谁没走访`), so all of them are listed.
   */
  list?: boolean
  /** For `span`: villages compared (`本周哪个村走访最多`), so the villages come most first. */
  ranked?: boolean
  /** A category of 优抚对象 named (`烈属`, `残疾军人`), for `category`, `span` and `roster`. */
  category?: Category
  /** For `countdown`: 除夕 (the eve) was asked, not 春节 itself. */
  eve?: boolean
  /**
   * For 统计 of visits: the year across its occasions (`今年慰问金花了多少`), the villages ranked
   * by the campaign's rate (`哪个村走访最差`), or the visits logged today (`今天走访了谁`).
   */
  view?: TallyView
  /**
   * A count was asked (`几户`, `多少`, `几次`): about a name, `李明走访了几户` may ask about the
   * cadre 李明's visits rather than a family's (questions.ts tells them apart).
   */
  counted?: boolean
  /**
   * The occasion was asked with 前 (`春节前还有谁没走访`, `八一之前`): its coming instance, not
   * the latest one, when no year is written.
   */
  before?: boolean
  /**
   * Whether someone was visited was asked, yes or no (`李一去过了吗`, `张三走访过没有`; not
   * `张三的情况`): a person's card then begins with the answer.
   */
  visitAsked?: boolean
  /** For `span`: the visits the asker logged (`本周我走访了几户`), not their villages' all. */
  own?: boolean
}

/** The views of 统计 a question may ask for, by the word 统计 reads for each (tally-query.ts). */
export type TallyView = 'year' | 'ranking' | 'today'

/** The word of each view in 统计's arguments: `统计 全年`, `统计 排名`, `统计 今天`. */
export const VIEW_WORDS: Readonly<Record<TallyView, string>> = {
  year: '全年',
  ranking: '排名',
  today: '今天',
}

/**
 * `我今天登记了几条`, `这周我都录了哪些？`: the asker's own records, by the day or week they were
 * logged. Undefined for anything else.
 */
function readOwnRecordsQuestion(text: string, asked: boolean): Question | undefined {
  const m = OWN_RECORDS.exec(text)
  if (!m || (!asked && !/哪些|几|多少|什么/.test(text))) return undefined
  const span = SPAN_WORDS[m[1] ?? m[2] ?? '今天']!
  // 今天 and 本周 are 我的记录's; another run is answered from the same index (question-days.ts).
  if (span !== '今天' && span !== '本周') {
    return { target: '我的记录', topic: 'visits', subjects: [], answer: 'mine', span }
  }
  return {
    target: '我的记录',
    topic: 'visits',
    subjects: [],
    ...(span === '本周' && { week: true }),
  }
}

const SPAN_WORD = `(${Object.keys(SPAN_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`

/** `我上周登记了哪些`, `这个月我都录了几条`: the asker's own records of a day or a run of days. */
const OWN_RECORDS = new RegExp(
  `^(?:${SPAN_WORD})?我(?:${SPAN_WORD})?都?(?:登记|记|录入?|填)了?(?:哪些|几条|多少条?|什么|些什么|几个)?(?:记录)?(?:[吗呢])?$`,
)

/** A record being written, never a question: amounts, dates, goods, notes, record numbers. */
const RECORD_LIKE: readonly RegExp[] = [
  // 元 of 元旦 and 元宵 is no money: `李一元旦走访了吗` (a tester).
  /\d+(?:\.\d+)?\s*万?\s*(?:元(?![旦宵])|块)/,
  /[零〇一二两三四五六七八九十百千万]+\s*(?:元(?![旦宵])|块钱)/,
  /备注|需求|电话|手机|身份证|人数\s*\d/,
  /\d{1,2}\s*月\s*\d{1,2}\s*[日号]?/,
  /\d{4}-\d{1,2}-\d{1,2}/,
  /(?<![\d.])\d{1,2}\.\d{1,2}(?![\d.])/,
  /[正腊冬]月|初[一二三四五六七八九十]/,
  /[一二两三四五六七八九十\d]+\s*(?:袋|桶|箱|件|斤|壶|盒|床|套|提)/,
  /#\s*\d/,
  // A day word left after a command word (`走访 张三 昨天 日常`) is the record's date.
  /今天|昨天|前天|本周|这周|上周|本月|这个月|上个月|上月/,
]

/** Year words as a question writes them before an occasion (`明年春节`, `2027年八一`). */
const YEAR_WORD = /^(?:今年|明年|去年|后年|前年|\d{4}\s*年?)/

/**
 * `离八一还有几天`, `还有几天过年`, `春节是哪天`, `明年元旦是几号`: the days to an occasion, from
 * the calendar. Only the campaign occasions have a day; 除夕 and 大年三十 ask for the eve.
 * Undefined for anything else.
 */
function readCountdownQuestion(text: string): Question | undefined {
  const found = findOccasion(text)
  if (!found || !isCampaignOccasion(found.occasion)) return undefined
  const word = text.slice(found.start, found.end)
  let before = text.slice(0, found.start)
  const after = text.slice(found.end)
  const lead = /^(?:离|距离?|到)?/.exec(before)![0]
  before = before.slice(lead.length)
  const year = YEAR_WORD.exec(before)?.[0]
  if (year) before = before.slice(year.length)
  before = before.replace(/^(?:的)?(?:离|距离?|到)?/, '')
  const howLong =
    /^(?:节|的)?(?:走访|慰问)?(?:还有|还剩|还差|只有|有|还)?(?:几|多少)天(?:了|啊|呀|呢)?$/
  const whichDay =
    /^(?:节|的)?(?:是|在)?(?:哪天|哪一天|哪日|几号|几月几[号日]|什么时候|啥时候|什么日子|几月份|星期几|周几)(?:啊|呀|呢)?$/
  const asked =
    (before === '' && (howLong.test(after) || (lead === '' && whichDay.test(after)))) ||
    (/^还有?(?:几|多少)天(?:就)?(?:到|过|是)?$/.test(before) && after === '' && !year)
  if (!asked) return undefined
  return {
    target: '统计',
    topic: 'visits',
    occasion: found.occasion,
    subjects: [],
    answer: 'countdown',
    ...(year !== undefined && { year: year.replace(/\s+/g, '') }),
    ...(/除夕|大年三十/.test(word) && { eve: true }),
  }
}

/**
 * `优待金截止还有几天`, `优待金什么时候截止`, `离优待金截止还有几天`: the days to the allowance
 * deadline (configured per year, else 07-31). Undefined for anything else.
 */
function readDeadlineQuestion(text: string): Question | undefined {
  const m =
    /^(?:离|距离?)?(今年|明年|去年|\d{4}年?)?的?(?:义务兵家庭)?优待金(?:发放)?的?(.*)$/.exec(text)
  if (!m) return undefined
  const rest = m[2]!
  const days = '(?:还有|还剩|只有)?(?:几|多少)天'
  const when = '(?:哪天|哪一天|几号|几月几[号日]|什么时候|啥时候)'
  const asked = [
    new RegExp(
      `^(?:截止|截至|期限|最后期限|到期)(?:日期|时间|日)?(?:是|在)?(?:${days}|${when})(?:了|啊|呢)?$`,
    ),
    new RegExp(`^(?:${days}|${when})(?:就)?(?:截止|截至|到期)(?:了|啊|呢)?$`),
  ].some((pattern) => pattern.test(rest))
  if (!asked) return undefined
  return {
    target: '统计',
    topic: 'allowance',
    subjects: [],
    answer: 'countdown',
    ...(m[1] !== undefined && { year: m[1] }),
  }
}

/**
 * `有哪些待办`, `我的待办`: the 待办 list (帮扶 cases still open). `我还有什么没办`, `还有哪些事要做`:
 * what the asker still has to do, in one reply (question-todo.ts). Undefined for anything else.
 */
function readTodoQuestion(text: string): Question | undefined {
  const todo = '(?:待办(?:事项|帮扶|的事)?|帮扶事项|待处理的?事项?)'
  const list = new RegExp(
    `^(?:今天|现在|目前)?(?:我|我们|咱们)?的?(?:今天|现在|目前)?还?有?(?:哪些|什么|几件|几项|多少件?)?${todo}(?:还有|有)?(?:哪些|几件|几项|多少件?|多少|是什么)?[吗呢]?$`,
  )
  // `帮扶还有几件没办结`, `还有哪些困难没解决`: the open cases too.
  const unresolved =
    /^(?:帮扶|困难|需求)?(?:事项)?还有(?:哪些|什么|几件|几项|多少件?)(?:帮扶|困难|需求)?(?:事项)?(?:没有?|未)(?:办结|解决)(?:的)?[吗呢]?$/
  if ((list.test(text) && !new RegExp(`^${todo}$`).test(text)) || unresolved.test(text)) {
    return { target: '待办', topic: 'visits', subjects: [] }
  }
  const rest =
    /^(?:今天)?(?:我|我们|咱们)?(?:今天|现在|目前)?还(?:有|剩)?(?:什么|哪些|啥|多少|几件)(?:事情?|工作|活儿?|任务)?(?:没有?|未|要|需要|得)(?:办|做|干|完成|处理|跟进)(?:完|好)?的?(?:事情?|工作)?[吗呢啊]?$/
  if (rest.test(text)) return { target: '统计', topic: 'visits', subjects: [], answer: 'todo' }
  return undefined
}

/**
 * Openings that ask to look someone up: `帮我查一下`, `查查`, `请帮我找一下`, `看看`. The words
 * after one that name nobody else (no topic, count or day) are a person (or a village) to show.
 */
const LOOKUP_LEAD =
  /^(?:请|麻烦|劳驾)?(?:你|您)?(?:帮我|帮忙|给我|帮)?(?:查询|查找|查一查|查查|找一找|找找|看一看|看看|查|找)(?:一下|下)?[\s,，:：]*/

/**
 * `钱七的电话`, `钱七电话多少`, `铁炉嘴村钱七的手机号是多少？`: a person's phone, as their card
 * shows it (masked but for an administrator in a private chat). The name is the one word before
 * 电话 (a village may run into it); a number after it (`电话13800000000`) is a record's field,
 * never this. Undefined for anything else.
 */
function readPhoneQuestion(text: string): Question | undefined {
  const m =
    /^(\p{Script=Han}[\p{Script=Han}·]{1,15}?)(?:的|家的?|家里的?)?(?:联系)?(?:电话|手机)(?:号码|号)?(?:是|是多少|多少|是几号|几号|是什么|是啥|呢|发我|给我)?(?:号码|号)?(?:啊|呀|呢|吗)?$/u.exec(
      text,
    )
  // `我的电话`, `联系电话`, `值班电话`: nobody on the roster.
  const nobody = /^(?:我|你|您|他|她|咱|本人|自己|大家)|^(?:联系|办公|值班|紧急|固定|家庭|座机)$/
  if (!m || nobody.test(m[1]!)) return undefined
  return { target: '花名册', topic: 'visits', subjects: [m[1]!], answer: 'phone' }
}

/**
 * `元旦前能走访完吗`, `春节之前走得完吗`, `铁炉嘴村八一前能完成走访吗`: the days left to a campaign
 * occasion, the households still to visit and how many a day that takes (question-calendar.ts).
 * Undefined for anything else.
 */
function readPaceQuestion(text: string): Question | undefined {
  const found = findOccasion(text)
  if (!found || !isCampaignOccasion(found.occasion)) return undefined
  let before = text.slice(0, found.start)
  const after = text.slice(found.end)
  const year = YEAR_WORD.exec(before)?.[0]
  if (year) before = before.slice(year.length)
  const scope = /^(?:全镇|各村|我们村|咱们村|咱村|我村|本村|我们|咱们)?$/.test(before)
  const village = SUBJECT.test(before) && /(?:村|社区)$/.test(before)
  if (!scope && !village) return undefined
  const done =
    /^(?:之前|以前|前)(?:我们|咱们|全镇|各村)?(?:还)?(?:能|能不能|可以|可不可以|来得及|来不来得及|赶得上|有没有可能|会不会)?(?:把?(?:户|对象)?(?:都|全部|全))?(?:(?:走访|慰问|看望|走|访)(?:得|的)?(?:完|完成|结束)|完成(?:走访|慰问)(?:任务)?)(?:了)?(?:吗|么|不|没有?|呢)?$/
  const asks = /能|可以|来得及|赶得上|得完|会不会|[吗么不没呢]$/
  if (!done.test(after) || !asks.test(after)) return undefined
  return {
    target: '统计',
    topic: 'visits',
    occasion: found.occasion,
    subjects: village ? [before] : [],
    answer: 'pace',
    ...(year !== undefined && { year: year.replace(/\s+/g, '') }),
  }
}

/** Openings that carry no meaning: `请问`, `帮我查一下`, `你好，`. */
const LEAD_IN =
  /^(?:你好|您好|请问(?:一下|下)?|我?想(?:问|了解|知道)(?:一下|下)?|问(?:一下|下)|(?:帮我|帮忙|麻烦)?(?:查|看(?!望)|统计|汇总)(?:一下|下|查|看)?|那么|那|另外)[\s,，。!]*/

interface Frame {
  asked: boolean
  /** 全年, 一共, 总共: the year's figures, when no occasion is named. */
  wholeYear: boolean
  /** 排名, 最差, 最落后: villages compared. */
  ranking: boolean
  /** 昨天, 本周, 上个月 …: the run of days asked about (only with no command word). */
  span?: DaySpan
  category?: Category
  /** 多少, 几户: a count was asked. */
  counted: boolean
  /** 进度, 情况, 完成: progress was asked, which the roster has none of. */
  progress: boolean
  /** 哪个村, 哪些村: villages asked about, not people. */
  whichVillage?: boolean
  /** 优抚对象, 在册, `有多少户`: about the roster itself. */
  rosterWord: boolean
  /** 各村, 全镇: a scope named without a village. */
  scopeWord: boolean
  /** 登记, 录入: about what was logged. */
  logged: boolean
  /** A word that asks only when the message starts with no command word (`统计`, `没走访`). */
  weaklyAsked: boolean
  topic?: Question['topic']
  paidVerb: boolean
  outstanding: boolean
  who: boolean
  listAsked: boolean
  status: boolean
  year?: string
  occasion?: Occasion
  /** 春节前, 八一之前: the occasion's coming instance. */
  before?: boolean
  /** 多少, 多少钱 (not 多少户): an amount was asked, for what is still owed. */
  amount: boolean
  /** 发完, 发齐: whether the allowance is all paid was asked, to be answered 是 or 否 first. */
  finished: boolean
  /** 我: the asker's own records were asked about (`本周我走访了几户`). */
  own: boolean
}

/** What a rule's match (the whole word, then its groups) tells about the question. */
type Effect = (frame: Frame, match: readonly string[]) => void

/**
 * The frame's words, longest and most specific first: a rule sees the text the rules before it
 * left, each match replaced by a space. Only words of two characters or more (and 谁, 几, which
 * no name in a roster is made of) are cut anywhere; single characters that are also common in
 * names (有, 发, 家) are trimmed only at a leftover word's edges (EDGE_FILLERS).
 */
const RULES: readonly (readonly [RegExp, Effect])[] = [
  [
    /(?<!\d)(\d{4})\s*年?度?(?!\d)/g,
    (f, m) => {
      f.year ??= m[1]
    },
  ],
  [
    /今年|本年度|本年|去年|上一年|前年|明年|下一年|后年/g,
    (f, m) => {
      f.year ??= m[0]
    },
  ],
  [/慰问金|慰问款/g, (f) => (f.topic ??= 'visits')],
  // `慰问品发了多少`: the goods are 统计's too (the 慰问 of 慰问品 left 品 as a name, a tester).
  [/慰问品|慰问物资|物品|礼品/g, (f) => (f.topic ??= 'visits')],
  [/全年度?|一年来|这一年|一整年/g, (f) => (f.wholeYear = true)],
  [/还有(?=谁|哪)|还差|还剩|剩下|剩余|漏了|漏掉|遗漏|落下/g, (f) => (f.outstanding = true)],
  [
    /(?:还|尚|仍|都)?(?:没有|没|未)有?被?(走访|慰问|看望|探望|访问|访到|访|去|到|走|发放|发到|发|领到|领取|领)/g,
    (f, m) => {
      f.outstanding = true
      f.weaklyAsked = true
      if (/发|领/.test(m[1]!)) f.paidVerb = true
      else f.topic ??= 'visits'
    },
  ],
  [/优待金|优待/g, (f) => (f.topic = 'allowance')],
  [/活动/g, (f) => (f.topic ??= 'activity')],
  // `李一去过了吗`, `去李一家了吗`: going to a household is visiting it, in speech.
  [
    /走访|慰问|看望|探望|访问|拜访|已访|访了|走完|访完|去看过|去过|去了|看过|看了|到过|上门|(?<=^\s*)[去到](?=\S{2,5}家)/g,
    (f) => (f.topic ??= 'visits'),
  ],
  [
    /发完|发齐|发到位|全部发了|都发了/g,
    (f) => {
      f.paidVerb = true
      f.finished = true
    },
  ],
  [/发放|发了|发过|发给|发到|已发/g, (f) => (f.paidVerb = true)],
  [/花了|花费|花掉|用了|用掉|支出|开支/g, () => undefined],
  [/登记了?|录入了?|录了/g, (f) => (f.logged = true)],
  [
    /排名|排行|排序|名次|排第几|第几名|第几|最差|最落后|落后|最少|最低|最慢|最好|最多|最高|最快|倒数|垫底|靠后|领先/g,
    (f) => {
      f.asked = true
      f.ranking = true
    },
  ],
  [
    /哪些村|哪个村|哪几个村|几个村|哪些社区/g,
    (f) => {
      f.asked = true
      f.who = true
      f.whichVillage = true
    },
  ],
  [
    /都有谁|有哪些|是谁|哪些人|哪些户|哪些家|哪几户|哪几家|哪几个|哪些|哪几|哪个|哪家|哪户|谁/g,
    (f) => {
      f.asked = true
      f.who = true
    },
  ],
  [
    /名单|名字/g,
    (f) => {
      f.asked = true
      f.who = true
      f.listAsked = true
    },
  ],
  [
    // `铁炉嘴村有几户`: how many there are, the roster's count (not `还有几户`, still to do).
    /(?<!还)有(?:多少|几)(?:户|人|家|位|个)/g,
    (f) => {
      f.asked = true
      f.counted = true
      f.rosterWord = true
    },
  ],
  [
    /多少钱|多少户|多少人|多少家|多少次|多少笔|多少场|多少个|多少元|多少|几户|几家|几个|几位|几人|几次|几场|几成|几/g,
    (f, m) => {
      f.asked = true
      f.counted = true
      if (/^多少[钱元]?$/.test(m[0]!)) f.amount = true
    },
  ],
  [
    /一共|总共|合计|累计|总计|共计|总额/g,
    (f) => {
      f.asked = true
      f.status = true
      f.wholeYear = true
    },
  ],
  [
    // `到哪了`, `准备得怎么样`, `总结`: a leader's words for the same progress (a tester).
    /完成了吗|完成了没|完成没|完成率|完成情况|完成得怎么样|完成|完了|情况|进度|进展|到哪了|到哪儿了|到什么程度了?|准备得怎么样了?|准备得如何|准备情况|怎么样|咋样|怎样|如何|覆盖率|比例|百分之几|总数|总结/g,
    (f) => {
      f.asked = true
      f.status = true
      f.progress = true
    },
  ],
  [/有没有|过没有|过没|过吗|了没有|了没|了吗|是否/g, (f) => (f.asked = true)],
  [/统计|汇总/g, (f) => (f.weaklyAsked = true)],
  [
    /各村|各个村|每个村|每村|分村|全镇|镇里|全乡|全部|所有|各社区|村里|本村|我村|我们村|咱村|咱们村|我负责的村|我们|咱们/g,
    (f) => (f.scopeWord = true),
  ],
  [/优抚对象|在册|户数|总户数|对象/g, (f) => (f.rosterWord = true)],
  // `本周我走访了几户`: the asker's own (我们, 我村 and 我负责的村 were read above as scope).
  [/我自己|我/g, (f) => (f.own = true)],
  [/家庭/g, () => undefined],
  [/开展了?|举办了?|组织了?|举行了?|搞了|办了|开了/g, () => undefined],
  [
    /到目前为止|目前为止|截至目前|截止目前|目前|现在|当前|到现在|为止|已经|一下|还有|都有|的话|以来|最近|近来|近期|这段时间|这阵子/g,
    () => undefined,
  ],
]

/** Characters that pad a leftover word (`王建国的`, `给李一`, `还`) without naming anything. */
const EDGE_FILLERS = new Set([
  ...'还有的得地了吗呢啊呀吧么哦都也给是被把跟和与及户人家发访去到已过没未完我',
])

/** What a leftover word may be: a person's or a village's name. */
const SUBJECT = /^[\p{Script=Han}\d]{2,12}$/u

/**
 * Reads `text` (folded: simplified, half-width) as a question, or answers undefined when it is
 * not one. `startsWithCommand` is whether it begins with a command word: then only a clear
 * question word (谁, 多少, 情况, 名单, 吗 …) makes it a question, so `未走访 八一` stays the
 * command while `未走访名单` and `走访进度` are questions. Pure.
 */
export function readQuestion(text: string, startsWithCommand: boolean): Question | undefined {
  let rest = text.trim()
  const endsWithQuestionMark = /[?？]\s*$/.test(rest)
  rest = rest.replace(/[?？!！。.~～…\s]+$/, '')
  // `帮我查一下张伟`: a look-up asked for, which a name alone after it answers (the card).
  let lookup = false
  for (let before = ''; before !== rest;) {
    before = rest
    const asking = LOOKUP_LEAD.exec(rest)
    if (asking) {
      lookup = true
      rest = rest.slice(asking[0].length)
    } else rest = rest.replace(LEAD_IN, '')
  }
  if (rest === '') return undefined
  const compact = rest.replace(/\s+/g, '')
  // `钱七的电话`: before the record check, to which 电话 is a record's field.
  if (!startsWithCommand) {
    const phone = readPhoneQuestion(compact)
    if (phone) return phone
  }
  const own = readOwnRecordsQuestion(compact, endsWithQuestionMark)
  if (own) return own
  // After 优待金截止 too (an admin's command, whose argument is a date a question never is).
  const deadline = readDeadlineQuestion(compact)
  if (deadline) return deadline
  if (!startsWithCommand) {
    const asked =
      readCountdownQuestion(compact) ?? readPaceQuestion(compact) ?? readTodoQuestion(compact)
    if (asked) return asked
  }
  // `今天走访了谁`, `上周走访了几户`: a day is asked about only where no command word begins the
  // message, so a record line dated 昨天 (`走访 张三 昨天 日常？`) is still the record, as before.
  let span: DaySpan | undefined
  if (!startsWithCommand) {
    // `最近一周`, `近7天`: the last days, today included (more than a month is refused with
    // how far back one may ask, question-days.ts, rather than cut short).
    const recent = RECENT_DAYS.exec(rest)
    if (recent) {
      const days = recentDaysOf(recent)
      if (Number.isNaN(days)) return undefined
      span = `近${days}天`
      rest = `${rest.slice(0, recent.index)} ${rest.slice(recent.index + recent[0].length)}`
    }
    rest = rest.replace(SPAN_PATTERN, (word) => {
      span ??= SPAN_WORDS[word.replace(/(?:上午|中午|下午|晚上)$/, '')]
      return ' '
    })
    // `12月1日走访了谁`: a date written, with no day word, is the one day asked about.
    const written = span ? null : WRITTEN_DAY.exec(rest)
    if (written) {
      const [whole, year, month, day] = written
      span = year
        ? `${Number(year)}年${Number(month)}月${Number(day)}日`
        : `${Number(month)}月${Number(day)}日`
      rest = `${rest.slice(0, written.index)} ${rest.slice(written.index + whole.length)}`
    }
  }
  if (RECORD_LIKE.some((pattern) => pattern.test(rest))) return undefined

  const frame: Frame = {
    asked: endsWithQuestionMark,
    wholeYear: false,
    ranking: false,
    ...(span && { span }),
    counted: false,
    progress: false,
    rosterWord: false,
    scopeWord: false,
    logged: false,
    weaklyAsked: false,
    paidVerb: false,
    outstanding: false,
    who: false,
    listAsked: false,
    status: false,
    amount: false,
    finished: false,
    own: false,
  }
  rest = ` ${rest} `
  // Particles that ask only at the very end: `优待金发了没`, `走访完了吗`.
  rest = rest.replace(/(?:[吗呢么]|没有?)\s*$/, () => {
    frame.asked = true
    return ' '
  })
  for (;;) {
    const found = findOccasion(rest)
    if (!found) break
    frame.occasion ??= found.occasion
    // `春节前`, `八一之前`: the coming instance (questions.ts gives it its year).
    const ahead = /^(?:之前|以前|前)(?!天)/.exec(rest.slice(found.end))
    if (ahead) frame.before = true
    rest = `${rest.slice(0, found.start)} ${rest.slice(found.end + (ahead?.[0].length ?? 0))}`
  }
  rest = rest.replace(CATEGORY_PATTERN, (word) => {
    frame.category ??= categoryOf(word)
    return ' '
  })
  for (const [pattern, effect] of RULES) {
    rest = rest.replace(pattern, (...args: unknown[]) => {
      // replace() passes the match, its groups, then the offset and the whole string.
      effect(frame, args.slice(0, -2) as string[])
      return ' '
    })
  }
  // `哪个村还没完成`, `哪些村进度慢`: the villages compared, not the roster listed (a tester).
  if (frame.whichVillage && frame.progress && (!frame.topic || frame.topic === 'visits')) {
    frame.ranking = true
  }
  // `最近一周` alone asks about the visits of those days, as `本周走访了几户` does.
  const recent = frame.span !== undefined && isRecentDays(frame.span)
  const asked = frame.asked || (frame.weaklyAsked && !startsWithCommand) || recent
  const about =
    frame.topic ||
    frame.occasion ||
    frame.year ||
    frame.who ||
    frame.status ||
    frame.ranking ||
    frame.category ||
    (frame.counted && (frame.rosterWord || frame.scopeWord)) ||
    (frame.span && frame.paidVerb) ||
    // `还有多少钱没发`: still to pay is the allowance, with no word for it.
    (frame.outstanding && frame.paidVerb) ||
    recent

  const subjects = rest
    .split(/[\s,，、;；。:：]+/)
    .map(trimFillers)
    .filter((word) => word !== '')
  // `去年春节走访`, `2026年优待金`, `本月走访`: a leader's query as a heading, no question word;
  // nothing but frame words, a topic and a year or days, so it names nobody and nothing to
  // store. An occasion or a day alone (`日常走访`, `元旦前走访完`, `昨天走访`) may answer a
  // form's question: not one.
  const heading =
    !startsWithCommand &&
    subjects.length === 0 &&
    frame.topic !== undefined &&
    !frame.before &&
    (frame.year !== undefined || (frame.span !== undefined && /[周月]|近/.test(frame.span)))
  if ((!asked && !heading) || !about) {
    return lookup && !startsWithCommand ? lookupQuestion(frame, subjects) : undefined
  }
  if (subjects.length > 2 || !subjects.every((word) => SUBJECT.test(word))) return undefined

  const topic = frame.topic ?? (frame.paidVerb ? 'allowance' : 'visits')
  const target = targetOf(frame, topic)
  // Activities are not counted by day: `今天搞了几次活动` is not understood rather than answered
  // with the year's.
  if (frame.span && target === '统计' && topic === 'activity') return undefined
  // `去年这个月` would need last year's lists; not understood rather than answered for this one.
  if (frame.span && frame.year !== undefined && !/^(?:今年|本年度?)$/.test(frame.year)) {
    return undefined
  }
  // `残疾军人还有谁没走访`: the category's own unvisited, listed.
  const categoryList = target === '未走访' && frame.category !== undefined
  // `优待金还差多少`, `还有多少钱没发`: how much is still owed, not the list of who.
  const owed = target === '未发放' && frame.amount && !frame.who
  // `去年优待金发完了吗`: 是 or 否 first, then what is still owed (a tester: the tally never said).
  const finished = topic === 'allowance' && frame.finished && frame.asked && !frame.who && !owed
  // `义务兵家庭名单`, `铁炉嘴村有哪些烈属`: that category's people, not the whole roster.
  const rosterList = target === '花名册' && frame.category !== undefined
  const answer: QuestionAnswer | undefined = categoryList
    ? 'category'
    : finished
      ? 'finished'
      : owed
        ? 'owed'
        : rosterList
          ? 'rosterList'
          : target === '统计'
            ? answerOf(frame, topic)
            : undefined
  const view = target === '统计' && topic === 'visits' && !answer ? viewOf(frame) : undefined
  return {
    target,
    topic,
    ...(frame.year !== undefined && { year: frame.year }),
    ...(frame.occasion && { occasion: frame.occasion }),
    subjects,
    ...(view && { view }),
    ...(answer && { answer }),
    ...(answer === 'span' && { span: frame.span }),
    ...(((answer === 'span' && frame.who && !frame.ranking) || categoryList) && { list: true }),
    ...(answer === 'span' && frame.ranking && { ranked: true }),
    ...(answer === 'span' && frame.own && { own: true }),
    ...(frame.category && { category: frame.category }),
    ...(frame.topic === 'visits' &&
      frame.asked &&
      !frame.status &&
      !frame.counted &&
      !frame.who && { visitAsked: true }),
    ...(frame.counted && { counted: true }),
    ...(frame.before && { before: true }),
  }
}

/** Whether `span` is a run of recent days (`近7天`), which no record line is dated by. */
export function isRecentDays(span: DaySpan): span is RecentDays {
  return /^近\d+天$/.test(span)
}

/**
 * `查一下张伟`, `帮我查查铁炉嘴村`: a look-up asked for with nothing but a name (or a village and
 * a name) after it, which the person's card answers (a village alone: its roster). Any other
 * word of a question (a topic, a count, a day) leaves it to the readings above; a word with
 * no Han character (`查一下 12`) is not a name. Undefined for anything else.
 */
function lookupQuestion(frame: Frame, subjects: readonly string[]): Question | undefined {
  const bare =
    !frame.topic &&
    !frame.occasion &&
    !frame.year &&
    !frame.span &&
    !frame.category &&
    !frame.who &&
    !frame.status &&
    !frame.ranking &&
    !frame.counted &&
    !frame.outstanding &&
    !frame.paidVerb &&
    !frame.logged &&
    !frame.scopeWord &&
    !frame.rosterWord
  const named = subjects.length >= 1 && subjects.length <= 2 && subjects.every((w) => NAME.test(w))
  if (!bare || !named) return undefined
  return { target: '花名册', topic: 'visits', subjects: [...subjects], answer: 'lookup' }
}

/** A name or a village as a look-up writes it: Han characters (a 少数民族 name with its ·). */
const NAME = /^\p{Script=Han}[\p{Script=Han}·]{1,15}$/u

/** Nothing but the roster is asked about: no topic, occasion, year, day or comparison. */
function aboutNothing(frame: Frame): boolean {
  return (
    !frame.topic &&
    !frame.paidVerb &&
    !frame.occasion &&
    !frame.year &&
    !frame.ranking &&
    !frame.span &&
    !frame.logged
  )
}

/**
 * The answers the question command makes itself, for a question 统计 would otherwise take: a
 * run of days other than today's visits (统计 今天 lists those), the roster's count, or one
 * category's visits in a campaign.
 */
function answerOf(frame: Frame, topic: Question['topic']): QuestionAnswer | undefined {
  if (frame.span) {
    const todaysVisits = frame.span === '今天' && !frame.category && !frame.occasion
    return topic === 'allowance' || !todaysVisits ? 'span' : undefined
  }
  const rosterCount =
    aboutNothing(frame) &&
    !frame.outstanding &&
    !frame.who &&
    !frame.progress &&
    frame.counted &&
    (frame.rosterWord || frame.scopeWord || frame.category !== undefined)
  if (rosterCount) return 'roster'
  if (frame.category && topic === 'visits' && !frame.ranking) return 'category'
  return undefined
}

/**
 * Which 统计 of visits: today's records when 今天 is asked; villages ranked when compared; the
 * year across its occasions when a year or 全年/一共 is asked without an occasion (`今年走访了多少
 * 户`, `慰问金总共多少钱`); else the campaign (undefined).
 */
function viewOf(frame: Frame): TallyView | undefined {
  if (frame.span === '今天') return 'today'
  if (frame.ranking) return 'ranking'
  if (!frame.occasion && (frame.wholeYear || frame.year !== undefined)) return 'year'
  return undefined
}

/** Which list or tally answers: who is still missing is a list, everything else a tally. */
function targetOf(frame: Frame, topic: Question['topic']): QuestionTarget {
  // `铁炉嘴村有哪些优抚对象`, `义务兵家庭名单`: who is on the roster, not who was visited.
  if (aboutNothing(frame) && frame.who && !frame.outstanding) return '花名册'
  if (topic === 'activity') return '统计'
  if (frame.outstanding) return topic === 'allowance' ? '未发放' : '未走访'
  // `走访名单`: the households of the campaign still to see, which is what a list is for.
  if (frame.listAsked && topic === 'visits') return '未走访'
  return '统计'
}

/**
 * `王建国的` → 王建国, `还有` → empty: padding characters come off the edges while a name of two
 * characters is left, so `李有` (a name) keeps its 有 and `还` alone is nothing.
 */
function trimFillers(word: string): string {
  const chars = [...word]
  if (chars.every((c) => EDGE_FILLERS.has(c))) return ''
  while (chars.length > 2 && EDGE_FILLERS.has(chars[0]!)) chars.shift()
  while (chars.length > 2 && EDGE_FILLERS.has(chars.at(-1)!)) chars.pop()
  return chars.join('')
}

/**
 * The arguments the target command reads (`优待金 今年 铁炉嘴村`), for the villages the question
 * command found among the subjects.
 */
export function questionArgs(question: Question, villages: readonly string[]): string {
  if (question.target === '花名册') return villages[0] ?? ''
  if (question.target === '我的记录') return question.week ? '本周' : ''
  if (question.target === '待办') return ''
  const words = [
    question.target === '统计' && question.topic === 'allowance' ? '优待金' : undefined,
    question.target === '统计' && question.topic === 'activity' ? '活动' : undefined,
    question.target === '统计' && question.view ? VIEW_WORDS[question.view] : undefined,
    question.year,
    question.topic === 'visits' ? question.occasion : undefined,
    ...villages,
  ]
  return words.filter((w): w is string => w !== undefined).join(' ')
}

/**
 * `台账`, `走访台账`, `优待金台账` alone: what 导出 makes, asked by its name. The reply is the 导出
 * line to send, for the year written or this one (a ledger is a year's), never an export made on
 * a guess.
 */
const LEDGER_ASKED =
  /^(?:我要|要|给我)?(?:看|看看|查看|导出|下载)?(?:(走访|慰问|双拥)|(优待金))?(?:台账|台帐)(?:(\d{4})年?)?(?:呢|吗)?$/

/** `台账 2025` → its match (2 优待金, 3 the year), for a message that asks for a ledger by name. */
export function ledgerAsked(text: string): RegExpExecArray | null {
  // Every record line passes here: most have no 台 to read.
  if (!text.includes('台')) return null
  return LEDGER_ASKED.exec(text.replace(/[\s?？。!！]+/gu, ''))
}

/**
 * `张三的记录`, `铁炉嘴村张三的走访记录`: the word before 的记录, which names a person (a village may
 * run into it). Not 我的记录 (the command) nor another pronoun. Undefined for anything else.
 */
const RECORDS_ASKED =
  /^(?:请|帮我)?(?:查一下|查查|查|看看|看一下)?(\p{Script=Han}[\p{Script=Han}·]{1,19}?)(?:的|家的?)?(?:所有|全部)?的?(?:走访|慰问|登记|优待金)?记录(?:呢|吗|有哪些|是什么)?$/u

const PRONOUN = /^(?:我|你|您|他|她|咱|本人|自己|大家)/

/** The person `text` asks the records of (`张三的记录` → 张三), or undefined. Pure. */
export function recordsAskedOf(text: string): string | undefined {
  const m = RECORDS_ASKED.exec(text.replace(/[\s?？。!！]+$/u, '').replace(/\s+/g, ''))
  if (!m || PRONOUN.test(m[1]!)) return undefined
  return m[1]!
}
