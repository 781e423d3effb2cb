import type { RoleStore } from './records/role-store.js'
import type { Visit } from './records/schemas.js'
import { parseUserKey } from './user-key.js'

/**
 * How an account is shown to people (登记人 of a record another logged): the name on its role
 * binding, else its user id without the platform (`li` for `wecom:li`). One read of the
 * binding; a binding that no longer reads, or a read that fails, shows the id: a name is
 * never worth refusing the reply it is part of.
 */
export async function userNameOf(roles: RoleStore, userKey: string): Promise<string> {
  const name = await roles.get(userKey).then(
    (binding) => binding?.name,
    () => undefined,
  )
  return name ?? userIdOf(userKey)
}

/** The user id of `userKey` (`li` for `wecom:li`), or the key itself when it is not one. */
export function userIdOf(userKey: string): string {
  return parseUserKey(userKey)?.userId ?? userKey
}

/**
 * A visit's 走访人 as people read them. Visits logged before names were kept on the bindings
 * stored the account's id as the visitor (`li`); that one is shown as `name`, the name of the
 * account that logged the visit, when it has one. Other visitors are shown as stored.
 */
export function visitorsShown(
  visit: Pick<Visit, 'visitors' | 'createdBy'>,
  name: string | undefined,
): string[] {
  if (name === undefined) return visit.visitors
  const id = userIdOf(visit.createdBy)
  return visit.visitors.map((v) => (v === id ? name : v))
}

/** visitorsShown with the name of the visit's author read from its binding. */
export async function visitorsOf(
  roles: RoleStore,
  visit: Pick<Visit, 'visitors' | 'createdBy'>,
): Promise<string[]> {
  const id = userIdOf(visit.createdBy)
  if (!visit.visitors.includes(id)) return visit.visitors
  return visitorsShown(visit, await userNameOf(roles, visit.createdBy))
}

/**
 * visitorsShown for a list of visits, their authors' names read in one round trip: each
 * visit's 走访人, in the order given.
 */
export async function visitorsOfAll(
  roles: RoleStore,
  visits: readonly Pick<Visit, 'visitors' | 'createdBy'>[],
): Promise<string[][]> {
  const authors = visits.filter((v) => v.visitors.includes(userIdOf(v.createdBy)))
  const names = await roles.namesOf(authors.map((v) => v.createdBy)).catch(() => new Map())
  return visits.map((v) => visitorsShown(v, names.get(v.createdBy)))
}
