import type { Actor } from '../bot/command.js'
import { UserFacingError } from '../errors.js'
import { matchVillage } from '../parse/village.js'
import type { PeopleStore } from '../records/people-store.js'
import type { Person } from '../records/schemas.js'
import type { VillageStore } from '../records/village-store.js'

/** Who a record names: one person, several to choose from, or a unit (garrison, 中队…). */
export type Lookup =
  | { kind: 'person'; person: Person }
  | { kind: 'choose'; name: string; candidates: Person[] }
  | { kind: 'unit'; unitName: string }

// Units cadres visit on 八一 rather than households: garrisons, armed police, fire brigades.
const UNIT = /(部队|驻军|中队|大队|支队|总队|营|连|哨所|武警|消防|人武部|军分区|派出所|医院|单位)$/

/** Leaders and admins see every village; a cadre only theirs. */
export function scopeOf(actor: Actor): readonly string[] | undefined {
  return actor.role === 'cadre' ? actor.villages : undefined
}

/**
 * Resolves the words naming whom a record is about (`张三`, `铁炉嘴村 张三`, `武警中队`)
 * within what `actor` may touch. Throws UserFacingError when nobody matches, explaining
 * whether the person exists outside the cadre's villages.
 */
export async function lookUpPerson(
  words: readonly string[],
  actor: Actor,
  deps: { people: PeopleStore; villages: VillageStore },
  options: { allowUnit: boolean },
): Promise<Lookup> {
  const scope = scopeOf(actor)
  // Most lines name no village: the whole text is looked up as a name while the village list
  // loads (one round trip, not two), and looked up again only when a word is a village.
  const [known, unhinted] = await Promise.all([
    deps.villages.listVillages(),
    deps.people.findPeopleByName(words.join(''), scope),
  ])
  let villageHint: string | undefined
  const nameParts: string[] = []
  for (const word of words) {
    const village = matchVillage(word, known)
    if (village && !villageHint) villageHint = village
    else nameParts.push(word)
  }
  const name = nameParts.join('')
  if (!name) throw new UserFacingError('请写上姓名，如「张三」或「铁炉嘴村 张三」。')

  if (villageHint && scope && !scope.includes(villageHint)) {
    throw new UserFacingError(
      `${villageHint}不在您负责的村（${scope.join('、')}），不能登记或查看。`,
    )
  }
  const found = villageHint ? await deps.people.findPeopleByName(name, [villageHint]) : unhinted
  if (found.length === 1) return { kind: 'person', person: found[0]! }
  if (found.length > 1) return { kind: 'choose', name, candidates: found }

  if (options.allowUnit && UNIT.test(name)) return { kind: 'unit', unitName: name }
  if (scope) {
    const elsewhere = await deps.people.findPeopleByName(name)
    if (elsewhere.length > 0) {
      const where = [...new Set(elsewhere.map((p) => p.village))].join('、')
      throw new UserFacingError(
        `${name}在${where}，不在您负责的村（${scope.join('、')}），不能登记或查看。`,
      )
    }
  }
  const place = villageHint ? `${villageHint}的` : ''
  throw new UserFacingError(
    `没有找到${place}「${name}」。请核对姓名（可加村名，如「铁炉嘴村 张三」），或请管理员先「添加对象」。`,
  )
}

/** `1. 张伟 铁炉嘴村 烈士遗属` lines for choosing among namesakes. */
export function candidateList(name: string, candidates: readonly Person[]): string {
  const lines = candidates.map((p, i) => `${i + 1}. ${p.name} ${p.village} ${describeCategory(p)}`)
  return [`有 ${candidates.length} 位${name}，请回复序号：`, ...lines].join('\n')
}

/** Picks a candidate by its number, or narrows by village. Throws with a re-ask otherwise. */
export function chooseCandidate(
  answer: string,
  candidates: readonly Person[],
  villages: readonly string[],
): Person {
  const index = /^\d+$/.test(answer) ? Number(answer) - 1 : -1
  if (index >= 0 && index < candidates.length) return candidates[index]!
  const village = matchVillage(answer, villages)
  const narrowed = village ? candidates.filter((p) => p.village === village) : []
  if (narrowed.length === 1) return narrowed[0]!
  throw new UserFacingError(`请回复 1 到 ${candidates.length} 之间的序号，或村名。`)
}

/** `残疾军人·二等乙级`, `烈士遗属`. */
export function describeCategory(person: Person): string {
  const grade = person.disability?.grade ?? person.disability?.legacyLabel
  return grade ? `${person.category}·${grade}` : person.category
}

/**
 * Records what a look-up found in a form's values: the person, the unit, or the namesakes to
 * choose from (asked next by the form).
 */
export function applyLookup(values: Record<string, unknown>, lookup: Lookup): void {
  delete values.candidates
  if (lookup.kind === 'person') {
    values.personId = lookup.person.id
  } else if (lookup.kind === 'unit') {
    values.unitName = lookup.unitName
  } else {
    values.candidateName = lookup.name
    values.candidates = lookup.candidates.map((p) => p.id)
  }
}
