import { CADRE_AND_UP, LEADER_AND_UP, type Actor, type Command } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { parseDate } from '../parse/date.js'
import { matchVillage } from '../parse/village.js'
import {
  CATEGORIES,
  DISABILITY_GRADES,
  LEGACY_DISABILITY_LABELS,
  type Category,
  type Person,
  type PersonInput,
} from '../records/schemas.js'
import { describeCategory, scopeOf } from './people-lookup.js'
import type { CommandServices } from './services.js'

// What cadres call the categories in speech and on old rosters.
const CATEGORY_ALIASES: Record<string, Category> = {
  伤残军人: '残疾军人',
  残疾退役军人: '残疾军人',
  烈属: '烈士遗属',
  烈士家属: '烈士遗属',
  因公牺牲遗属: '因公牺牲军人遗属',
  病故遗属: '病故军人遗属',
  带病回乡: '带病回乡退伍军人',
  复员军人: '在乡复员军人',
  参战退役人员: '参战参试退役人员',
  参试退役人员: '参战参试退役人员',
  军属: '现役军人家属',
  现役军属: '现役军人家属',
  义务兵: '义务兵家庭',
  义务兵家属: '义务兵家庭',
  退伍军人: '退役士兵',
  退役军人: '退役士兵',
  离退休干部: '军队离退休干部',
}

const USAGE =
  '格式：添加对象 姓名 村名 类别 [等级] [农村/城镇] [电话…] [身份证…] [入伍日期] [备注…]，如「添加对象 张三 铁炉嘴村 残疾军人 二等乙级 电话13800000000」。'

/**
 * The category a chat word or roster cell names, by its name or a common alias (`烈属` →
 * 烈士遗属); undefined when unknown. The roster import shares it so both accept the same words.
 */
export function categoryOf(word: string): Category | undefined {
  if ((CATEGORIES as readonly string[]).includes(word)) return word as Category
  return CATEGORY_ALIASES[word]
}

/**
 * Reads `张三 铁炉嘴村 残疾军人 二等乙级 电话13800000000 …` into a person. Unknown words are
 * refused rather than dropped, so a typo never silently loses a field.
 */
export function parsePersonLine(
  args: string,
  knownVillages: readonly string[],
  dateOptions: { now: Date; timezone: string },
): PersonInput & { newVillage?: boolean } {
  const noteAt = args.search(/(?:^|\s)备注/)
  const notes =
    noteAt >= 0
      ? args
          .slice(noteAt)
          .replace(/^\s*备注\s*[:：]?\s*/, '')
          .trim()
      : undefined
  const words = (noteAt >= 0 ? args.slice(0, noteAt) : args).split(/[\s,，、;；]+/).filter(Boolean)
  const [name, ...rest] = words
  if (!name) throw new UserFacingError(USAGE)
  const person: Partial<PersonInput> & { newVillage?: boolean } = { name }
  if (notes) person.notes = notes
  for (const word of rest) {
    const phone = /^(?:电话|手机|联系电话)?[:：]?(1\d{10}|0\d{2,3}-?\d{7,8})$/.exec(word)
    const idNumber =
      /^(?:身份证(?:号)?)[:：]?([0-9]{17}[0-9Xx])$/.exec(word) ?? /^([0-9]{17}[0-9Xx])$/.exec(word)
    const enlisted = /^(?:入伍|入伍时间|入伍日期)[:：]?(.+)$/.exec(word)
    const village = matchVillage(word, knownVillages)
    if (phone) person.phone = phone[1]
    else if (idNumber) person.idNumber = idNumber[1]!.toUpperCase()
    else if (village) person.village = village
    else if (/(村|社区)$/.test(word) && !person.village) {
      person.village = word
      person.newVillage = true
    } else if (categoryOf(word)) person.category = categoryOf(word)
    else if ((DISABILITY_GRADES as readonly string[]).includes(word)) {
      person.disability = {
        ...person.disability,
        grade: word as (typeof DISABILITY_GRADES)[number],
      }
    } else if ((LEGACY_DISABILITY_LABELS as readonly string[]).includes(word)) {
      person.disability = {
        ...person.disability,
        legacyLabel: word as (typeof LEGACY_DISABILITY_LABELS)[number],
      }
    } else if (word === '农村' || word === '城镇') person.householdType = word
    else if (word === '3-1' || word === '9-1' || word === '春季' || word === '秋季') {
      person.cohort = word === '春季' ? '3-1' : word === '秋季' ? '9-1' : word
    } else if (enlisted && parseDate(enlisted[1]!, { ...dateOptions, direction: 'past' })) {
      person.enlistedAt = parseDate(enlisted[1]!, { ...dateOptions, direction: 'past' })
    } else {
      throw new UserFacingError(`没看懂「${word}」。${USAGE}`)
    }
  }
  if (!person.village) throw new UserFacingError(`请写上村名（如「铁炉嘴村」）。${USAGE}`)
  if (!person.category) {
    throw new UserFacingError(`请写上类别，如 ${CATEGORIES.slice(0, 6).join('、')} 等。${USAGE}`)
  }
  return person as PersonInput & { newVillage?: boolean }
}

/** 添加对象: an admin or leader adds a person to the roster (and a village new to the bot). */
export function createAddPersonCommand(services: CommandServices): Command {
  return {
    name: '添加对象',
    audience: LEADER_AND_UP,
    summary: '在花名册中添加优抚对象',
    example: '添加对象 张三 铁炉嘴村 残疾军人 二等乙级 电话13800000000',
    async run({ args, actor, now, message }) {
      const known = await services.villages.listVillages()
      const { newVillage, ...input } = parsePersonLine(args, known, {
        now,
        timezone: services.timezone,
      })
      const meta = {
        actor: actor.key,
        at: now,
        idempotencyKey: `${message.platform}:${message.messageId}`,
      }
      if (newVillage) {
        await services.villages.addVillage(input.village, {
          ...meta,
          idempotencyKey: `${meta.idempotencyKey}:village`,
        })
      }
      const { record, created } = await services.people.addPerson(input, meta)
      const extras = [
        record.householdType,
        record.phoneMasked && `电话 ${record.phoneMasked}`,
        record.idNumberMasked && `身份证 ${record.idNumberMasked}`,
        record.enlistedAt && `入伍 ${record.enlistedAt}`,
      ].filter(Boolean)
      return {
        text: [
          `${created ? '已添加' : '此前已添加'} #${record.id}：${record.village} ${record.name}（${describeCategory(record)}）${extras.length ? `，${extras.join('，')}` : ''}`,
          ...(newVillage ? [`新登记村（社区）：${record.village}`] : []),
          `撤销请回复「撤销 #${record.id}」`,
        ].join('\n'),
      }
    },
  }
}

/** 对象: find people by name (or phone / ID number), masked unless an admin asks in private. */
export function createFindPersonCommand(services: CommandServices): Command {
  return {
    name: '对象',
    aliases: ['查询对象', '查对象'],
    audience: CADRE_AND_UP,
    summary: '查询优抚对象（电话、身份证号打码）',
    example: '对象 张三',
    async run({ args, actor, message }) {
      const query = args.trim()
      if (!query) throw new UserFacingError('请写上要查的姓名，如「对象 张三」。')
      const scope = scopeOf(actor)
      const found = await findPeople(services, query, scope)
      if (found.length === 0) {
        const where = scope ? `在您负责的村（${scope.join('、')}）` : ''
        return { text: `${where}没有找到「${query}」。` }
      }
      const reveal = actor.role === 'admin' && !message.chat.isGroup
      const lines = await Promise.all(
        found.slice(0, 20).map((p) => describePerson(services, p, reveal)),
      )
      const more = found.length > 20 ? [`……共 ${found.length} 位，请加村名缩小范围。`] : []
      return { text: [`找到 ${found.length} 位：`, ...lines, ...more].join('\n') }
    },
  }
}

async function findPeople(
  services: CommandServices,
  query: string,
  scope: readonly string[] | undefined,
): Promise<Person[]> {
  const inScope = (p: Person | undefined): p is Person =>
    !!p && (!scope || scope.includes(p.village))
  if (/^[0-9]{17}[0-9Xx]$/.test(query)) {
    return [await services.people.findPersonByIdNumber(query)].filter(inScope)
  }
  if (/^1\d{10}$/.test(query))
    return (await services.people.findPeopleByPhone(query)).filter(inScope)
  const words = query.split(' ')
  const village =
    words.length > 1 ? matchVillage(words[0]!, await services.villages.listVillages()) : undefined
  const name = village ? words.slice(1).join('') : query.replace(/\s+/g, '')
  if (village && scope && !scope.includes(village)) return []
  return services.people.findPeopleByName(name, village ? [village] : scope)
}

async function describePerson(
  services: CommandServices,
  p: Person,
  reveal: boolean,
): Promise<string> {
  const clear = reveal ? await services.people.revealPii(p.id) : undefined
  const phone = clear?.phone ?? p.phoneMasked
  const idNumber = clear?.idNumber ?? p.idNumberMasked
  const parts = [
    `#${p.id} ${p.name} ${p.village} ${describeCategory(p)}`,
    p.householdType,
    phone && `电话 ${phone}`,
    idNumber && `身份证 ${idNumber}`,
    p.notes && `备注 ${p.notes}`,
  ].filter(Boolean)
  return parts.join('，')
}

/** True when `actor` may act on records of `village`. */
export function mayTouchVillage(actor: Actor, village: string): boolean {
  return actor.role !== 'cadre' || actor.villages.includes(village)
}
