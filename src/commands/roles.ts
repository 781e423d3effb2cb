import { ADMIN_ONLY, writeMetaOf, type Command } from '../bot/command.js'
import { roleLabel } from '../bot/dispatch.js'
import { UserFacingError } from '../errors.js'
import { nearestVillages } from '../parse/nearest-village.js'
import { villageBase } from '../parse/village.js'
import { userNameProblem, type Role, type RoleStore } from '../records/role-store.js'
import type { VillageStore } from '../records/village-store.js'
import { registeredVillageOf } from './people.js'
import { isUserKey } from '../user-key.js'

export interface RoleCommandDeps {
  roles: RoleStore
  villages: VillageStore
}

const ROLE_WORDS: Record<string, Role | 'none'> = {
  管理员: 'admin',
  admin: 'admin',
  领导: 'leader',
  镇领导: 'leader',
  leader: 'leader',
  村干部: 'cadre',
  干部: 'cadre',
  专干: 'cadre',
  cadre: 'cadre',
  无: 'none',
  取消: 'none',
  移除: 'none',
}

const USAGE =
  '格式：设置角色 账号 角色 [村名…] [姓名]，如「设置角色 wecom:lisi 村干部 铁炉嘴村 李四」或「设置角色 dingtalk:0123 领导」。角色可为 管理员、领导、村干部、无。'

/** How to write a name, after what was wrong with one. */
const NAME_HOW =
  '姓名请写 2–10 个汉字（少数民族姓名用「·」隔开），放在最后，如「设置角色 wecom:lisi 村干部 铁炉嘴村 李四」或「设置角色 wecom:lisi 领导 姓名 李四」。'

// Words that name a place or everyone, never a person (`设置角色 x 领导 全镇`).
const PLACE_WORD = /(?:村|社区|居委会|镇|乡|街道)$|^(?:全部|所有|全体)/

/** 设置角色: an admin binds a `platform:userId` to a role (and a cadre to villages). */
export function createSetRoleCommand(deps: RoleCommandDeps): Command {
  return {
    name: '设置角色',
    audience: ADMIN_ONLY,
    summary: '给用户设置角色和负责的村',
    example: '设置角色 wecom:lisi 村干部 铁炉嘴村',
    async run({ args, actor, now, message }) {
      const [userKey, roleWord, ...words] = args.split(/[\s,、]+/).filter(Boolean)
      if (!userKey) return { text: await listRoles(deps.roles) }
      if (!roleWord) throw new UserFacingError(USAGE)
      const named = nameIn(words)
      const writeMeta = writeMetaOf({ actor, now, message })
      if (!isUserKey(userKey)) {
        throw new UserFacingError(
          `账号「${userKey}」格式不对，应为 平台:用户ID，如 wecom:lisi、dingtalk:0123。\n${USAGE}`,
        )
      }
      const role = ROLE_WORDS[roleWord.toLowerCase()]
      if (!role) throw new UserFacingError(`不认识角色「${roleWord}」。\n${USAGE}`)
      if (role === 'none') {
        const removed = await deps.roles.remove(userKey, writeMeta)
        return {
          text: removed ? `已取消 ${userKey} 的角色。` : `${userKey} 本来就没有角色，未作改动。`,
        }
      }
      const { villages, name } =
        role === 'cadre'
          ? await villagesAndName(deps.villages, userKey, named)
          : { villages: [], name: named.name ?? trailingName(named.rest) }
      if (role === 'cadre' && villages.length === 0) {
        throw new UserFacingError(
          `村干部需要指定负责的村，如「设置角色 ${userKey} 村干部 铁炉嘴村 童家坝村」。`,
        )
      }
      const stored = await deps.roles.set(
        userKey,
        { role, villages, setBy: actor.key, setAt: now.toISOString(), ...(name && { name }) },
        writeMeta,
      )
      const scope = role === 'cadre' ? `，负责 ${villages.join('、')}` : ''
      return {
        text: `已设置 ${shownUser(userKey, stored.name)} 为${roleLabel(role)}${scope}。`,
      }
    },
  }
}

/** A user as the admin who sets roles reads one: the name, with the account 设置角色 takes. */
function shownUser(userKey: string, name: string | undefined): string {
  return name ? `${name}（${userKey}）` : userKey
}

/** The name `name` typed, checked; throws with how to write one. */
function checkedName(name: string): string {
  const problem = userNameProblem(name)
  if (problem) throw new UserFacingError(`${problem}，未设置。\n${NAME_HOW}`)
  return name
}

/**
 * `姓名 李四` (or `姓名:李四`) among the words after the role: the person's name, kept apart
 * from the village names. Throws when 姓名 has no name after it or not a name (userNameProblem).
 */
function nameIn(words: readonly string[]): { name?: string; rest: string[] } {
  const at = words.findIndex((w) => /^姓名[:：]?/.test(w))
  if (at < 0) return { rest: [...words] }
  const inline = words[at]!.replace(/^姓名[:：]?/, '')
  const name = inline || words[at + 1]
  if (!name) throw new UserFacingError(`「姓名」后面没有写姓名，未设置。\n${NAME_HOW}`)
  const rest = words.filter((_, i) => i !== at && (inline !== '' || i !== at + 1))
  return { name: checkedName(name), rest }
}

/**
 * A leader's or admin's last word, when it is not a place (`全镇`), is their name: checked,
 * so `领导 李|四` is refused rather than stored. Other words after the role are ignored, as
 * they always were (a leader has every village).
 */
function trailingName(words: readonly string[]): string | undefined {
  const last = words.at(-1)
  return last === undefined || PLACE_WORD.test(last) ? undefined : checkedName(last)
}

/**
 * The registered names of the villages a cadre is given (`铁炉嘴` → `铁炉嘴村`), so their scope
 * matches the records, and their name: `姓名 李四`, or a last word that is no registered
 * village, does not end like one and is close to none (`石明` beside 石门村 is asked about,
 * not taken for a name). Never registers a village: an unknown name (`新村` for 新街村) would
 * bind the cadre to a village nobody is in and add one to every report, so it is refused with
 * the nearest registered names (docs/roster.md).
 */
async function villagesAndName(
  store: VillageStore,
  userKey: string,
  named: { name?: string; rest: readonly string[] },
): Promise<{ villages: string[]; name: string | undefined }> {
  const known = await store.listVillages()
  const found: string[] = []
  let name = named.name
  named.rest.forEach((word, i) => {
    const village = registeredVillageOf(word, known)
    if (village) {
      if (!found.includes(village)) found.push(village)
      return
    }
    const last = i === named.rest.length - 1 && name === undefined
    const placeLike = PLACE_WORD.test(word) || nearestVillages(word, known).length > 0
    if (last && found.length > 0 && !placeLike) {
      name = checkedName(word)
      return
    }
    throw new UserFacingError(
      unknownVillageReply(userKey, word, known, last && found.length > 0 && !PLACE_WORD.test(word)),
    )
  })
  return { villages: found, name }
}

/**
 * 设置角色 alone: who has which role, by name where one was given, then how to set one. The
 * accounts stay beside the names: they are what 设置角色 is written with. No phones: bindings
 * hold none.
 */
async function listRoles(roles: RoleStore): Promise<string> {
  const bindings = [...(await roles.all())]
  if (bindings.length === 0) return `还没有设置任何角色。\n${USAGE}`
  const order: readonly Role[] = ['admin', 'leader', 'cadre']
  bindings.sort(
    ([a, x], [b, y]) => order.indexOf(x.role) - order.indexOf(y.role) || a.localeCompare(b),
  )
  const lines = bindings.map(([key, b]) => {
    const who = shownUser(key, b.name)
    const scope = b.role === 'cadre' ? `，${b.villages.join('、')}` : ''
    return `${who} ${roleLabel(b.role)}${scope}`
  })
  return [`已设置角色的有 ${bindings.length} 人：`, ...lines, USAGE].join('\n')
}

function unknownVillageReply(
  userKey: string,
  word: string,
  known: readonly string[],
  mayBeName = false,
): string {
  const refused = `还没有登记「${word}」，未设置。`
  const asName = mayBeName ? `「${word}」如是姓名，请写「姓名 ${word}」。` : ''
  if (known.length === 0) {
    return `${refused}村（社区）随花名册登记：请先「添加对象 姓名 ${word} 类别」，再设置村干部。${asName}`
  }
  const near = nearestVillages(word, known)
  const ambiguous = known.filter((k) => villageBase(k) === villageBase(word))
  const guess = ambiguous.length > 1 ? ambiguous : near
  const hint =
    guess.length > 0
      ? `是不是「${guess.join('」或「')}」？请重发，如「设置角色 ${userKey} 村干部 ${guess[0]}」。`
      : ''
  const list = known.length <= 12 ? `已登记的有：${known.join('、')}。` : ''
  return `${refused}${hint}${list}新村（社区）请先用「添加对象」登记该村的对象。${asName}`
}
