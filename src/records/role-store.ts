import { z } from 'zod'
import type { Keys } from './keys.js'
import { readStored } from './read-stored.js'
import type { RedisClient } from './redis.js'

export const ROLES = ['admin', 'leader', 'cadre'] as const
export type Role = (typeof ROLES)[number]

export const roleBindingSchema = z.object({
  role: z.enum(ROLES),
  /** Village names a cadre may read and write; empty for leaders and admins (all villages). */
  villages: z.array(z.string()),
  setBy: z.string(),
  setAt: z.string(),
})
export type RoleBinding = z.infer<typeof roleBindingSchema>

/** Role bindings, keyed by `platform:userId`. */
export class RoleStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The binding, or undefined for none. Throws UnreadableRecordError when it no longer reads. */
  async get(userKey: string): Promise<RoleBinding | undefined> {
    const raw = await this.redis.hget(this.keys.roles(), userKey)
    return raw === null ? undefined : readStored(roleBindingSchema, raw, this.keys.roles(), userKey)
  }

  async set(userKey: string, binding: RoleBinding): Promise<void> {
    await this.redis.hset(
      this.keys.roles(),
      userKey,
      JSON.stringify(roleBindingSchema.parse(binding)),
    )
  }

  async remove(userKey: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.roles(), userKey)) === 1
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
