import { z } from 'zod'
import type { Keys } from './keys.js'
import { withStore, type RedisClient } from './redis.js'

/**
 * Where a village's campaign pushes go: a group chat the app robot is in (DingTalk group,
 * sandbox group), or a push-only group robot (WeCom 消息推送 key, DingTalk custom robot).
 * The robot credentials are stored as given: they only allow posting into that one group.
 */
export const groupTargetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('chat'),
    chat: z.object({
      platform: z.enum(['wecom', 'dingtalk', 'sandbox']),
      chatId: z.string(),
      isGroup: z.boolean(),
    }),
  }),
  z.object({
    kind: z.literal('robot'),
    robot: z.discriminatedUnion('platform', [
      z.object({ platform: z.literal('wecom'), webhookKey: z.string().min(1) }),
      z.object({
        platform: z.literal('dingtalk'),
        accessToken: z.string().min(1),
        secret: z.string().optional(),
      }),
    ]),
  }),
])
export type GroupTarget = z.infer<typeof groupTargetSchema>

export const groupBindingSchema = z.object({
  target: groupTargetSchema,
  boundBy: z.string(),
  boundAt: z.string(),
})
export type GroupBinding = z.infer<typeof groupBindingSchema>

/** Village → group binding (绑定群). One group per village; a group may serve several villages. */
export class GroupStore {
  constructor(private readonly deps: { redis: RedisClient; keys: Keys }) {}

  async bind(villages: readonly string[], binding: GroupBinding): Promise<void> {
    const value = JSON.stringify(groupBindingSchema.parse(binding))
    const { redis, keys } = this.deps
    await withStore(() =>
      redis.hset(keys.groupBindings(), Object.fromEntries(villages.map((v) => [v, value]))),
    )
  }

  async unbind(villages: readonly string[]): Promise<number> {
    const { redis, keys } = this.deps
    return withStore(() => redis.hdel(keys.groupBindings(), ...villages))
  }

  /** Every binding by village. A township has tens of villages, a county hundreds. */
  async all(): Promise<Map<string, GroupBinding>> {
    const { redis, keys } = this.deps
    const raw = await withStore(() => redis.hgetall(keys.groupBindings()))
    return new Map(
      Object.entries(raw).map(([village, json]) => [
        village,
        groupBindingSchema.parse(JSON.parse(json)),
      ]),
    )
  }
}
