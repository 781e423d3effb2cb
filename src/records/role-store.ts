import { z } from 'zod'
import type { Keys } from './keys.js'
import { readStored } from './read-stored.js'
import type { RedisClient } from './redis.js'
import { RecordWriter } from './record-writer.js'
import type { WriteMeta } from './schemas.js'
import { WritePlan } from './write-plan.js'

export const ROLES = ['admin', 'leader', 'cadre'] as const
export type Role = (typeof ROLES)[number]

export const roleBindingSchema = z.object({
  role: z.enum(ROLES),
  /** Village names a cadre may read and write; empty for leaders and admins (all villages). */
  villages: z.array(z.string()),
  /**
   * The person's name (`设置角色 … 李四`, `… 姓名 李四`, or the DingTalk nick their messages
   * carry), shown wherever the account would be. Absent on bindings stored before, and on
   * users nobody named. Read as leniently as it was first stored (any 1–30 characters);
   * new names are checked by userNameProblem or platformNameOf before they get here.
   */
  name: z.string().trim().min(1).max(30).optional(),
  setBy: z.string(),
  setAt: z.string(),
})
export type RoleBinding = z.infer<typeof roleBindingSchema>

/** Longest name 设置角色 takes, in characters: a long 少数民族 name still fits. */
export const USER_NAME_MAX = 10
// Han characters, with 「·」 between the parts of a 少数民族 name (阿依古丽·买买提).
const HAN_NAME = /^\p{Script=Han}+(?:·\p{Script=Han}+)*$/u

/**
 * Why `name`, typed by an admin with 设置角色, cannot be a user's name (a sentence without a
 * final stop), or undefined: 2–USER_NAME_MAX Han characters, parts joined by 「·」. Stricter
 * than the stored schema, which also reads the names stored before this check.
 */
export function userNameProblem(name: string): string | undefined {
  const length = [...name].length
  if (length > USER_NAME_MAX) return `姓名有 ${length} 个字，最多 ${USER_NAME_MAX} 个字`
  if (!HAN_NAME.test(name)) {
    const shown = length > 6 ? `${[...name].slice(0, 6).join('')}…` : name
    return `「${shown}」不像姓名：只写汉字`
  }
  if (length < 2) return `姓名「${name}」只有一个字`
  return undefined
}

// A nick a platform sends: letters and digits of any script, spaces and a few marks people
// put in display names (李四-铁炉嘴, Li Si (村委)); nothing invisible, no emoji, no `|` or `:`.
const PLATFORM_NAME = /^[\p{L}\p{M}\p{N}·•.\-_()（） ]+$/u

/**
 * The name a platform gave the sender (DingTalk's senderNick), trimmed, when it can be shown
 * and stored as a user's name (1–20 characters of PLATFORM_NAME); else undefined, and the
 * binding's own name (or the account) is shown instead.
 */
export function platformNameOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  const name = raw.trim()
  const length = [...name].length
  return length >= 1 && length <= 20 && PLATFORM_NAME.test(name) ? name : undefined
}

/**
 * Role bindings, keyed by `platform:userId` (user-key.ts). Setting and removing one is a write
 * like any other: through the write script, with its idempotency key and an audit entry
 * (`role.set`, `role.remove`, record `role|<userKey>`), so who gave whom which role is on record.
 */
export class RoleStore {
  private readonly writer: RecordWriter

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.writer = new RecordWriter({ redis, keys })
  }

  /** The binding, or undefined for none. Throws UnreadableRecordError when it no longer reads. */
  async get(userKey: string): Promise<RoleBinding | undefined> {
    return this.decode(userKey, await this.redis.hget(this.keys.roles(), userKey))
  }

  /**
   * `raw`, read from field `userKey` of keys.roles() by another round trip (the dispatcher's
   * first reads), as `get` would answer it. Throws UnreadableRecordError as `get` does.
   */
  decode(userKey: string, raw: string | null): RoleBinding | undefined {
    return raw === null ? undefined : readStored(roleBindingSchema, raw, this.keys.roles(), userKey)
  }

  /**
   * Binds `userKey` to `binding`. A binding given without a name keeps the name stored (a role
   * changed by 设置角色 without one does not forget who the user is); a name replaces it.
   * Returns the binding as stored.
   */
  async set(userKey: string, binding: RoleBinding, meta: WriteMeta): Promise<RoleBinding> {
    const given = roleBindingSchema.parse(binding)
    let stored = given
    await this.change(
      userKey,
      (before) => {
        const name = given.name ?? this.storedName(userKey, before)
        stored = name === undefined ? given : Object.assign({}, given, { name })
        return JSON.stringify(stored)
      },
      'role.set',
      meta,
    )
    return stored
  }

  /**
   * Gives an existing binding the name `name` (audit action `role.name`), leaving its role
   * and villages as they are now, by compare-and-set. False when the user has no binding, or
   * already that name: nothing is written then.
   */
  async rename(userKey: string, name: string, meta: WriteMeta): Promise<boolean> {
    return this.change(
      userKey,
      (before) => {
        const current = this.decode(userKey, before)
        if (current === undefined || current.name === name) return before ?? undefined
        return JSON.stringify(roleBindingSchema.parse(Object.assign({}, current, { name })))
      },
      'role.name',
      meta,
    )
  }

  /** False when the user had no binding (nothing is written then). */
  async remove(userKey: string, meta: WriteMeta): Promise<boolean> {
    return this.change(userKey, () => undefined, 'role.remove', meta)
  }

  /** The name on the stored binding `raw`; none when it no longer reads (it is replaced). */
  private storedName(userKey: string, raw: string | null): string | undefined {
    try {
      return this.decode(userKey, raw)?.name
    } catch {
      return undefined
    }
  }

  /** Writes what `next` makes of the stored JSON (undefined = delete); false when unchanged. */
  private async change(
    userKey: string,
    next: (before: string | null) => string | undefined,
    action: string,
    meta: WriteMeta,
  ): Promise<boolean> {
    const key = this.keys.roles()
    let changed = false
    await this.writer.write(meta, async () => {
      const before = await this.redis.hget(key, userKey)
      const value = next(before)
      changed = before !== (value ?? null)
      if (!changed) return undefined
      const plan = new WritePlan(0, `role|${userKey}`).requireField(
        key,
        userKey,
        before ?? false,
        'retry',
      )
      if (value === undefined) plan.hdel(key, userKey)
      else plan.hset(key, userKey, value)
      return { plan, action, before: before ?? '', after: value ?? '' }
    })
    return changed
  }

  /**
   * The names on the bindings of `userKeys`, in one HMGET: for lists that show several
   * records' authors. A user without a binding, a name, or a binding that reads, is left out.
   */
  async namesOf(userKeys: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>()
    const unique = [...new Set(userKeys)]
    if (unique.length === 0) return names
    const raws = await this.redis.hmget(this.keys.roles(), ...unique)
    for (const [i, raw] of raws.entries()) {
      if (raw === null) continue
      const parsed = roleBindingSchema.safeParse(parseJson(raw))
      if (parsed.success && parsed.data.name !== undefined) names.set(unique[i]!, parsed.data.name)
    }
    return names
  }

  /**
   * Every binding that reads, for reminders and role listings; one that no longer reads is
   * left out, as `get` treats it as none. A township has tens of users, a county thousands.
   */
  async all(): Promise<Map<string, RoleBinding>> {
    const raw = await this.redis.hgetall(this.keys.roles())
    const bindings = new Map<string, RoleBinding>()
    for (const [userKey, value] of Object.entries(raw)) {
      const parsed = roleBindingSchema.safeParse(parseJson(value))
      if (parsed.success) bindings.set(userKey, parsed.data)
    }
    return bindings
  }
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}
