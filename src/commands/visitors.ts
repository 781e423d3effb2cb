import { UserFacingError } from '../errors.js'

/** A visit record's visitors (schemas.ts visitSchema): at most 20 names of 30 characters. */
export const VISITORS_MAX = 20
export const VISITOR_NAME_MAX = 30
// What a stored label may not hold (schemas.ts label): the key's separators.
const LABEL_SEPARATORS = /[|:]/g

/** A name as a visit record can hold it: the key's separators read as spaces. */
function visitorLabel(name: string): string {
  return name.replace(LABEL_SEPARATORS, ' ').trim()
}

/**
 * A visit's visitors as stored: the first (the sender, or for a 修改 whoever logged it) first,
 * then who went along, each name once.
 */
export function visitorsOfVisit(first: string, along: readonly string[] | undefined): string[] {
  const label = visitorLabel(first).slice(0, VISITOR_NAME_MAX)
  if (along === undefined) return [label]
  return [...new Set([label, ...along])]
}

/**
 * The names written after 走访人 or 陪同 (in a line, or in 修改 #N 陪同 …), as a visit stores
 * them; refused, with the limit said and `outcome` (未登记, 未修改), when one is too long or
 * there are more than a record holds with the first visitor's.
 */
export function visitorsWritten(
  names: readonly string[],
  first: string,
  outcome = '未登记',
): string[] {
  const along: string[] = []
  for (const name of names) {
    const label = visitorLabel(name)
    if (label.length > VISITOR_NAME_MAX) {
      throw new UserFacingError(`走访人姓名请在 ${VISITOR_NAME_MAX} 字以内，${outcome}。`)
    }
    if (label && !along.includes(label)) along.push(label)
  }
  if (visitorsOfVisit(first, along).length > VISITORS_MAX) {
    throw new UserFacingError(`走访人最多 ${VISITORS_MAX} 位（含您），${outcome}。`)
  }
  return along
}
