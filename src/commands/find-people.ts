import { nearestNames } from '../parse/nearest-village.js'
import type { Person } from '../records/schemas.js'
import type { RecordServices } from './services.js'

/**
 * Above this many people in the asker's villages a partial or mistyped name is not searched
 * by scanning the roster (docs/lookups.md): the reply asks for the full name instead.
 */
export const ROSTER_SCAN_LIMIT = 5000

/** Longer than any stored name (label(30)): no name holds it or is a typo away. */
const LONGEST_NAME = 30

/** What a name look-up found: by the exact name, by part of it, near misses, or too many to scan. */
export type NameSearch =
  | { kind: 'exact'; people: Person[] }
  | { kind: 'partial'; people: Person[] }
  | { kind: 'near'; people: Person[] }
  | { kind: 'none' }
  | { kind: 'unscanned' }

/**
 * Looks `name` up within `scope` (every village when undefined): the exact-name index first
 * (O(namesakes)); only when that misses, the roster of the scope is scanned for names holding
 * `name` (`建国` → 王建国), then for names a typo away (`王建果` → 王建国).
 */
export async function searchByName(
  services: Pick<RecordServices, 'people'>,
  name: string,
  scope: readonly string[] | undefined,
): Promise<NameSearch> {
  const exact = await services.people.findPeopleByName(name, scope)
  if (exact.length > 0) return { kind: 'exact', people: exact }
  return searchRoster(services, name, scope)
}

/**
 * The second half of searchByName, for a caller that has already missed the exact-name index
 * (the record commands' look-up, people-lookup.ts): names holding `name`, else names a typo
 * away, within `scope`; `unscanned` above ROSTER_SCAN_LIMIT people.
 */
export async function searchRoster(
  services: Pick<RecordServices, 'people'>,
  name: string,
  scope: readonly string[] | undefined,
): Promise<Exclude<NameSearch, { kind: 'exact' }>> {
  if ([...name].length > LONGEST_NAME) return { kind: 'none' }
  const roster = await services.people.listPeopleUpTo(ROSTER_SCAN_LIMIT, scope)
  if (!roster) return { kind: 'unscanned' }
  const partial = roster.filter((p) => p.name.includes(name))
  if (partial.length > 0) return { kind: 'partial', people: partial }
  const near = new Set(
    nearestNames(
      name,
      roster.map((p) => p.name),
    ),
  )
  const nearPeople = roster.filter((p) => near.has(p.name))
  return nearPeople.length > 0 ? { kind: 'near', people: nearPeople } : { kind: 'none' }
}

/**
 * `王建国（铁炉嘴村）、王建军（童家坝村）`: who a near miss may have meant. Namesakes of one
 * village are told apart by their category (`张三（童家坝村，烈士遗属）`), since
 * 「张三（童家坝村）、张三（童家坝村）」 names nobody.
 */
export function suggestionList(people: readonly Person[]): string {
  const shown = people.slice(0, 3)
  const places = shown.map((p) => `${p.name}|${p.village}`)
  return shown
    .map((p, i) =>
      places.indexOf(places[i]!) !== places.lastIndexOf(places[i]!)
        ? `${p.name}（${p.village}，${describeCategory(p)}）`
        : `${p.name}（${p.village}）`,
    )
    .join('、')
}

/** The people among records `ids` (absent ids and other kinds left out), by id, in one read. */
export async function peopleById(
  services: Pick<RecordServices, 'records'>,
  ids: readonly (number | undefined)[],
): Promise<Map<number, Person>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== undefined))]
  return new Map(
    (await services.records.getRecords(wanted))
      .filter((p): p is Person => p.kind === 'person')
      .map((p) => [p.id, p]),
  )
}

/** `残疾军人·二等乙级`, `烈士遗属`. */
export function describeCategory(person: Person): string {
  const grade = person.disability?.grade ?? person.disability?.legacyLabel
  return grade ? `${person.category}·${grade}` : person.category
}

/**
 * `赵六在童家坝村，不在您负责的村（铁炉嘴村），不能登记或查看。`: the one answer a cadre gets about
 * someone on the roster only outside their villages, whether they log a record or ask a question.
 */
export function outsideScopeLine(
  name: string,
  people: readonly Pick<Person, 'village'>[],
  scope: readonly string[],
): string {
  const where = [...new Set(people.map((p) => p.village))].join('、')
  return `${name}在${where}，不在您负责的村（${scope.join('、')}），不能登记或查看。`
}

/**
 * outsideScopeLine for `name` when a cadre's search found nobody of that name in `scope` and
 * the roster has them elsewhere; undefined otherwise (no scope: a leader sees everyone).
 */
export async function outsideScopeReply(
  services: RecordServices,
  name: string,
  scope: readonly string[] | undefined,
): Promise<string | undefined> {
  if (!scope) return undefined
  const outside = (await services.people.findPeopleByName(name)).filter(
    (p) => !scope.includes(p.village),
  )
  return outside.length > 0 ? outsideScopeLine(name, outside, scope) : undefined
}
