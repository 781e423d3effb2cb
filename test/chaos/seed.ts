import type { Clock } from '../../src/time/clock.js'
import { addDays, localDateOf } from '../../src/time/local-date.js'

/**
 * The roster a chaos run files visits against, and the visit lines it sends: every line names
 * a person and a day no other line does, so none is held for 「确认」 as a same-day repeat.
 */

export const CHAOS_VILLAGE = '铁炉嘴村'

// Characters that read as nothing but a name: no numerals, date or amount words (周, 日, 元…).
const SURNAMES = [...'赵钱孙李吴郑王冯陈褚']
const GIVEN = [...'安平和康宁泰顺瑞祥福']
export const CHAOS_PEOPLE = SURNAMES.flatMap((s) => GIVEN.map((g) => `${s}${g}`))

/** Days back from yesterday the lines use; with 100 people that is 9,000 distinct visits. */
const DAYS_BACK = 90

export async function seedRoster(botUrl: string): Promise<void> {
  for (const name of CHAOS_PEOPLE) {
    const reply = await sandboxSay(botUrl, 'admin', `添加对象 ${name} ${CHAOS_VILLAGE} 烈士遗属`)
    if (!/^已添加 #\d+/.test(reply)) {
      throw new Error(`chaos: seeding ${name} answered: ${reply}`)
    }
  }
}

/**
 * `走访 <name> <YYYY-MM-DD> 日常 备注 <tag>`: the occasion is given, so the bot never asks, and
 * the date has its year, so it is never asked about as far back. Yesterday at the latest in the
 * bot's zone, so it is never in the future.
 */
export function visitLines(now: Clock, timezone: string): (tag: string) => string {
  const yesterday = addDays(localDateOf(now(), timezone), -1)
  let next = 0
  return (tag) => {
    const i = next++
    const person = CHAOS_PEOPLE[i % CHAOS_PEOPLE.length]!
    const daysBack = Math.floor(i / CHAOS_PEOPLE.length)
    if (daysBack >= DAYS_BACK) throw new Error('chaos: out of distinct visits; send fewer')
    return `走访 ${person} ${addDays(yesterday, -daysBack)} 日常 备注 ${tag}`
  }
}

export async function sandboxSay(botUrl: string, user: string, text: string): Promise<string> {
  const res = await fetch(`${botUrl}/sandbox/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, text }),
    signal: AbortSignal.timeout(10_000),
  })
  if (res.status !== 200) throw new Error(`chaos: sandbox answered ${res.status} to ${text}`)
  const body = (await res.json()) as { replies: { text: string }[] }
  return body.replies.map((r) => r.text).join('\n')
}
