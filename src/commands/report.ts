import { LEADER_AND_UP, type Command } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { formatYuan } from '../parse/amount.js'
import { YEAR_WORD_SOURCE, yearOfWord } from '../parse/year-word.js'
import {
  CAMPAIGN_OCCASIONS,
  CATEGORIES,
  CONSCRIPT_FAMILY,
  HOUSEHOLD_TYPES,
  OCCASIONS,
  SITE_KINDS,
  TOWNSHIP,
  standardFenFor,
  type ActivityKind,
} from '../records/schemas.js'
import type { AllowanceTally, CampaignTally } from '../records/tally-reader.js'
import { wrapAll } from '../replies/wrap-lines.js'

export { allowanceVariance }
import { partsOf, type LocalDate } from '../time/local-date.js'
import type { RecordServices } from './services.js'
import {
  allowanceVariance,
  readPaymentsBeyondFirst,
  yearOnYear,
  type PaymentsBeyondFirst,
} from './tally.js'
import { percent } from './tally-format.js'
import { localToday, monthDay } from './tally-query.js'
import { nextYearNotes } from './tally-views.js'

const NUMERALS = [
  '一',
  '二',
  '三',
  '四',
  '五',
  '六',
  '七',
  '八',
  '九',
  '十',
  '十一',
  '十二',
  '十三',
  '十四',
  '十五',
  '十六',
]

const count = (n: number) => n.toLocaleString('en-US')

/**
 * `石桥镇 2026 年双拥工作数据`: a space on each side of the year, as every figure in 年报 has
 * (`走访慰问 2 户`, `2027 年还没有开始`).
 */
function heading(townshipName: string | undefined, year: number): string {
  return `${townshipName ? `${townshipName} ` : ''}${year} 年双拥工作数据`
}

function visitLine(tally: CampaignTally): string {
  const f = tally.total
  if (f.visits === 0) return '无走访记录'
  const goods = [...tally.goods]
    .sort((a, b) => b.quantity - a.quantity)
    .map((g) => `${g.name}${count(g.quantity)}${g.unit}`)
  // Only a campaign has a due set: a 日常 visit is owed to no one, so a share of 应访 would
  // read as a shortfall that is none.
  const due = CAMPAIGN_OCCASIONS.has(tally.occasion)
    ? `（应访 ${count(f.entitled)} 户，${percent(f.households, f.entitled)}）`
    : ''
  return [
    `走访慰问 ${count(f.households)} 户${due}`,
    `共 ${count(f.visits)} 次${f.unitVisits > 0 ? `（含驻地部队等单位 ${count(f.unitVisits)} 次）` : ''}`,
    `慰问金 ${formatYuan(f.cashFen)} 元`,
    ...(goods.length > 0
      ? [`物品 ${goods.slice(0, 4).join('、')}${goods.length > 4 ? '等' : ''}`]
      : []),
  ].join('，')
}

/**
 * `农村 2 户 11,900 元，标准 5,800 元；城镇 2 户 16,600 元，标准 8,600 元`: the year's payments
 * by household type with the standard each family is compared with, so the reader can redo
 * the sum with allowanceVariance (2 × 5,800 + 300 = 11,900).
 */
function byHouseholdType(tally: AllowanceTally): string {
  const { standard, total } = tally
  return HOUSEHOLD_TYPES.filter((t) => {
    const f = total.byHouseholdType[t]
    return f.families > 0 || f.sumFen > 0
  })
    .map((t) => {
      const f = total.byHouseholdType[t]
      const at =
        standard?.mode === 'split' ? `，标准 ${formatYuan(standardFenFor(standard, t))} 元` : ''
      return `${t} ${count(f.families)} 户 ${formatYuan(f.sumFen)} 元${at}`
    })
    .concat(standard?.mode === 'unified' ? [`标准 ${formatYuan(standard.fen)} 元`] : [])
    .join('；')
}

/**
 * 年报 2026: the year's figures in the order of a 述职报告, each computed from the counters
 * (a few HGETALLs whatever the number of records; for a past year, the line on next year's
 * 元旦 and 春节 visits made in it reads those two campaigns' visits), in 元 only, and each naming the command
 * whose output lets a reader check it line by line.
 */
export function createYearReportCommand(
  services: RecordServices,
  /** TOWNSHIP_NAME, at the head of the report. */
  townshipName?: string,
): Command {
  return {
    name: '年报',
    aliases: ['年度报告', '述职数据'],
    wordFirst: reportWordFirst,
    audience: LEADER_AND_UP,
    summary: '全年双拥工作数据，按述职报告顺序',
    example: '年报 2026',
    async run({ args, now }) {
      const today = localToday(now, services.timezone)
      const asOf = { today, timezone: services.timezone }
      const thisYear = partsOf(today).year
      const named = reportYearOf(args.trim(), thisYear)
      if (named === null) throw new UserFacingError('请写上年份，如「年报 2026」。')
      // In January the report being written is last year's (述职报告 are due then).
      const defaulted = named === undefined && partsOf(today).month === 1
      const year = named ?? (defaulted ? thisYear - 1 : thisYear)
      if (year < 2000 || year > 2100) throw new UserFacingError('年份不对，请写如「年报 2026」。')
      if (year > partsOf(today).year) return notBegunReply(services, year, today, townshipName)

      const { tallies } = services
      const [ahead, roster, activities, allowance, previous, open, ...campaigns] =
        await Promise.all([
          // Next year's 元旦 and 春节 visits made this year: counters, or for a past year those
          // two campaigns' visits read (the one line not from counters alone).
          nextYearNotes(services, year, undefined, today),
          tallies.readRosterCounts(),
          tallies.readActivityTally(year),
          tallies.readAllowanceTally(year, undefined, asOf),
          tallies.readAllowanceTally(year - 1, undefined, asOf),
          // 待办's own count (the open cases' index, no record read), so the two agree.
          services.visits.countOpenHelpCases(),
          ...OCCASIONS.map((o) =>
            tallies.readCampaignTally(year, o, undefined, { today, timezone: services.timezone }),
          ),
        ])
      const campaign = (o: (typeof OCCASIONS)[number]) => campaigns[OCCASIONS.indexOf(o)]!
      const kind = (k: ActivityKind) => activities.total.byKind[k]
      const unitVisits = OCCASIONS.reduce((n, o) => n + campaign(o).total.unitVisits, 0)

      // A village registered without people yet is no part of the roster's spread.
      const villages = Object.entries(roster.byVillage).filter(
        ([v, counts]) => v !== TOWNSHIP && counts.total > 0,
      ).length
      const categories = CATEGORIES.filter((c) => roster.byCategory[c] > 0)
        .map((c) => `${c} ${roster.byCategory[c]}`)
        .join('、')
      const conscripts = Object.values(roster.byVillage).reduce(
        (s, v) => ({
          rural: s.rural + v.conscriptsByHouseholdType.农村,
          urban: s.urban + v.conscriptsByHouseholdType.城镇,
        }),
        { rural: 0, urban: 0 },
      )
      // Families the roster gives no 农村/城镇: said, so the two add up to the families.
      const untypedConscripts =
        roster.byCategory[CONSCRIPT_FAMILY] - conscripts.rural - conscripts.urban
      const publicity = (['座谈会', '晚会', '表彰会', '慰问团', '军训'] as const).reduce(
        (s, k) => ({ n: s.n + kind(k).activities, people: s.people + kind(k).people }),
        { n: 0, people: 0 },
      )
      // 补发 told from 重复发放 as 统计 优待金 tells them (a read only when the counters show more
      // than one payment to a family).
      const beyondFirst = await readPaymentsBeyondFirst(services, allowance, undefined)
      const allowanceItem = allowanceLine(allowance, previous, beyondFirst)
      const sites = SITE_KINDS.filter((s) => activities.total.sitesByKind[s] > 0)
        .map((s) => `${s} ${activities.total.sitesByKind[s]}`)
        .join('、')
      const siteTotal = SITE_KINDS.reduce((n, s) => n + activities.total.sitesByKind[s], 0)
      const help = helpCaseLine(campaigns, open)
      const hardship = campaign('困难帮扶').total
      const ledger = `核对：「导出 台账 ${year}」`
      // Households summed over the occasions: a family visited at 八一 and 春节 counts twice,
      // hence 户次; the same totals close the ledger's 合计 sheet (各活动合计).
      const yearTotal = campaigns.reduce(
        (s, c) => ({
          households: s.households + c.total.households,
          visits: s.visits + c.total.visits,
          cashFen: s.cashFen + c.total.cashFen,
        }),
        { households: 0, visits: 0, cashFen: 0 },
      )

      const items = [
        `组织与底册：当前在册优抚对象 ${count(roster.total)} 人，分布在 ${villages} 个村（社区）${categories ? `，其中${categories}` : ''}；义务兵家庭 ${count(roster.byCategory[CONSCRIPT_FAMILY])} 户（农村 ${conscripts.rural}、城镇 ${conscripts.urban}${untypedConscripts > 0 ? `、未注明 ${untypedConscripts}` : ''}）。核对：「导出 花名册」`,
        `宣传活动：开展座谈会、晚会、表彰会、慰问团、军训等双拥活动 ${count(publicity.n)} 次，参与 ${count(publicity.people)} 人次。核对：「统计 活动 ${year}」`,
        `八一走访：${visitLine(campaign('八一'))}。${ledger}`,
        `春节走访：${visitLine(campaign('春节'))}。${ledger}`,
        `元旦走访：${visitLine(campaign('元旦'))}。${ledger}`,
        `日常走访：${visitLine(campaign('日常'))}。${ledger}`,
        `全年走访合计（八一、春节、元旦、日常、困难帮扶）：走访慰问 ${count(yearTotal.households)} 户次，共 ${count(yearTotal.visits)} 次，慰问金 ${formatYuan(yearTotal.cashFen)} 元。${ledger}（“合计”表）${ahead.join('')}`,
        allowanceItem,
        `座谈会：${count(kind('座谈会').activities)} 次，${count(kind('座谈会').people)} 人次。`,
        `双拥晚会：${count(kind('晚会').activities)} 场，观众 ${count(kind('晚会').people)} 人次。`,
        `表彰会：${count(kind('表彰会').activities)} 次，${count(kind('表彰会').people)} 人次。`,
        `慰问团：${count(kind('慰问团').activities)} 批次，${count(kind('慰问团').people)} 人次。`,
        `学生军训：${count(kind('军训').people)} 人（${count(kind('军训').activities)} 次）。`,
        // 慰问驻地部队 is a core 双拥 activity (活动 慰问部队 武警中队), not a publicity one.
        // Visits to units (走访 武警中队) are counted under their season above; named here too,
        // or the two items read as contradicting each other (a tester: 十四 said 0 次).
        `慰问驻地部队：${count(kind('慰问部队').activities)} 次${kind('慰问部队').people > 0 ? `，${count(kind('慰问部队').people)} 人次` : ''}${unitVisits > 0 ? `；另有走访驻地部队等单位 ${count(unitVisits)} 次，计入各项走访` : ''}。`,
        `军民共建点：${count(siteTotal)} 个${sites ? `（${sites}）` : ''}。`,
        `帮扶：${help}；困难帮扶走访 ${count(hardship.visits)} 次，慰问金 ${formatYuan(hardship.cashFen)} 元。${ledger}（“发现需求”列）`,
      ]
      const until = year === partsOf(today).year ? `截至 ${monthDay(today)}` : '全年'
      return reportText([
        `${heading(townshipName, year)}（${until}）`,
        '由系统记录计算，金额单位：元。',
        ...items.map((line, i) => `${NUMERALS[i]}、${line}`),
        ...(defaulted ? [`今年的请回复「年报 ${thisYear}」。`] : []),
      ])
    },
  }
}

/** A year before the command word: `2026年年报`, `去年的年报`, `今年年度报告`. */
const YEAR_BEFORE_REPORT = new RegExp(`^(${YEAR_WORD_SOURCE})的?\\s*(?:年报|年度报告)(?=\\s|$)`)

function reportWordFirst(text: string): string | undefined {
  const found = YEAR_BEFORE_REPORT.exec(text)
  return found ? `年报 ${found[1]}${text.slice(found[0].length)}` : undefined
}

/**
 * The year 年报's argument names (`2026`, `2026年度`, `去年`: yearOfWord); undefined when none
 * is written, null when the argument is something else.
 */
function reportYearOf(arg: string, thisYear: number): number | undefined | null {
  return arg === '' ? undefined : (yearOfWord(arg, thisYear) ?? null)
}

/**
 * 年报's lines, each broken at its punctuation or between its words to a phone's width
 * (docs/replies.md), nothing added: a continuation line has no numeral, and the lines joined
 * are the item again.
 */
function reportText(lines: readonly string[]): { text: string } {
  return { text: wrapAll(lines).join('\n') }
}

/**
 * `优待金：应发 10 户，已发 6 户（60%），未发 4 户；发放 40,400 元（农村 4 户 …）…`: 统计 优待金's
 * figures (the same readAllowanceTally: families due, families paid among them, the sum), so
 * 应发 − 已发 = 未发 and 「未发放」 lists exactly those families. Families paid and removed from
 * the roster since are in the sum, not among 已发, as 统计 优待金 says.
 */
function allowanceLine(
  allowance: AllowanceTally,
  previous: AllowanceTally,
  beyondFirst: PaymentsBeyondFirst | undefined,
): string {
  const { total, year } = allowance
  const unpaid = Math.max(0, total.due - total.families)
  const byType = byHouseholdType(allowance)
  const variance = allowanceVariance(allowance, beyondFirst)
  const off =
    allowance.paidOffRoster > 0
      ? `，另有 ${count(allowance.paidOffRoster)} 户发放后移出名册（金额计入，户数不计）`
      : ''
  const check = `核对：「导出 优待金 ${year}」${unpaid > 0 ? `、「未发放 ${year}」` : ''}`
  return [
    `优待金：应发 ${count(total.due)} 户，已发 ${count(total.families)} 户`,
    `（${percent(total.families, total.due)}），未发 ${count(unpaid)} 户；`,
    `发放 ${formatYuan(total.sumFen)} 元${byType ? `（${byType}）` : ''}`,
    `${variance ? `，其中${variance}` : ''}${off}；${yearOnYear(allowance, previous)}。${check}`,
  ].join('')
}

/**
 * `走访中发现困难需求 3 件，已办结 1 件、未办结 2 件（「待办」查看）`: the needs found on the year's
 * visits (its campaigns' counters) and, beside them, 待办's own count (`open`, the open cases'
 * index 待办 lists): the two are one figure when every open case is the year's, and otherwise
 * the line says how many of 待办's are other years' (a 2025 case still open, a need found on a
 * December visit toward next year's 春节), so 年报 and 待办 never disagree without a word.
 */
function helpCaseLine(campaigns: readonly CampaignTally[], open: number): string {
  const needs = campaigns.reduce((n, c) => n + c.total.needs, 0)
  const resolved = campaigns.reduce((n, c) => n + c.total.resolved, 0)
  const pending = needs - resolved
  const found = `走访中发现困难需求 ${count(needs)} 件，已办结 ${count(resolved)} 件、未办结 ${count(pending)} 件`
  if (open === pending) return `${found}（「待办」查看）`
  const others = open - pending
  const why = others > 0 ? `，含其他年度的 ${count(others)} 件` : ''
  return `${found}；「待办」共 ${count(open)} 件${why}`
}

/**
 * 年报 of a year that has not begun (`年报 2027` on 2026-12-01): said plainly, with what there is
 * instead: the visits already counted toward that year (December's toward its 元旦 and 春节, by
 * the season rule) and the needs found on them, in 年报's own words, and this year's 年报.
 */
async function notBegunReply(
  services: RecordServices,
  year: number,
  today: LocalDate,
  townshipName: string | undefined,
): Promise<{ text: string }> {
  const asOf = { today, timezone: services.timezone }
  const campaigns = await Promise.all(
    OCCASIONS.map((o) => services.tallies.readCampaignTally(year, o, undefined, asOf)),
  )
  const current = partsOf(today).year
  const done = campaigns.filter((c) => c.total.visits > 0)
  const sum = (k: 'households' | 'visits' | 'cashFen' | 'needs' | 'resolved') =>
    campaigns.reduce((n, c) => n + c.total[k], 0)
  const needs = sum('needs')
  const resolved = sum('resolved')
  const covers = done.length > 0 ? `（${done.map((c) => c.occasion).join('、')}）` : ''
  const busiest = [...done].sort((a, b) => b.total.visits - a.total.visits)[0]
  return reportText([
    heading(townshipName, year),
    `${year} 年还没有开始（今天是 ${today}），还没有全年数据。`,
    done.length > 0
      ? `已计入 ${year} 年的只有 ${current} 年内登记的${done.map((c) => c.occasion).join('、')}走访：`
      : `还没有计入 ${year} 年的走访：`,
    `一、全年走访合计${covers}：走访慰问 ${count(sum('households'))} 户次，共 ${count(sum('visits'))} 次，慰问金 ${formatYuan(sum('cashFen'))} 元。`,
    `二、帮扶：走访中发现困难需求 ${count(needs)} 件，已办结 ${count(resolved)} 件、未办结 ${count(needs - resolved)} 件。`,
    [
      `${current} 年的数据请回复「年报 ${current}」`,
      busiest ? `，${year} 年的走访请回复「统计 ${year} ${busiest.occasion}」` : '',
      '。',
    ].join(''),
  ])
}
