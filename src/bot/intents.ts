import { findOccasion, type Occasion } from '../occasions.js'

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
])

/** The reading command a question is answered by, unless it names a person (then 对象). */
export type QuestionTarget = '统计' | '未走访' | '未发放' | '花名册' | '我的记录'

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
  /**
   * For 统计 of visits: the year across its occasions (`今年慰问金花了多少`), the villages ranked
   * by the campaign's rate (`哪个村走访最差`), or the visits logged today (`今天走访了谁`).
   */
  view?: TallyView
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
  const m =
    /^(?:(今天|今日|本周|这周|这个星期|本星期))?我(?:(今天|今日|本周|这周|这个星期|本星期))?都?(?:登记|记|录入?|填)了?(?:哪些|几条|多少条?|什么|些什么|几个)?(?:记录)?(?:[吗呢])?$/.exec(
      text,
    )
  if (!m || (!asked && !/哪些|几|多少|什么/.test(text))) return undefined
  const span = m[1] ?? m[2] ?? ''
  return {
    target: '我的记录',
    topic: 'visits',
    subjects: [],
    ...(/周|星期/.test(span) && { week: true }),
  }
}

/** A record being written, never a question: amounts, dates, goods, notes, record numbers. */
const RECORD_LIKE: readonly RegExp[] = [
  /\d+(?:\.\d+)?\s*万?\s*(?:元|块)/,
  /[零〇一二两三四五六七八九十百千万]+\s*(?:元|块钱)/,
  /备注|需求|电话|手机|身份证|人数\s*\d/,
  /\d{1,2}\s*月\s*\d{1,2}\s*[日号]?/,
  /\d{4}-\d{1,2}-\d{1,2}/,
  /(?<![\d.])\d{1,2}\.\d{1,2}(?![\d.])/,
  /[正腊冬]月|初[一二三四五六七八九十]/,
  /[一二两三四五六七八九十\d]+\s*(?:袋|桶|箱|件|斤|壶|盒|床|套|提)/,
  /#\s*\d/,
  // A day or a week is about the asker's own records (我的记录, above), never a tally's.
  /今天|昨天|前天|本周|这周|上周|本月|这个月|上个月|上月/,
]

/** Openings that carry no meaning: `请问`, `帮我查一下`, `你好，`. */
const LEAD_IN =
  /^(?:你好|您好|请问(?:一下|下)?|我?想(?:问|了解|知道)(?:一下|下)?|问(?:一下|下)|(?:帮我|帮忙|麻烦)?(?:查|看(?!望)|统计|汇总)(?:一下|下|查|看)?|那么|那|另外)[\s,，。!]*/

interface Frame {
  asked: boolean
  /** 全年, 一共, 总共: the year's figures, when no occasion is named. */
  wholeYear: boolean
  /** 排名, 最差, 最落后: villages compared. */
  ranking: boolean
  /** 今天: what was logged today (only in a message with no command word). */
  today: boolean
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
  [/全年度?|一年来|这一年|一整年/g, (f) => (f.wholeYear = true)],
  [/还有(?=谁|哪)|还差|还剩|剩下|剩余|漏了|漏掉|遗漏|落下/g, (f) => (f.outstanding = true)],
  [
    /(?:还|尚|仍|都)?(?:没有|没|未)有?被?(走访|慰问|看望|探望|访问|访到|访|去|到|发放|发到|发|领到|领取|领)/g,
    (f, m) => {
      f.outstanding = true
      f.weaklyAsked = true
      if (/发|领/.test(m[1]!)) f.paidVerb = true
      else f.topic ??= 'visits'
    },
  ],
  [/优待金|优待/g, (f) => (f.topic = 'allowance')],
  [/活动/g, (f) => (f.topic ??= 'activity')],
  [/走访|慰问|看望|探望|访问|拜访|已访|访了|走完|访完/g, (f) => (f.topic ??= 'visits')],
  [/发放|发了|发过|发给|发到|已发|发完/g, (f) => (f.paidVerb = true)],
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
    /多少钱|多少户|多少人|多少家|多少次|多少笔|多少场|多少个|多少元|多少|几户|几家|几个|几位|几人|几次|几场|几成|几/g,
    (f) => (f.asked = true),
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
    /完成了吗|完成了没|完成没|完成率|完成情况|完成得怎么样|完成|完了|情况|进度|进展|怎么样|咋样|怎样|如何|覆盖率|比例|百分之几|总数/g,
    (f) => {
      f.asked = true
      f.status = true
    },
  ],
  [/有没有|过没有|过没|过吗|了没有|了没|了吗|是否/g, (f) => (f.asked = true)],
  [/统计|汇总/g, (f) => (f.weaklyAsked = true)],
  [
    /各村|各个村|每个村|每村|分村|全镇|镇里|全乡|全部|所有|各社区|村里|本村|我村|我们村|咱村|咱们村|我负责的村|我们|咱们/g,
    () => undefined,
  ],
  [/义务兵家庭|义务兵家属|义务兵|优抚对象|家庭|户数/g, () => undefined],
  [/开展了?|举办了?|组织了?|举行了?|搞了|办了|开了/g, () => undefined],
  [
    /到目前为止|目前为止|截至目前|截止目前|目前|现在|当前|到现在|为止|已经|一下|还有|都有|的话|以来/g,
    () => undefined,
  ],
]

/** Characters that pad a leftover word (`王建国的`, `给李一`, `还`) without naming anything. */
const EDGE_FILLERS = new Set([
  ...'还有的得地了吗呢啊呀吧么哦都也给是被把跟和与及户人家发访去到已过没未完',
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
  for (let before = ''; before !== rest;) {
    before = rest
    rest = rest.replace(LEAD_IN, '')
  }
  if (rest === '') return undefined
  const own = readOwnRecordsQuestion(rest.replace(/\s+/g, ''), endsWithQuestionMark)
  if (own) return own
  // `今天走访了谁`: today is asked about only where no command word begins the message, so a
  // record line dated 今天 (`走访 张三 今天 八一？`) is still the record, as before.
  let today = false
  if (!startsWithCommand) {
    rest = rest.replace(/(?:今天|今日|当天)(?:上午|中午|下午|晚上)?/g, () => {
      today = true
      return ' '
    })
  }
  if (RECORD_LIKE.some((pattern) => pattern.test(rest))) return undefined

  const frame: Frame = {
    asked: endsWithQuestionMark,
    wholeYear: false,
    ranking: false,
    today,
    logged: false,
    weaklyAsked: false,
    paidVerb: false,
    outstanding: false,
    who: false,
    listAsked: false,
    status: false,
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
    rest = `${rest.slice(0, found.start)} ${rest.slice(found.end)}`
  }
  for (const [pattern, effect] of RULES) {
    rest = rest.replace(pattern, (...args: unknown[]) => {
      // replace() passes the match, its groups, then the offset and the whole string.
      effect(frame, args.slice(0, -2) as string[])
      return ' '
    })
  }
  const asked = frame.asked || (frame.weaklyAsked && !startsWithCommand)
  const about =
    frame.topic || frame.occasion || frame.year || frame.who || frame.status || frame.ranking
  if (!asked || !about) return undefined

  const subjects = rest
    .split(/[\s,，、;；。:：]+/)
    .map(trimFillers)
    .filter((word) => word !== '')
  if (subjects.length > 2 || !subjects.every((word) => SUBJECT.test(word))) return undefined

  const topic = frame.topic ?? (frame.paidVerb ? 'allowance' : 'visits')
  const target = targetOf(frame, topic)
  // Only visits are counted by day: `今天发了几户优待金` is not understood rather than answered
  // with the year's allowance.
  if (frame.today && target === '统计' && topic !== 'visits') return undefined
  const view = target === '统计' && topic === 'visits' ? viewOf(frame) : undefined
  return {
    target,
    topic,
    ...(frame.year !== undefined && { year: frame.year }),
    ...(frame.occasion && { occasion: frame.occasion }),
    subjects,
    ...(view && { view }),
  }
}

/**
 * Which 统计 of visits: today's records when 今天 is asked; villages ranked when compared; the
 * year across its occasions when a year or 全年/一共 is asked without an occasion (`今年走访了多少
 * 户`, `慰问金总共多少钱`); else the campaign (undefined).
 */
function viewOf(frame: Frame): TallyView | undefined {
  if (frame.today) return 'today'
  if (frame.ranking) return 'ranking'
  if (!frame.occasion && (frame.wholeYear || frame.year !== undefined)) return 'year'
  return undefined
}

/** Which list or tally answers: who is still missing is a list, everything else a tally. */
function targetOf(frame: Frame, topic: Question['topic']): QuestionTarget {
  // `铁炉嘴村有哪些优抚对象`, `义务兵家庭名单`: who is on the roster, not who was visited.
  const aboutNothing =
    !frame.topic &&
    !frame.paidVerb &&
    !frame.occasion &&
    !frame.year &&
    !frame.ranking &&
    !frame.today &&
    !frame.logged
  if (aboutNothing && frame.who && !frame.outstanding) return '花名册'
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
