import { ADMIN_ONLY, writeMetaOf, type Command } from '../bot/command.js'
import { roleLabel } from '../bot/dispatch.js'
import { UserFacingError } from '../errors.js'
import { nearestVillages } from '../parse/nearest-village.js'
import { villageBase } from '../parse/village.js'
import type { Role, RoleStore } from '../records/role-store.js'
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
  '格式：设置角色 账号 角色 [村名…] [姓名 张三]，如「设置角色 wecom:lisi 村干部 铁炉嘴村」或「设置角色 dingtalk:0123 领导」。角色可为 管理员、领导、村干部、无。'

/** 设置角色: an admin binds a `platform:userId` to a role (and a cadre to villages). */
export function createSetRoleCommand(deps: RoleCommandDeps): Command {
  return {
    name: '设置角色',
    audience: ADMIN_ONLY,
    summary: '给用户设置角色和负责的村',
    example: '设置角色 wecom:lisi 村干部 铁炉嘴村',
    async run({ args, actor, now, message }) {
      const [userKey, roleWord, ...words] = args.split(/[\s,、]+/).filter(Boolean)
      const { name, rest } = nameIn(words)
      if (!userKey || !roleWord) throw new UserFacingError(USAGE)
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
      const villages =
        role === 'cadre' ? await registeredVillages(deps.villages, userKey, rest) : []
      if (role === 'cadre' && villages.length === 0) {
        throw new UserFacingError(
          `村干部需要指定负责的村，如「设置角色 ${userKey} 村干部 铁炉嘴村 童家坝村」。`,
        )
      }
      await deps.roles.set(
        userKey,
        { role, villages, setBy: actor.key, setAt: now.toISOString(), ...(name && { name }) },
        writeMeta,
      )
      const scope = role === 'cadre' ? `，负责 ${villages.join('、')}` : ''
      return {
        text: `已设置 ${userKey}${name ? `（${name}）` : ''} 为${roleLabel(role)}${scope}。`,
      }
    },
  }
}

/**
 * `姓名 李四` (or `姓名:李四`) among the words after the role: the person's name, kept apart
 * from the village names. Throws when 姓名 has no name after it or the name is too long.
 */
function nameIn(words: readonly string[]): { name?: string; rest: string[] } {
  const at = words.findIndex((w) => /^姓名[:：]?/.test(w))
  if (at < 0) return { rest: [...words] }
  const inline = words[at]!.replace(/^姓名[:：]?/, '')
  const name = inline || words[at + 1]
  if (!name || name.length > 30) {
    throw new UserFacingError(
      '姓名写在「姓名」后面，30 字以内，如「设置角色 wecom:lisi 领导 姓名 李四」。',
    )
  }
  const rest = words.filter((_, i) => i !== at && (inline !== '' || i !== at + 1))
  return { name, rest }
}

/**
 * The registered names of the villages a cadre is given (`铁炉嘴` → `铁炉嘴村`), so their scope
 * matches the records. Never registers one: an unknown name (`新村` for 新街村) would bind the
 * cadre to a village nobody is in and add one to every report, so it is refused with the
 * nearest registered names (docs/roster.md).
 */
async function registeredVillages(
  store: VillageStore,
  userKey: string,
  words: readonly string[],
): Promise<string[]> {
  const known = await store.listVillages()
  const found: string[] = []
  for (const word of words) {
    const village = registeredVillageOf(word, known)
    if (!village) throw new UserFacingError(unknownVillageReply(userKey, word, known))
    if (!found.includes(village)) found.push(village)
  }
  return found
}

function unknownVillageReply(userKey: string, word: string, known: readonly string[]): string {
  const refused = `还没有登记「${word}」，未设置。`
  if (known.length === 0) {
    return `${refused}村（社区）随花名册登记：请先「添加对象 姓名 ${word} 类别」，再设置村干部。`
  }
  const near = nearestVillages(word, known)
  const ambiguous = known.filter((k) => villageBase(k) === villageBase(word))
  const guess = ambiguous.length > 1 ? ambiguous : near
  const hint =
    guess.length > 0
      ? `是不是「${guess.join('」或「')}」？请重发，如「设置角色 ${userKey} 村干部 ${guess[0]}」。`
      : ''
  const list = known.length <= 12 ? `已登记的有：${known.join('、')}。` : ''
  return `${refused}${hint}${list}新村（社区）请先用「添加对象」登记该村的对象。`
}
