import { defaultCampaign } from '../occasions.js'
import type { Reply } from '../platforms/types.js'
import { campaignWindow } from '../reminders/calendar.js'
import { partsOf, type LocalDate } from '../time/local-date.js'
import type { RecordServices } from './services.js'
import { scopeLabel } from './tally-format.js'

// `我还有什么没办` (docs/intents.md): what the asker's villages still have to do, counted, each
// with the command that lists it: the current campaign's unvisited households, the open 帮扶
// cases (待办) and this year's unpaid allowance families.

/**
 * The work still open in `villages` (a cadre's own, else every village): counts from the
 * campaign and allowance counters and the size of the open help cases' index, so the cost never
 * grows with the records. Names stay with 未走访,
 * 待办 and 未发放, so the reply is fit for a group.
 */
export async function todoReply(
  services: RecordServices,
  villages: readonly string[] | undefined,
  today: LocalDate,
): Promise<Reply> {
  const campaign = defaultCampaign(today)
  const year = partsOf(today).year
  const [tally, open, allowance] = await Promise.all([
    services.tallies.readCampaignTally(campaign.year, campaign.occasion, villages, {
      today,
      timezone: services.timezone,
    }),
    services.visits.countOpenHelpCases(villages),
    services.tallies.readAllowanceTally(year, villages, { today, timezone: services.timezone }),
  ])
  const unvisited = tally.total.entitled - tally.total.households
  const unpaid = allowance.total.due - allowance.total.families
  const lines: string[] = []
  const lists: string[] = []
  if (unvisited > 0) {
    // Before the campaign's 14 days, when it starts, so the count does not read as overdue;
    // said after the count, which keeps the line within REPLY_WIDTH.
    const { start } = campaignWindow(campaign.occasion, campaign.year)
    const { month, day } = partsOf(start)
    lines.push(
      today < start
        ? `${campaign.year} ${campaign.occasion} ${unvisited} 户待走访，${month}月${day}日起`
        : `${campaign.year} ${campaign.occasion}走访尚有 ${unvisited} 户未走访`,
    )
    lists.push('「未走访」')
  }
  if (open > 0) {
    lines.push(`帮扶待办 ${open} 件（私聊查看）`)
    lists.push('「待办」')
  }
  if (unpaid > 0) {
    lines.push(`${year} 年优待金尚有 ${unpaid} 户未发`)
    lists.push('「未发放」')
  }
  const where = scopeLabel(villages)
  if (lines.length === 0) {
    return {
      text: [
        `${where}暂无要办的：`,
        `${campaign.year} ${campaign.occasion}走访已完成，没有帮扶待办，`,
        `${year} 年优待金已发完。`,
      ].join('\n'),
    }
  }
  return {
    text: [
      `${where}还要办的：`,
      ...lines.map((line, i) => `${i + 1}. ${line}`),
      // 查看, not 查看名单: with all three lists named, 查看名单 ran past REPLY_WIDTH.
      `回复${lists.join('')}查看。`,
    ].join('\n'),
  }
}
