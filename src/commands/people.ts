import { CADRE_AND_UP, LEADER_AND_UP, type Command } from '../bot/command.js'
import type { FormContext } from '../bot/forms.js'
import { UserFacingError } from '../errors.js'
import { parseDate, todayIn } from '../parse/date.js'
import { nearestVillages } from '../parse/nearest-village.js'
import { looksLikeVillage, matchVillage } from '../parse/village.js'
import { checkIdNumber } from '../records/id-number.js'
import {
  checkChatPhone,
  checkSoldierName,
  nameProblem,
  notesProblem,
} from '../records/person-fields.js'
import {
  CATEGORIES,
  CONSCRIPT_FAMILY,
  DISABILITY_GRADES,
  LEGACY_DISABILITY_LABELS,
  villageNameSchema,
  type Person,
  type PersonInput,
} from '../records/schemas.js'
import {
  outsideScopeLine,
  outsideScopeReply,
  searchByName,
  suggestionList,
  type NameSearch,
} from './find-people.js'
import { personCard } from './person-card.js'
import { PERSON_FORM, idNumberTaken, personDraftValues } from './person-form.js'
import { rosterPage } from './roster-page.js'
import { categoryOf } from './category-words.js'
import { describeCategory, scopeOf, typedFreeText } from './people-lookup.js'
import type { CommandServices } from './services.js'

const USAGE =
  '格式：添加对象 姓名 村名 类别 [等级] [农村/城镇] [电话…] [身份证…] [入伍日期] [义务兵 姓名] [备注…]，如「添加对象 张三 铁炉嘴村 残疾军人 二等乙级 电话13800000000」。'

export { categoryOf }

/** A parsed 添加对象 line; `newVillage` when its village is not registered yet. */
export type PersonLine = PersonInput & { newVillage?: boolean }

/**
 * Reads `张三 铁炉嘴村 残疾军人 二等乙级 电话13800000000 …` into a person. Unknown words are
 * refused rather than dropped, so a typo never silently loses a field. Throws one
 * UserFacingError listing every field that is wrong, each with why and how to write it.
 * `typed` gives the 备注 (the folded tail of `args`) as typed, when it is known.
 */
export function parsePersonLine(
  args: string,
  knownVillages: readonly string[],
  dateOptions: { now: Date; timezone: string },
  typed?: (tail: string) => string | undefined,
): PersonLine {
  const noteAt = args.search(/(?:^|\s)备注/)
  const folded =
    noteAt >= 0
      ? args
          .slice(noteAt)
          .replace(/^\s*备注\s*[:：]?\s*/, '')
          .trim()
      : undefined
  const notes = folded ? (typed?.(folded) ?? folded) : folded
  const words = (noteAt >= 0 ? args.slice(0, noteAt) : args).split(/[\s,，、;；]+/).filter(Boolean)
  const [name, ...rest] = words
  if (!name) throw new UserFacingError(USAGE)
  const today = todayIn(dateOptions.now, dateOptions.timezone) ?? ''
  const problems: string[] = []
  // Problems the field's own sentence does not explain; the reply adds the usage line.
  let needsUsage = false
  const person: Partial<PersonInput> & { newVillage?: boolean } = { name }
  const nameIssue = nameProblem(name)
  if (nameIssue) problems.push(nameIssue)
  if (notes) {
    const notesIssue = notesProblem(notes)
    if (notesIssue) problems.push(notesIssue)
    else person.notes = notes
  }
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!
    const soldier = soldierNameIn(word, rest[i + 1], knownVillages)
    if (soldier) {
      if (soldier.takesNext) i++
      const checked = checkSoldierName(soldier.name)
      if ('problem' in checked) problems.push(checked.problem)
      else person.soldierName = checked.value
      continue
    }
    const phone = phoneAt(rest, i)
    if (phone) {
      i += phone.taken - 1
      const checked = phone.text === '' ? { problem: NO_PHONE_NUMBER } : checkChatPhone(phone.text)
      if ('problem' in checked) problems.push(checked.problem)
      else person.phone = checked.value
      continue
    }
    // A bare long number that is no phone is an ID number, however mistyped.
    const idNumber =
      /^身份证(?:号|号码)?[:：]?(.+)$/.exec(word)?.[1] ?? /^(\d{14,20}[Xx]?)$/.exec(word)?.[1]
    const enlisted = /^(?:入伍|入伍时间|入伍日期)[:：]?(.+)$/.exec(word)
    const village = registeredVillageOf(word, knownVillages)
    if (idNumber !== undefined) {
      const checked = checkIdNumber(idNumber, today)
      if ('problem' in checked) problems.push(`${checked.problem}，请核对`)
      else if (person.idNumber !== undefined && person.idNumber !== checked.value) {
        problems.push(
          twice('身份证号', `…${person.idNumber.slice(-4)}`, `…${checked.value.slice(-4)}`),
        )
      } else person.idNumber = checked.value
    } else if (village && person.village !== undefined && person.village !== village) {
      problems.push(twice('村', person.village, village))
    } else if (village) person.village = village
    else if (
      categoryOf(word) &&
      person.category !== undefined &&
      person.category !== categoryOf(word)
    ) {
      problems.push(twice('类别', person.category, categoryOf(word)!))
    } else if (
      (word === '农村' || word === '城镇') &&
      person.householdType !== undefined &&
      person.householdType !== word
    ) {
      problems.push(twice('户口', person.householdType, word))
    } else if (
      looksLikeVillage(word) &&
      villageNameSchema.safeParse(word).success &&
      !person.village
    ) {
      person.village = word
      person.newVillage = true
    } else if (categoryOf(word)) person.category = categoryOf(word)
    else if (
      (DISABILITY_GRADES as readonly string[]).includes(word) &&
      person.disability?.grade !== undefined &&
      person.disability.grade !== word
    ) {
      problems.push(twice('伤残等级', person.disability.grade, word))
    } else if ((DISABILITY_GRADES as readonly string[]).includes(word)) {
      person.disability = Object.assign({}, person.disability, {
        grade: word as (typeof DISABILITY_GRADES)[number],
      })
    } else if ((LEGACY_DISABILITY_LABELS as readonly string[]).includes(word)) {
      person.disability = Object.assign({}, person.disability, {
        legacyLabel: word as (typeof LEGACY_DISABILITY_LABELS)[number],
      })
    } else if (word === '农村' || word === '城镇') person.householdType = word
    else if (word === '3-1' || word === '9-1' || word === '春季' || word === '秋季') {
      person.cohort = word === '春季' ? '3-1' : word === '秋季' ? '9-1' : word
    } else if (enlisted) {
      const date = parseDate(
        enlisted[1]!,
        Object.assign({}, dateOptions, { direction: 'past' as const }),
      )
      if (!date) problems.push(`入伍日期「${enlisted[1]}」没看懂：请写成「入伍2019-09-01」`)
      else if (date > today) problems.push(`入伍日期 ${date} 在今天之后：请核对`)
      else person.enlistedAt = date
    } else {
      const near = person.village ? [] : nearestVillages(word, knownVillages)
      const soldierHint =
        person.category === CONSCRIPT_FAMILY && /^\p{Script=Han}{2,6}$/u.test(word)
          ? `：义务兵本人的姓名请写「义务兵 ${word}」`
          : ''
      problems.push(
        near.length > 0
          ? `没看懂「${word}」：是不是「${near.join('」或「')}」`
          : `没看懂「${word}」${soldierHint}`,
      )
      needsUsage = true
    }
  }
  if (person.soldierName !== undefined) {
    // A conscript's name belongs only on a conscript family's record; it implies the category.
    if (!person.category) person.category = CONSCRIPT_FAMILY
    else if (person.category !== CONSCRIPT_FAMILY) {
      problems.push(`义务兵姓名只记在义务兵家庭，「${person.category}」不用写`)
    }
  }
  if (!person.village && !problems.some((p) => p.startsWith('没看懂'))) {
    problems.push('请写上村名（如「铁炉嘴村」）')
    needsUsage = true
  }
  if (!person.category) {
    problems.push(`请写上类别，如 ${CATEGORIES.slice(0, 6).join('、')} 等`)
    needsUsage = true
  }
  if (problems.length > 0) throw new UserFacingError(notAdded(problems, needsUsage))
  return person as PersonLine
}

/**
 * `写了两个户口（农村、城镇），请只写一个`: a field given twice with different values, refused as a
 * visit's two amounts are. The last one used to win without a word (a tester's 农村 城镇 stored
 * 城镇, and 户口 cannot be corrected once a payment counts it).
 */
function twice(field: string, first: string, second: string): string {
  return `写了两个${field}（${first}、${second}），请只写一个`
}

// The words that say a phone follows, longest first: `电话 139…`, `手机号：139…`, `联系电话139…`.
const PHONE_LABEL = /^(?:联系电话|电话号码|手机号码|手机号|电话|手机)[:：]?/
// Dashes of every width a phone keyboard offers (‐ ‑ ‒ – — ―, −, ﹘ ﹣ －), read as `-`.
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g
// A word that is (part of) a number as written: digits, dashes, brackets, a leading +.
const PHONE_PART = /^\+?[\d()-]+$/
// A mobile without a word before it: 13900001111, 139-0000-1111, +8613900001111.
const BARE_MOBILE = /^(?:\+86|0086)?-?1\d{2}-?\d{4}-?\d{4}$/
const BARE_LANDLINE = /^0\d{2,3}-?\d{7,8}$/
// Digits alone, as many as a phone has give or take a few: a phone mistyped, said as such.
const BARE_NEAR_PHONE = /^[01]\d{6,12}$/
const NO_PHONE_NUMBER = '电话后面没有号码：如「电话 139-0000-1111」'

/** The digits of a number as written, without a +86 / 0086 in front. */
function phoneDigits(text: string): string {
  return text
    .replace(/[^\d+]/g, '')
    .replace(/^(?:\+86|0086)/, '')
    .replace(/\D/g, '')
}

/**
 * The phone that `words[i]` begins, with how many words it takes: after 电话/手机 (`电话 139 0000
 * 1111`, `电话：＋86 139—0000—1111`), the number may run over several words and be written with
 * spaces, dashes of any width and a +86 or 0086 in front; without the word, a mobile or landline
 * as one word (`139-0000-1111`), a mobile in its three groups (`139 0000 1111`, `+86 139 0000
 * 1111`), or a run of 7–13 digits (a phone mistyped, refused as one). The words after a number
 * are taken only while it is shorter than a mobile's 11 digits. `text` is '' for a 电话 with no
 * number after it.
 */
function phoneAt(words: readonly string[], i: number): { text: string; taken: number } | undefined {
  const word = words[i]!.replace(DASHES, '-')
  const label = PHONE_LABEL.exec(word)
  const text = label ? word.slice(label[0].length) : word
  if (label) {
    return text === '' || PHONE_PART.test(text) ? numberRunning(words, i, text) : { text, taken: 1 }
  }
  if (BARE_MOBILE.test(word) || BARE_LANDLINE.test(word) || BARE_NEAR_PHONE.test(word)) {
    return { text, taken: 1 }
  }
  // `139 0000 1111`, `+86 139 0000 1111`: taken only when the words make a mobile.
  if (!/^(?:\+86|0086|1\d{2})$/.test(word)) return undefined
  const run = numberRunning(words, i, text)
  return run.taken > 1 && /^1\d{10}$/.test(phoneDigits(run.text)) ? run : undefined
}

/**
 * `text` (what `words[i]` gives of a number) with the words after it that go on writing it, while
 * it is shorter than a mobile's 11 digits: `139` `0000` `1111`.
 */
function numberRunning(
  words: readonly string[],
  i: number,
  text: string,
): { text: string; taken: number } {
  let taken = 1
  while (i + taken < words.length && phoneDigits(text).length < 11) {
    const next = words[i + taken]!.replace(DASHES, '-')
    if (!PHONE_PART.test(next)) break
    text += next
    taken++
  }
  return { text, taken }
}

// `义务兵 张小明`, `义务兵张小明`, `义务兵姓名：张小明`: the conscript's own name (issue 13).
const SOLDIER_MARK = /^(?:义务兵姓名|士兵姓名|义务兵)[:：]?/
const OTHER_FIELD_WORDS = new Set<string>([
  ...DISABILITY_GRADES,
  ...LEGACY_DISABILITY_LABELS,
  '农村',
  '城镇',
  '春季',
  '秋季',
])

/**
 * The soldier's name `word` (and maybe the `next` word) gives, or undefined when `word` is
 * something else. A bare `义务兵` is the category's alias unless a name follows it: a word of
 * Chinese characters that is no other field (a village, a category, a grade, 农村/城镇).
 */
function soldierNameIn(
  word: string,
  next: string | undefined,
  known: readonly string[],
): { name: string; takesNext: boolean } | undefined {
  if (categoryOf(word) && word !== '义务兵') return undefined
  const mark = SOLDIER_MARK.exec(word)
  if (!mark) return undefined
  const glued = word.slice(mark[0].length)
  if (glued !== '') return { name: glued, takesNext: false }
  const otherField =
    next === undefined ||
    !!categoryOf(next) ||
    OTHER_FIELD_WORDS.has(next) ||
    !!registeredVillageOf(next, known) ||
    looksLikeVillage(next) ||
    /^(?:电话|手机|身份证|入伍)/.test(next)
  // After an explicit 义务兵姓名 any other word is the name (and checked as one); after a bare
  // 义务兵 only Chinese characters are, so `义务兵 13800000000` stays the category and a phone.
  const explicit = word !== '义务兵'
  if (!otherField && (explicit || /^[\p{Script=Han}·•・.]+$/u.test(next))) {
    return { name: next, takesNext: true }
  }
  // `义务兵` alone is the category; `义务兵姓名` alone lacks its name, which the check says.
  return word === '义务兵' ? undefined : { name: '', takesNext: false }
}

/**
 * The registered village `word` names (`铁炉嘴` → 铁炉嘴村). A full name is taken only as
 * itself: `新街社区` is not 新街村 even though their short names agree.
 */
export function registeredVillageOf(word: string, known: readonly string[]): string | undefined {
  const village = matchVillage(word, known)
  if (village !== undefined && village !== word && /(?:村|社区)$/.test(word)) return undefined
  return village
}

/** `未添加：…。` for one problem, a list for several, then how to write the line if useful. */
function notAdded(problems: readonly string[], withUsage: boolean): string {
  const head =
    problems.length === 1
      ? `未添加：${problems[0]}。`
      : [`未添加，有 ${problems.length} 处要改：`, ...problems.map((p) => `· ${p}`)].join('\n')
  return [head, withUsage ? USAGE : '请改正后重发。'].join('\n')
}

/**
 * 添加对象: an admin or leader adds a person to the roster. A likely second entry of someone
 * (same ID number: refused; same phone, or same name in the village: 「确认」) and a village
 * not registered yet (「确认」, except the township's first) go through the person form.
 */
export function createAddPersonCommand(services: CommandServices): Command {
  return {
    name: '添加对象',
    audience: LEADER_AND_UP,
    summary: '在花名册中添加优抚对象',
    example: '添加对象 张三 铁炉嘴村 残疾军人 二等乙级 电话13800000000',
    async run(ctx) {
      const known = await services.villages.listVillages()
      // The 备注 is stored as typed; everything else is read from the folded text.
      const line = parsePersonLine(
        ctx.args,
        known,
        { now: ctx.now, timezone: services.timezone },
        (tail) => typedFreeText(ctx, tail),
      )
      const { newVillage, ...input } = line
      if (input.idNumber !== undefined) {
        const holder = await services.people.findPersonByIdNumber(input.idNumber)
        if (holder) throw new UserFacingError(idNumberTaken(holder))
      }
      return services
        .forms()
        .start(
          PERSON_FORM,
          personDraftValues(services.people.sealPending(input), newVillage === true),
          ctx as FormContext,
        )
    },
  }
}

/** `铁炉嘴村 2` / `第2页` → the words before the page number, and the page (1 when absent). */
function pageOf(args: string): { rest: string; page: number } {
  const paged = /^(.*?)(?:^|\s+)(?:第\s*)?(\d{1,4})\s*页?$/.exec(args.trim())
  if (!paged) return { rest: args.trim(), page: 1 }
  return { rest: paged[1]!.trim(), page: Math.max(1, Number(paged[2])) }
}

/**
 * 对象: find people by name, part of a name, phone or ID number, or list a village's roster
 * (`对象 铁炉嘴村`). One match shows the person's card (history included); a miss suggests
 * the names a typo away. Masked unless an admin asks in private.
 */
export function createFindPersonCommand(services: CommandServices): Command {
  return {
    name: '对象',
    aliases: ['查询对象', '查对象'],
    audience: CADRE_AND_UP,
    summary: '查询优抚对象：姓名（可只写名）、村名看花名册',
    example: '对象 张三',
    async run({ args, actor, message, now }) {
      const query = args.trim()
      if (!query) {
        throw new UserFacingError(
          '请写上要查的姓名或村名，如「对象 张三」「对象 建国」「对象 铁炉嘴村」。',
        )
      }
      const scope = scopeOf(actor)
      const known = await services.villages.listVillages()
      const { rest, page } = pageOf(query)
      const village = rest && !rest.includes(' ') ? registeredVillageOf(rest, known) : undefined
      if (village) {
        if (scope && !scope.includes(village)) {
          return { text: `${village}不在您负责的村（${scope.join('、')}），不能查看。` }
        }
        const people = await services.people.listPeople({ villages: [village] })
        return {
          text: rosterPage(people, {
            title: `${village}花名册`,
            page,
            nextCommand: `对象 ${village}`,
          }),
        }
      }
      const reveal = actor.role === 'admin' && !message.chat.isGroup
      const where = scope ? `在您负责的村（${scope.join('、')}）` : ''
      const card = (person: Person) =>
        personCard(services, person, { reveal, now, inGroup: message.chat.isGroup })
      // `对象 #4`: the person of that number, as 查看 #4 shows them (a tester's was not found).
      const numbered = /^[#＃](\d{1,12})$/.exec(query)
      if (numbered) {
        const record = await services.records.getRecord(Number(numbered[1]))
        if (record?.kind !== 'person') return { text: `没有找到对象 ${query}，请核对编号。` }
        if (scope && !scope.includes(record.village)) {
          return { text: outsideScopeLine(record.name, [record], scope) }
        }
        return { text: await card(record) }
      }
      // `对象 童家坝村 赵六` from a cadre of 铁炉嘴村: the village is refused, as when alone.
      const words = query.split(' ')
      const written = words.length > 1 ? matchVillage(words[0]!, known) : undefined
      if (written && scope && !scope.includes(written)) {
        return { text: `${written}不在您负责的村（${scope.join('、')}），不能查看。` }
      }
      const found = await findPeople(services, query, scope, known)
      const missed = found.kind === 'none' || found.kind === 'near' || found.kind === 'unscanned'
      const outside = missed ? await outsideScopeReply(services, query, scope) : undefined
      if (outside) return { text: outside }
      // Someone removed from the roster is shown as removed (去世, 迁出), not as nobody found or
      // as a name a typo away: their card says so, with the reason (a tester).
      const removed = missed
        ? (await services.people.findRemovedByName(query.replace(/\s+/g, ''), scope))[0]
        : undefined
      if (removed) return { text: await card(removed) }
      if (found.kind === 'unscanned') {
        return {
          text: `${where}没有叫「${query}」的对象。请写全名，或加村名，如「对象 铁炉嘴村 张三」。`,
        }
      }
      if (found.kind === 'near') {
        return {
          text: `${where}没有找到「${query}」。您是不是要找 ${suggestionList(found.people)}？`,
        }
      }
      if (found.kind === 'none') {
        return {
          text: `${where}没有找到「${query}」。可只写名（如「对象 建国」），或写村名看花名册。`,
        }
      }
      const people = found.people
      if (people.length === 1) {
        return {
          text: await personCard(services, people[0]!, {
            reveal,
            now,
            inGroup: message.chat.isGroup,
          }),
        }
      }
      const lines = people
        .slice(0, 20)
        .map((p) => `#${p.id} ${p.name} ${p.village} ${describeCategory(p)}`)
      const more = people.length > 20 ? [`……共 ${people.length} 位，请加村名缩小范围。`] : []
      const heading =
        found.kind === 'partial'
          ? `名字含「${query}」的有 ${people.length} 位：`
          : `找到 ${people.length} 位：`
      return {
        text: [heading, ...lines, ...more, '回复「查看 #编号」看某位的详情。'].join('\n'),
      }
    },
  }
}

/** 花名册 (名册): the roster of the asker's villages (all for leaders), numbered and paged. */
export function createRosterCommand(services: CommandServices): Command {
  return {
    name: '花名册',
    aliases: ['名册'],
    audience: CADRE_AND_UP,
    summary: '看您负责的村的优抚对象名单',
    example: '花名册',
    async run({ args, actor }) {
      const { rest, page } = pageOf(args)
      const scope = scopeOf(actor)
      const known = await services.villages.listVillages()
      const village = rest ? registeredVillageOf(rest, known) : undefined
      if (rest && !village) {
        throw new UserFacingError(
          `没有「${rest}」这个村（社区）。请写「花名册」或「花名册 铁炉嘴村」。`,
        )
      }
      if (village && scope && !scope.includes(village)) {
        return { text: `${village}不在您负责的村（${scope.join('、')}），不能查看。` }
      }
      const villages = village ? [village] : (scope ?? known)
      if (villages.length === 0) {
        return {
          text: scope
            ? '您还没有负责的村（社区），请管理员用「设置角色」绑定。'
            : '还没有登记任何村（社区），请先「添加对象」。',
        }
      }
      const people = await services.people.listPeople({ villages })
      const title = village
        ? `${village}花名册`
        : scope
          ? `${scope.join('、')}花名册`
          : '全镇花名册'
      const nextCommand = village ? `花名册 ${village}` : '花名册'
      return { text: rosterPage(people, { title, page, nextCommand }) }
    },
  }
}

async function findPeople(
  services: CommandServices,
  query: string,
  scope: readonly string[] | undefined,
  known: readonly string[],
): Promise<NameSearch> {
  const inScope = (p: Person | undefined): p is Person =>
    !!p && (!scope || scope.includes(p.village))
  if (/^[0-9]{17}[0-9Xx]$/.test(query)) {
    const held = [await services.people.findPersonByIdNumber(query)].filter(inScope)
    return held.length > 0 ? { kind: 'exact', people: held } : { kind: 'none' }
  }
  if (/^1\d{10}$/.test(query)) {
    const held = (await services.people.findPeopleByPhone(query)).filter(inScope)
    return held.length > 0 ? { kind: 'exact', people: held } : { kind: 'none' }
  }
  const words = query.split(' ')
  const village = words.length > 1 ? matchVillage(words[0]!, known) : undefined
  const name = village ? words.slice(1).join('') : query.replace(/\s+/g, '')
  if (village && scope && !scope.includes(village)) return { kind: 'none' }
  return searchByName(services, name, village ? [village] : scope)
}
