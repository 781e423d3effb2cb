import { z } from 'zod'
import type { Keys } from './keys.js'
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

  async get(userKey: string): Promise<RoleBinding | undefined> {
    const raw = await this.redis.hget(this.keys.roles(), userKey)
    return raw === null ? undefined : roleBindingSchema.parse(JSON.parse(raw))
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

  /** Every binding, for reminders and role listings. A township has tens of users, a county thousands. */
  async all(): Promise<Map<string, RoleBinding>> {
    const raw = await this.redis.hgetall(this.keys.roles())
    return new Map(Object.entries(raw).map(([k, v]) => [k, roleBindingSchema.parse(JSON.parse(v))]))
  }
}
