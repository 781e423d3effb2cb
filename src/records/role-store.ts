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
  /** The person's name (`设置角色 … 姓名 李四`), shown in exports instead of the account. */
  name: z.string().trim().min(1).max(30).optional(),
  setBy: z.string(),
  setAt: z.string(),
})
export type RoleBinding = z.infer<typeof roleBindingSchema>

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

  async set(userKey: string, binding: RoleBinding, meta: WriteMeta): Promise<void> {
    const value = JSON.stringify(roleBindingSchema.parse(binding))
    await this.change(userKey, value, 'role.set', meta)
  }

  /** False when the user had no binding (nothing is written then). */
  async remove(userKey: string, meta: WriteMeta): Promise<boolean> {
    return this.change(userKey, undefined, 'role.remove', meta)
  }

  private async change(
    userKey: string,
    value: string | undefined,
    action: string,
    meta: WriteMeta,
  ): Promise<boolean> {
    const key = this.keys.roles()
    let changed = false
    await this.writer.write(meta, async () => {
      const before = await this.redis.hget(key, userKey)
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
