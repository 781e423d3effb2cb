import { formatYuan } from '../parse/amount.js'
import { percent } from '../replies/percent.js'
import { wrapAll } from '../replies/wrap-lines.js'
import type { Reply } from '../platforms/types.js'
import type { CampaignLedger } from '../records/campaign-ledger.js'
import type { GroupStore } from '../records/group-store.js'
import type { RoleStore } from '../records/role-store.js'
import type { Person } from '../records/schemas.js'
import type { TallyReader } from '../records/tally-reader.js'
import type { VisitStore } from '../records/visit-store.js'
import { daysBetween, weekdayName, type LocalDate } from '../time/local-date.js'
import { occasionDay, type Occasion } from './calendar.js'
import type { AllowanceDeadlineSource, CampaignContent, CampaignMessage } from './campaigns.js'
import type { Clock } from '../time/clock.js'
import { privateChatOf } from '../user-key.js'

export interface RecordCampaignContentDeps {
  roles: RoleStore
  tallies: TallyReader
  groups: GroupStore
  visits: VisitStore
  ledger: CampaignLedger
  deadlines: AllowanceDeadlineSource
  now: Clock
}

/** A reminder lists at most this many households; the rest are counted, with 未走访 to see all. */
const LISTED = 30
/** Names in a leader's summary: a line or two; 未发放 has the full list. */
const LISTED_TO_LEADERS = 10

type Outstanding = { village: string; people: Person[] }[]

/**
 * What each recipient of a campaign reminder gets, from the records: a cadre their villages'
 * unvisited households (or unpaid families), a bound village group its village's list, a
 * leader the summary by village. Nobody gets an empty reminder; when everything is done,
 * leaders are told so once per campaign.
 */
export class RecordCampaignContent implements CampaignContent {
  constructor(private readonly deps: RecordCampaignContentDeps) {}

  async messagesFor(
    occasion: Occasion,
    year: number,
    sendOn: LocalDate,
  ): Promise<CampaignMessage[]> {
    const day = occasionDay(occasion, year, await this.deps.deadlines.deadlines())
    const head = heading(occasion, year, day, sendOn)
    const outstanding = await this.outstanding(occasion, year)
    const byVillage = new Map(outstanding.map((o) => [o.village, o.people]))
    const openCases = await this.openCasesByVillage(occasion)
    const messages: CampaignMessage[] = []

    const bindings = await this.deps.roles.all()
    for (const [userKey, binding] of bindings) {
      const chat = privateChatOf(userKey)
      if (!chat) continue
      if (binding.role === 'cadre') {
        const mine = binding.villages.filter((v) => (byVillage.get(v)?.length ?? 0) > 0)
        if (mine.length === 0) continue
        const lists = mine.map((v) => ({ village: v, people: byVillage.get(v)! }))
        const cases = binding.villages.reduce((n, v) => n + (openCases.get(v) ?? 0), 0)
        messages.push({
          target: { kind: 'chat', chat },
          reply: { text: villageReminder(occasion, head, lists) + openCasesLine(cases) },
        })
      }
    }

    for (const [village, binding] of await this.deps.groups.all()) {
      const people = byVillage.get(village)
      if (!people || people.length === 0) continue
      messages.push({
        target: binding.target,
        reply: { text: villageReminder(occasion, head, [{ village, people }]) },
      })
    }

    const allCases = [...openCases.values()].reduce((n, c) => n + c, 0)
    const summary = await this.leaderSummary(occasion, year, head, outstanding, sendOn, allCases)
    if (summary) {
      for (const [userKey, binding] of bindings) {
        const chat = privateChatOf(userKey)
        if (chat && binding.role === 'leader')
          messages.push({ target: { kind: 'chat', chat }, reply: summary })
      }
    }
    return messages
  }

  private async outstanding(occasion: Occasion, year: number): Promise<Outstanding> {
    const people =
      occasion === '优待金截止'
        ? await this.deps.tallies.unpaidFamilies(year)
        : await this.deps.tallies.unvisitedPeople(year, occasion)
    const grouped = new Map<string, Person[]>()
    for (const p of people) grouped.set(p.village, [...(grouped.get(p.village) ?? []), p])
    return [...grouped].map(([village, list]) => ({ village, people: list }))
  }

  private async leaderSummary(
    occasion: Occasion,
    year: number,
    head: string,
    outstanding: Outstanding,
    sendOn: LocalDate,
    openCases: number,
  ): Promise<Reply | undefined> {
    const left = outstanding.reduce((n, o) => n + o.people.length, 0)
    if (left === 0) {
      const first = await this.deps.ledger.claimAnnouncement(
        `${occasion}-${year}-done`,
        this.deps.now(),
      )
      if (!first) return undefined
      const what = occasion === '优待金截止' ? '优待金已全部发放' : `${occasion}走访已全部完成`
      return { text: `${head}\n${year} 年${what}。（${sendOn} 起不再提醒）` }
    }
    const lines = [head]
    if (occasion === '优待金截止') {
      const tally = await this.deps.tallies.readAllowanceTally(year)
      lines.push(
        `应发 ${tally.total.due} 户，已发 ${tally.total.families} 户 ${formatYuan(tally.total.sumFen)} 元；未发 ${left} 户：${byVillageListed(outstanding)}。`,
      )
    } else {
      const tally = await this.deps.tallies.readCampaignTally(year, occasion)
      const { entitled, households, cashFen } = tally.total
      lines.push(
        `全镇应访 ${entitled} 户，已访 ${households} 户（${entitled > 0 ? percent(households, entitled) : '0%'}），慰问金 ${formatYuan(cashFen)} 元。`,
        `未走访 ${left} 户：${outstanding.map((o) => `${o.village} ${o.people.length} 户`).join('、')}。回复「未走访 ${occasion}」查看名单。`,
      )
    }
    // The heading as the cadres' reminders have it; the figures and names wrap to a phone.
    return { text: [head, ...wrapAll(lines.slice(1))].join('\n') + openCasesLine(openCases) }
  }

  /**
   * Open help cases (帮扶) by village, for the visit campaigns' private reminders: a need found
   * on a visit stays on the cadre's mind until it is closed. Counts only: the needs are
   * personal, and group chats get none of them.
   */
  private async openCasesByVillage(occasion: Occasion): Promise<Map<string, number>> {
    const counts = new Map<string, number>()
    if (occasion === '优待金截止') return counts
    for (const visit of await this.deps.visits.openHelpCases()) {
      counts.set(visit.village, (counts.get(visit.village) ?? 0) + 1)
    }
    return counts
  }
}

function heading(occasion: Occasion, year: number, day: LocalDate, sendOn: LocalDate): string {
  const left = daysBetween(sendOn, day)
  const when = `${day.slice(5)} ${weekdayName(day)}`
  if (occasion === '优待金截止')
    return `【优待金发放提醒】${year} 年截止 ${day.slice(5)}（${weekdayName(day)}），还有 ${left} 天。`
  return `【${occasion}走访提醒】距${occasion}还有 ${left} 天（${when}）。`
}

function villageReminder(occasion: Occasion, head: string, lists: Outstanding): string {
  const allowance = occasion === '优待金截止'
  const lines = [head]
  for (const { village, people } of lists) {
    lines.push(`${village}尚有 ${people.length} 户${allowance ? '未发放' : '未走访'}：`)
    people.slice(0, LISTED).forEach((p, i) => {
      lines.push(
        `${i + 1}. ${p.name}（${allowance ? (p.householdType ?? p.category) : p.category}）`,
      )
    })
    if (people.length > LISTED)
      lines.push(`……等 ${people.length} 户，回复「${allowance ? '未发放' : '未走访'}」查看全部。`)
  }
  lines.push(
    allowance ? '发放后回复「发放优待金 姓名 日期」登记。' : '走访后回复「走访 姓名 日期」登记。',
  )
  return lines.join('\n')
}

function openCasesLine(cases: number): string {
  return cases > 0 ? `\n另有待办帮扶 ${cases} 件未办结，回复「待办」查看。` : ''
}

/**
 * `铁炉嘴村 李一、李二；童家坝村 王一`: the first ten names, each village named once, then
 * `等` when there are more (the full list is 未发放's).
 */
function byVillageListed(outstanding: Outstanding): string {
  const groups: string[] = []
  let shown = 0
  for (const { village, people } of outstanding) {
    const names = people.slice(0, LISTED_TO_LEADERS - shown).map((p) => p.name)
    if (names.length === 0) break
    groups.push(`${village} ${names.join('、')}`)
    shown += names.length
  }
  const total = outstanding.reduce((n, o) => n + o.people.length, 0)
  return `${groups.join('；')}${total > shown ? ' 等' : ''}`
}
