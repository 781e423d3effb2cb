import { UserFacingError } from '../errors.js'
import { daysBetween, type LocalDate } from '../time/local-date.js'

/**
 * A visit, payment or activity records something done, so it is never dated after today
 * (contract, "Commands"): `走访 … 明天` or a payment dated next January would otherwise count
 * as done. Throws a reply that says why and what to write instead.
 */
export function requireDone(date: LocalDate, today: LocalDate, what: string): void {
  const ahead = daysBetween(today, date)
  if (ahead <= 0) return
  const when = ahead === 1 ? '明天' : ahead === 2 ? '后天' : ` ${ahead} 天后`
  throw new UserFacingError(
    [
      `${date} 是${when}，还没到，${what}未登记。`,
      '已经做过的请写实际日期，如「今天」「昨天」「7月30日」；要提前安排请设提醒，如「提醒 明天上午9点 走访张三」。',
    ].join('\n'),
  )
}
