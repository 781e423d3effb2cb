import { scopeOf, type CommandContext } from '../bot/command.js'
import { formatYuan } from '../parse/amount.js'
import type { Reply } from '../platforms/types.js'
import { AUTHOR_INDEX_LENGTH } from '../records/record-writer.js'
import type { RoleBinding } from '../records/role-store.js'
import type { Occasion, Person, Visit } from '../records/schemas.js'
import { occasionDay } from '../reminders/calendar.js'
import { addDays, instantAt, partsOf, type LocalDate } from '../time/local-date.js'
import { searchByName, suggestionList, type NameSearch } from './find-people.js'
import { describeCategory } from './people-lookup.js'
import { personCard } from './person-card.js'
import type { RecordServices } from './services.js'
import { mayRead } from './show-record.js'
import { isCampaignOccasion } from './tally-query.js'

// A person asked about by name in the asker's words (docs/intents.md): `帮我查一下张伟` (their
// card, as 对象 shows it), `钱七的电话` (the phone, as the card shows it), and `李明走访了几户`
// when 李明 is a cadre (the visits their account logged).

/** People listed at most when a name fits several, as 对象 lists them. */
const LISTED = 20

/** The asker's villages as a reply names a miss in them: `在您负责的村（铁炉嘴村）`. */
function whereOf(scope: readonly string[] | undefined): string {
  return scope ? `在您负责的村（${scope.join('、')}）` : ''
}

/**
 * The people `name` names within what the asker may see (the village written, else their own
 * villages), as 对象 looks them up (find-people.ts): the exact name, else part of one, else a
 * name a typo away. A village outside a cadre's own is refused with 对象's sentence.
 */
async function lookUp(
  services: RecordServices,
  name: string,
  village: string | undefined,
  ctx: CommandContext,
): Promise<NameSearch | Reply> {
  const scope = scopeOf(ctx.actor)
  if (village && scope && !scope.includes(village)) {
    return { text: `${village}不在您负责的村（${scope.join('、')}），不能查看。` }
  }
  return searchByName(services, name, village ? [village] : scope)
}

/** The reply to a search that found nobody to show: near names, or the roster too big to scan. */
function missReply(found: NameSearch, name: string, where: string): Reply | undefined {
  if (found.kind === 'near') {
    return { text: `${where}没有找到「${name}」。您是不是要找 ${suggestionList(found.people)}？` }
  }
  if (found.kind === 'unscanned') {
    return {
      text: `${where}没有叫「${name}」的对象。请写全名，或加村名，如「查一下铁炉嘴村张三」。`,
    }
  }
  return undefined
}

/**
 * `查一下张伟`: the card of the one person `name` names (对象's, masked as 对象 masks it), the
 * people it fits when several (at most LISTED), or the near names. Undefined when it names
 * nobody the asker may see: the question command then says it did not understand, since a
 * word after 查一下 (`查一下天气`) need not be a name at all.
 */
export async function personLookupReply(
  services: RecordServices,
  name: string,
  village: string | undefined,
  ctx: CommandContext,
): Promise<Reply | undefined> {
  const found = await lookUp(services, name, village, ctx)
  if ('text' in found) return found
  if (found.kind === 'none') return undefined
  const miss = missReply(found, name, whereOf(scopeOf(ctx.actor)))
  if (miss || found.kind === 'near' || found.kind === 'unscanned') return miss
  const { people } = found
  const { actor, message, now } = ctx
  if (people.length === 1) {
    const reveal = actor.role === 'admin' && !message.chat.isGroup
    return {
      text: await personCard(services, people[0]!, { reveal, now, inGroup: message.chat.isGroup }),
    }
  }
  const heading =
    found.kind === 'partial'
      ? `名字含「${name}」的有 ${people.length} 位：`
      : `找到 ${people.length} 位：`
  return {
    text: [
      heading,
      ...people
        .slice(0, LISTED)
        .map((p) => `#${p.id} ${p.name} ${p.village} ${describeCategory(p)}`),
      ...(people.length > LISTED ? [`……共 ${people.length} 位，请加村名缩小范围。`] : []),
      '回复「查看 #编号」看某位的详情。',
    ].join('\n'),
  }
}

/**
 * `钱七的电话`: the phone of the people `name` names, as their card shows it: masked (the
 * stored mask), clear only for an administrator in a private chat; one line each.
 */
export async function phoneReply(
  services: RecordServices,
  name: string,
  village: string | undefined,
  ctx: CommandContext,
): Promise<Reply> {
  const found = await lookUp(services, name, village, ctx)
  if ('text' in found) return found
  const where = whereOf(scopeOf(ctx.actor))
  if (found.kind === 'none') {
    return { text: `${where}没有找到「${name}」。\n可加村名，如「铁炉嘴村张三的电话」。` }
  }
  const miss = missReply(found, name, where)
  if (miss || found.kind === 'near' || found.kind === 'unscanned') return miss!
  const people = found.people.slice(0, LISTED)
  const reveal = ctx.actor.role === 'admin' && !ctx.message.chat.isGroup
  const clear = reveal
    ? await Promise.all(people.map((p) => services.people.revealPii(p.id)))
    : people.map(() => undefined)
  const phoneOf = (p: Person, i: number) => clear[i]?.phone ?? p.phoneMasked
  const line = (p: Person, i: number) => {
    const phone = phoneOf(p, i)
    return phone
      ? `${p.name}（${p.village}）电话 ${phone}`
      : `${p.name}（${p.village}）没有登记电话`
  }
  const masked = !reveal && people.some((p) => p.phoneMasked)
  const lines =
    people.length === 1
      ? [`${line(people[0]!, 0)}。`]
      : [
          found.kind === 'partial'
            ? `名字含「${name}」的有 ${found.people.length} 位：`
            : `有 ${found.people.length} 位${name}：`,
          ...people.map((p, i) => `#${p.id} ${line(p, i)}`),
          ...(found.people.length > LISTED ? ['请加村名缩小范围。'] : []),
        ]
  if (masked) lines.push('完整号码请管理员私聊查看。')
  return { text: lines.join('\n') }
}

/** What a cadre's visits add up to: households, visits (units apart) and cash. */
function summary(visits: readonly Visit[]): string {
  const households = new Set(visits.flatMap((v) => (v.personId ? [v.personId] : []))).size
  const units = visits.filter((v) => v.personId === undefined).length
  const cash = visits.reduce((n, v) => n + v.cashFen, 0)
  return `${households} 户 ${visits.length} 次${units > 0 ? `（含单位 ${units} 次）` : ''}，慰问金 ${formatYuan(cash)} 元`
}

/** `村干部（铁炉嘴村）`, `领导`: a binding's role as a reply names it. */
function roleText(binding: RoleBinding): string {
  if (binding.role === 'cadre') {
    return binding.villages.length > 0 ? `村干部，${binding.villages.join('、')}` : '村干部'
  }
  return binding.role === 'leader' ? '领导' : '管理员'
}

/** What a cadre question asks about: a campaign, a year, or both (neither named). */
export interface VisitorPeriod {
  campaign?: { year: number; occasion: Occasion }
  year?: number
}

/**
 * `李明走访了几户`, 李明 being the name on role bindings (`users`, keyed by account): the visits
 * each account logged in the campaign and the year asked, that the asker may read (a cadre:
 * their villages), from the account's capped index of its newest records (keys.recordsBy, the
 * one 我的记录 reads), so the cost is one account's, never the campaign's. When the index is full
 * and its oldest record is inside the period, older ones may have left it: the count is then
 * said as a floor. `alsoFamily`: someone on the roster has the name too.
 */
export async function visitorReply(
  services: RecordServices,
  name: string,
  users: readonly (readonly [string, RoleBinding])[],
  period: VisitorPeriod,
  ctx: CommandContext,
  today: LocalDate,
  alsoFamily: boolean,
): Promise<Reply> {
  const blocks = await Promise.all(
    users.map(async ([userKey, binding]) => {
      const ids = await services.records.idsLoggedBy(userKey)
      const records = await services.records.getRecords([...ids].reverse())
      const visits = records.filter(
        (r): r is Visit =>
          r.kind === 'visit' &&
          r.status === 'active' &&
          r.createdBy === userKey &&
          mayRead(ctx.actor, r),
      )
      const oldest = records.at(-1)
      const full = ids.length >= AUTHOR_INDEX_LENGTH && oldest !== undefined
      // The index holds every record logged after its oldest one: a period whose visits can
      // only have been logged since then is complete.
      const floorSince = (earliest: LocalDate) =>
        full && new Date(oldest.createdAt) >= instantAt(earliest, 0, 0, services.timezone)
      const lines = [`${name}（${roleText(binding)}）登记的走访：`]
      const { campaign, year } = period
      if (campaign) {
        const of = visits.filter(
          (v) => v.campaignYear === campaign.year && v.occasion === campaign.occasion,
        )
        // A campaign's visits are dated within half a year of its day (the season rule).
        const earliest = isCampaignOccasion(campaign.occasion)
          ? addDays(occasionDay(campaign.occasion, campaign.year), -183)
          : `${campaign.year}-01-01`
        const floor = floorSince(earliest) ? '至少 ' : ''
        lines.push(
          of.length > 0
            ? `${campaign.year} ${campaign.occasion}：${floor}${summary(of)}`
            : `${campaign.year} ${campaign.occasion}：没有登记走访`,
        )
      }
      if (year !== undefined) {
        const of = visits.filter((v) => partsOf(v.date).year === year)
        const floor = floorSince(`${year}-01-01`) ? '至少 ' : ''
        lines.push(
          of.length > 0 ? `${year} 年：${floor}${summary(of)}` : `${year} 年：没有登记走访`,
        )
      }
      if (full) lines.push(`（只查其最近 ${AUTHOR_INDEX_LENGTH} 条登记）`)
      if (year !== undefined) lines.push('年份按走访日期。')
      return lines
    }),
  )
  const scope = scopeOf(ctx.actor)
  const tail = [
    ...(scope ? [`只计您负责的村（${scope.join('、')}）的。`] : []),
    ...(alsoFamily ? [`花名册上也有${name}，回复「对象 ${name}」查看。`] : []),
  ]
  return { text: [...blocks.flat(), ...tail].join('\n') }
}
