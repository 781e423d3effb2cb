import { CADRE_AND_UP, type Command } from '../bot/command.js'
import { nextCampaigns, reminderInstant, type WorkCalendar } from '../reminders/calendar.js'
import type { AllowanceDeadlineSource } from '../reminders/campaigns.js'
import type { ReminderScheduler } from '../reminders/scheduler.js'
import { REPLY_WIDTH, displayWidth } from '../replies/display-width.js'
import { wrapToWidth } from '../replies/wrap-lines.js'
import { localDateOf, weekdayName, zonedParts, type LocalDate } from '../time/local-date.js'

export interface ReminderPlanCommandDeps {
  calendar: WorkCalendar
  deadlines: AllowanceDeadlineSource
  failures: Pick<ReminderScheduler, 'failedDeliveries'>
  /** BOT_TIMEZONE: "today" and the 09:00 send time are in it. */
  timezone: string
}

/** Final failures listed in full; the rest are counted. */
const FAILURES_SHOWN = 5
const REASON_MAX = 60

/**
 * 提醒计划: each campaign's next occurrence with all its reminder dates after the working-day
 * shift (reminders already past are kept and marked 已过, so the whole schedule shows), and
 * the deliveries that finally failed.
 */
export function createReminderPlanCommand(deps: ReminderPlanCommandDeps): Command {
  return {
    name: '提醒计划',
    audience: CADRE_AND_UP,
    summary: '查看八一、春节、元旦、优待金截止的提醒日期和投递失败',
    example: '提醒计划',
    async run({ now }) {
      const today = localDateOf(now, deps.timezone)
      const deadlines = await deps.deadlines.deadlines()
      const lines = [
        `提醒计划（今天 ${today}）：`,
        '各提醒当天 09:00 发送，逢休息日提前到前一个工作日。',
      ]
      for (const campaign of nextCampaigns(today, deps.calendar, deadlines)) {
        const dates = campaign.reminders.map((r) => {
          const moved = r.sendOn === r.nominal ? '' : `（原 ${short(r.nominal)}）`
          const past = reminderInstant(r.sendOn, deps.timezone).getTime() <= now.getTime()
          return `${short(r.sendOn)}${moved}${past ? '（已过）' : ''}`
        })
        // The occasion on a line of its own and its dates packed after it, a date never cut
        // from its shift: a phone shows about 40 columns, and a campaign's dates run past 100.
        lines.push(
          `· ${campaign.occasion} ${campaign.day}（${weekdayName(campaign.day)}）：`,
          ...packed(dates),
        )
      }

      // A failure's reason is the vendor's text, quoted whole for whoever retries it: only the
      // plan is wrapped.
      const failures: string[] = []
      const { total, recent } = await deps.failures.failedDeliveries(FAILURES_SHOWN)
      if (total === 0) {
        failures.push('暂无投递失败。')
      } else {
        failures.push(
          `投递失败 ${total} 条${total > recent.length ? `（最近 ${recent.length} 条）` : ''}：`,
        )
        for (const f of recent) {
          const when = f.failedAt ? `${clock(f.failedAt, deps.timezone)} ` : ''
          failures.push(`· ${when}${f.subject}：${truncate(f.reason)}`)
        }
        failures.push('管理员可在 /admin/queues 查看详情并重试。')
      }
      return { text: [...lines.flatMap((line) => wrapToWidth(line)), ...failures].join('\n') }
    },
  }
}

/** `items` joined by 、 on as few lines of REPLY_WIDTH as fit them whole. */
function packed(items: readonly string[]): string[] {
  const lines: string[] = []
  for (const item of items) {
    const last = lines.length - 1
    if (last >= 0 && displayWidth(`${lines[last]}、${item}、`) <= REPLY_WIDTH) {
      lines[last] += `、${item}`
    } else {
      if (last >= 0) lines[last] += '、'
      lines.push(item)
    }
  }
  return lines
}

/** `07-16 周五`. */
function short(date: LocalDate): string {
  return `${date.slice(5)} ${weekdayName(date)}`
}

/** `11-28 18:30` in `timezone`. */
function clock(at: Date, timezone: string): string {
  const p = zonedParts(at, timezone)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`
}

function truncate(text: string): string {
  const chars = [...text]
  return chars.length <= REASON_MAX ? text : `${chars.slice(0, REASON_MAX).join('')}…`
}
