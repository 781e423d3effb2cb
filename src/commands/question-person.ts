import { scopeOf, type CommandContext } from '../bot/command.js'
import { formatYuan } from '../parse/amount.js'
import { wrapAll } from '../replies/wrap-lines.js'
import type { Reply } from '../platforms/types.js'
import { AUTHOR_INDEX_LENGTH } from '../records/record-writer.js'
import type { RoleBinding } from '../records/role-store.js'
import type { Occasion, Person, Visit } from '../records/schemas.js'
import { occasionDay } from '../reminders/calendar.js'
import { addDays, instantAt, localDateOf, partsOf, type LocalDate } from '../time/local-date.js'
import { outsideScopeReply, searchByName, suggestionList, type NameSearch } from './find-people.js'
import { describeCategory } from './people-lookup.js'
import { personCard } from './person-card.js'
import type { RecordServices } from './services.js'
import { mayRead } from './show-record.js'
import { isCampaignOccasion, monthDay, type CampaignChoice } from './tally-query.js'

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
  const found = await searchByName(services, name, village ? [village] : scope)
  if (village || found.kind === 'exact' || found.kind === 'partial') return found
  // Someone of that name outside the cadre's villages is said to be there, as 走访 says it,
  // rather than a namesake of theirs guessed at (王一 → 李一, a tester).
  const outside = await outsideScopeReply(services, name, scope)
  return outside ? { text: outside } : found
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
  // `查一下李书记`: a title, not 李一 or 李二 of the roster.
  if (found.kind !== 'exact' && isTitle(name)) return titleReply(name, await services.roles.all())
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

/** `people` by village in the township's order (villages it does not list last), then number. */
function inTownshipOrder(people: readonly Person[], villageOrder: readonly string[]): Person[] {
  const rank = new Map(villageOrder.map((v, i) => [v, i]))
  const last = villageOrder.length
  return [...people].sort(
    (a, b) => (rank.get(a.village) ?? last) - (rank.get(b.village) ?? last) || a.id - b.id,
  )
}

/** What a campaign question about a name asks: which campaign, in the township's order. */
export interface NamesakesAsked {
  name: string
  campaign: CampaignChoice
  /** Registered villages in the township's order, for the order of the lines. */
  villageOrder: readonly string[]
}

/**
 * How each namesake is told apart in a reply: `铁炉嘴村 张三`, and where one village has two,
 * their category too (`童家坝村 张三（烈士遗属）`); the roster number only when even that is the
 * same. Never the bare `#13`, which reads as a record number.
 */
export function namesakeLabels(people: readonly Person[]): string[] {
  const inVillage = people.map((p) => people.filter((q) => q.village === p.village).length)
  const described = people.map((p, i) =>
    inVillage[i]! > 1
      ? `${p.village} ${p.name}（${describeCategory(p)}）`
      : `${p.village} ${p.name}`,
  )
  return described.map((label, i) =>
    described.indexOf(label) !== described.lastIndexOf(label)
      ? `${label.slice(0, -1)}，对象编号 ${people[i]!.id}）`
      : label,
  )
}

/**
 * `张三走访过吗` with several 张三 the asker may see: one line each with their visits of the
 * campaign asked (or the current one), under a heading naming it: `铁炉嘴村 张三：07-27 已访（#14）`
 * / `童家坝村 张三（在乡复员军人）：未走访`. Visit days come from the campaign's visit-day guard
 * (PeopleStore.historyOf), their record numbers from those days' day sets; a day whose set is not
 * built yet (keys.dayIndexReady) leaves the number out rather than the visit.
 */
export async function namesakesVisitsReply(
  services: RecordServices,
  people: readonly Person[],
  asked: NamesakesAsked,
): Promise<Reply> {
  const { name, campaign, villageOrder } = asked
  const sorted = inTownshipOrder(people, villageOrder).slice(0, LISTED)
  const days = await Promise.all(
    sorted.map(async (p) =>
      (await services.people.historyOf(p.id, campaign.year)).visits
        .filter((v) => v.year === campaign.year && v.occasion === campaign.occasion)
        .map((v) => v.date)
        .sort(),
    ),
  )
  const wanted = [...new Set(days.flat())]
  const onDays = await Promise.all(
    wanted.map((d) =>
      services.tallies.visitsDoneBetween(d, d, [...new Set(sorted.map((p) => p.village))]),
    ),
  )
  const visits = onDays.flatMap((d) => d.records)
  const labels = namesakeLabels(sorted)
  const { occasion } = campaign
  const lines = sorted.map((p, i) => {
    const dates = days[i]!
    // The heading names the campaign: a line with it again would pass a phone's width.
    if (dates.length === 0) return `${labels[i]}：未走访`
    const ids = visits
      .filter(
        (v) => v.personId === p.id && v.campaignYear === campaign.year && v.occasion === occasion,
      )
      .sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id)
      .map((v) => `#${v.id}`)
    const numbers = ids.length > 0 ? `（${ids.join('、')}）` : ''
    return `${labels[i]}：${dates.map(monthDay).join('、')} 已访${numbers}`
  })
  const first = sorted.find((_, i) => days[i]!.length === 0) ?? sorted[0]!
  return {
    text: wrapAll([
      `${campaign.year} ${occasion}走访，有 ${people.length} 位${name}：`,
      ...lines,
      ...(people.length > LISTED ? [`……共 ${people.length} 位，请加村名缩小范围。`] : []),
      `看详情请回复「对象 ${first.village} ${name}」。`,
    ]).join('\n'),
  }
}

/**
 * A title rather than a name: 李书记, 王主任, 村干部, 张镇长. Nobody on the roster is called so
 * (the caller checks), and visits are counted by the household visited, so a title is answered
 * with how to count a cadre's own work, never with roster names that share its surname.
 */
const TITLE = /^(\p{Script=Han}{0,2}?)副?(?:书记|主任|村长|镇长|乡长|干部)$/u

/** Whether `name` is a title (TITLE): `李书记`, `主任`, `村干部`. */
export function isTitle(name: string): boolean {
  return TITLE.test(name)
}

/**
 * `李书记走访了几户`: visits are counted by the person visited, a cadre's by their account.
 * Bindings named with the title's surname (`李明` for 李书记) are offered, as `李明走访了几户`
 * counts what that account logged.
 */
export function titleReply(
  name: string,
  bindings: ReadonlyMap<string, RoleBinding> | undefined,
): Reply {
  const surname = TITLE.exec(name)?.[1] ?? ''
  const cadre =
    surname && !/^[村镇乡]$/.test(surname)
      ? [...(bindings?.values() ?? [])].find((b) => b.name?.startsWith(surname))?.name
      : undefined
  return {
    text: wrapAll([
      `「${name}」是职务，花名册上没有这个人。`,
      '走访按被走访的对象统计，不按走访人。',
      '干部本人回复「我的记录」看自己登记的，',
      '本周的回复「我的记录 本周」。',
      ...(cadre ? [`按登记账号可问「${cadre}走访了几户」。`] : []),
    ]).join('\n'),
  }
}

/** At most this many namesakes get their records in one reply; more are asked to narrow. */
const NAMESAKES_WITH_RECORDS = 5
/** At most this many records a person shows, newest first. */
const RECORD_LINES = 10

/**
 * One person's records of this year and last, newest first, a short line each:
 * `#15 2026-07-27 八一走访 500 元`, `#20 2026-07-20 优待金 5,800 元`. Visit days come from the
 * campaigns' visit-day guards and their records from those days' day sets (a day whose set is
 * not built yet, keys.dayIndexReady, shows the visit without its number); payments from the
 * years' payment lists (PeopleStore.historyOf), so no campaign's list is walked.
 */
async function recordLines(
  services: RecordServices,
  person: Person,
  sinceYear: number,
): Promise<string[]> {
  const history = await services.people.historyOf(person.id, sinceYear)
  const dates = [...new Set(history.visits.map((v) => v.date))]
  const onDays = await Promise.all(
    dates.map((d) => services.tallies.visitsDoneBetween(d, d, [person.village])),
  )
  const visits = onDays.flatMap((d) => d.records).filter((v) => v.personId === person.id)
  const lines: { date: string; id: number; text: string }[] = []
  for (const day of history.visits) {
    const found = visits.filter(
      (v) => v.date === day.date && v.occasion === day.occasion && v.campaignYear === day.year,
    )
    if (found.length === 0) {
      lines.push({ date: day.date, id: 0, text: `${day.date} ${day.occasion}走访` })
      continue
    }
    for (const v of found) {
      const cash = v.cashFen > 0 ? ` ${formatYuan(v.cashFen)} 元` : ''
      lines.push({ date: v.date, id: v.id, text: `#${v.id} ${v.date} ${v.occasion}走访${cash}` })
    }
  }
  for (const p of history.payments) {
    const year = partsOf(p.date).year === p.year ? '' : `（${p.year} 年）`
    lines.push({
      date: p.date,
      id: p.id,
      text: `#${p.id} ${p.date} 优待金 ${formatYuan(p.amountFen)} 元${year}`,
    })
  }
  const unique = new Map(lines.map((l) => [l.text, l]))
  return [...unique.values()]
    .sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id)
    .map((l) => l.text)
}

/**
 * `张三的记录`: the visits and payments of the person `name` names (this year and last), in short
 * lines with their record numbers; namesakes each under their label (namesakeLabels), up to
 * NAMESAKES_WITH_RECORDS, more asked to add the village; a miss offers the near names as 对象
 * does. Within what the asker may see, as 对象 looks people up.
 */
export async function personRecordsReply(
  services: RecordServices,
  name: string,
  village: string | undefined,
  ctx: CommandContext,
): Promise<Reply> {
  const found = await lookUp(services, name, village, ctx)
  if ('text' in found) return found
  const where = whereOf(scopeOf(ctx.actor))
  if (found.kind !== 'exact' && isTitle(name)) return titleReply(name, await services.roles.all())
  if (found.kind === 'none') {
    return { text: `${where}没有找到「${name}」。\n可加村名，如「铁炉嘴村张三的记录」。` }
  }
  const miss = missReply(found, name, where)
  if (miss || found.kind === 'near' || found.kind === 'unscanned') return miss!
  const sinceYear = partsOf(localDateOf(ctx.now, services.timezone)).year - 1
  const people = inTownshipOrder(found.people, await services.villages.listVillages())
  if (people.length > NAMESAKES_WITH_RECORDS) {
    return {
      text: wrapAll([
        `有 ${people.length} 位${found.kind === 'partial' ? `名字含「${name}」的` : name}，请加村名，`,
        `如「${people[0]!.village}${people[0]!.name}的记录」。`,
      ]).join('\n'),
    }
  }
  const labels = namesakeLabels(people)
  const records = await Promise.all(people.map((p) => recordLines(services, p, sinceYear)))
  const one = people.length === 1
  const lines = one
    ? [`${labels[0]}（${describeCategory(people[0]!)}）`]
    : [`${sinceYear} 年以来，有 ${people.length} 位${name}：`]
  for (const [i, own] of records.entries()) {
    if (own.length === 0) {
      lines.push(one ? `${sinceYear} 年以来没有走访和优待金记录。` : `${labels[i]}：没有记录`)
      continue
    }
    lines.push(one ? `${sinceYear} 年以来的记录：` : `${labels[i]}：`)
    lines.push(...own.slice(0, RECORD_LINES))
    if (own.length > RECORD_LINES) lines.push(`……另有 ${own.length - RECORD_LINES} 条更早的。`)
  }
  const shown = records.flat()
  const example = /^#(\d+)/.exec(shown[0] ?? '')?.[1]
  lines.push(
    example
      ? `回复「查看 #${example}」看某条详情。`
      : `登记走访如「走访 ${people[0]!.name} 今天 日常」。`,
  )
  return { text: wrapAll(lines).join('\n') }
}
