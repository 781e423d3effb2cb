import { formatYuan } from '../parse/amount.js'
import type { Reply } from '../platforms/types.js'
import { HOUSEHOLD_TYPES, standardFenFor } from '../records/schemas.js'
import { partsOf, type LocalDate } from '../time/local-date.js'
import type { RecordServices } from './services.js'
import { lastYearOwedLines } from './last-year-owed.js'
import { allowanceDeadline } from './tally.js'
import { scopeLabel } from './tally-format.js'
import { deadlineStatus } from './tally-query.js'

// `还有多少钱没发`, `优待金还差多少` (docs/intents.md): the allowance still owed in a year, from
// the figures 统计 优待金 reads (TallyReader.readAllowanceTally: the roster's and the year's
// allowance counters), so its cost never grows with the payments.

/**
 * What `year`'s allowance still owes in `villages` (a cadre's own, else every village): the
 * families due and not paid, and what paying them takes at the year's standard (rural and urban
 * apart), then the families paid less than their standard and what they are still owed (统计
 * 优待金's 未发足). Names stay with 未发放.
 */
export async function owedReply(
  services: RecordServices,
  year: number,
  villages: readonly string[] | undefined,
  today: LocalDate,
  asked: {
    /** `发完了吗`: 是 or 否 first. */
    verdict?: boolean
    /** Whether a year was named; without one, from January to March last year's arrears follow. */
    yearNamed?: boolean
  } = {},
): Promise<Reply> {
  const { verdict = false, yearNamed = true } = asked
  const tally = await services.tallies.readAllowanceTally(year, villages, {
    today,
    timezone: services.timezone,
  })
  const { total, standard } = tally
  const deadline = allowanceDeadline(year, tally.deadline)
  const where = scopeLabel(villages)
  const lines = [`${year} 年优待金（${deadlineStatus(deadline, today)}）：`]
  if (total.due === 0 && total.families === 0) {
    lines.push(`${where}没有登记义务兵家庭。`)
    return { text: lines.join('\n') }
  }
  const unpaid = Math.max(0, total.due - total.families)
  const { under } = tally.variance
  const yearWord = year === partsOf(today).year ? '' : ` ${year}`
  if (verdict) lines.push(unpaid === 0 && under.families === 0 ? '已经发完了。' : '还没有发完。')
  if (unpaid === 0) {
    // 已全部发放 beside 还没有发完 read as a contradiction (a tester): one family was short.
    lines.push(`${where}应发 ${total.due} 户，${under.families > 0 ? '都已发放' : '已全部发放'}。`)
  } else {
    lines.push(`${where}应发 ${total.due} 户，已发 ${total.families} 户，未发 ${unpaid} 户。`)
  }
  // Unpaid families by household type, each at its standard; a family with no type has none.
  const byType = HOUSEHOLD_TYPES.map((t) => {
    const f = total.byHouseholdType[t]
    return { type: t, families: Math.max(0, f.due - f.families) }
  }).filter((t) => t.families > 0)
  const untyped = unpaid - byType.reduce((n, t) => n + t.families, 0)
  let owedFen = 0
  if (unpaid > 0 && !standard) {
    lines.push(
      `${year} 年还没有设置标准，金额算不出。`,
      `请管理员「优待金标准 ${year} 农村… 城镇…」。`,
    )
  } else if (unpaid > 0 && standard) {
    const parts = byType.map((t) => {
      const fen = standardFenFor(standard, t.type)
      owedFen += fen * t.families
      return `${t.type} ${t.families} 户 × ${formatYuan(fen)} 元`
    })
    if (standard.mode === 'unified' && untyped > 0) {
      owedFen += standard.fen * untyped
      parts.push(`未填农村/城镇 ${untyped} 户 × ${formatYuan(standard.fen)} 元`)
    }
    // One part a line: a phone's width holds `城镇 5 户 × 8,600 元`, not three of them.
    lines.push(`按标准还需发 ${formatYuan(owedFen)} 元${parts.length > 0 ? '：' : '。'}`, ...parts)
    if (standard.mode === 'split' && untyped > 0) {
      lines.push(`另有 ${untyped} 户未填农村/城镇，金额未计入。`)
    }
  }
  if (under.families > 0) {
    lines.push(
      `${unpaid === 0 ? '其中' : '另有'} ${under.families} 户未发足，尚欠 ${formatYuan(under.fen)} 元。`,
    )
    if (owedFen > 0) lines.push(`合计尚欠 ${formatYuan(owedFen + under.fen)} 元。`)
  }
  if (!tally.variance.complete) lines.push('早先登记的发放待对账后按户核对。')
  if (unpaid > 0 || under.families > 0) lines.push(`回复「未发放${yearWord}」查看名单。`)
  lines.push(...(await lastYearOwedLines(services, villages, today, yearNamed)))
  return { text: lines.join('\n') }
}
