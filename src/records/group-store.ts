import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Keys } from './keys.js'
import type { Pii } from './pii.js'
import type { RedisClient } from './redis.js'

/** A push-only group robot's credential, in the clear, as 绑定群 reads it and its client needs it. */
export const groupRobotSchema = z.discriminatedUnion('platform', [
  /** A WeCom group robot (消息推送) by its webhook key. */
  z.object({ platform: z.literal('wecom'), webhookKey: z.string().min(1) }),
  /** A DingTalk custom robot by the access_token of its webhook, and its 加签 secret. */
  z.object({
    platform: z.literal('dingtalk'),
    accessToken: z.string().min(1),
    secret: z.string().optional(),
  }),
])
export type GroupRobot = z.infer<typeof groupRobotSchema>

/**
 * A group robot as stored and as it travels in job data: the credential sealed with
 * SECRET_KEY (anyone holding it can post into the group), and `ref`, a digest that names the
 * robot in rate-limit keys, job ids and logs.
 */
export const sealedRobotSchema = z.object({
  platform: z.enum(['wecom', 'dingtalk']),
  ref: z.string().min(1),
  sealed: z.string().min(1),
})
export type SealedRobot = z.infer<typeof sealedRobotSchema>

const chatTargetSchema = z.object({
  kind: z.literal('chat'),
  chat: z.object({
    platform: z.enum(['wecom', 'dingtalk', 'sandbox']),
    chatId: z.string(),
    isGroup: z.boolean(),
  }),
})

/**
 * Where a village's campaign pushes go: a group chat the app robot is in (DingTalk group,
 * sandbox group), or a push-only group robot (WeCom 消息推送 key, DingTalk custom robot).
 */
export const groupTargetSchema = z.discriminatedUnion('kind', [
  chatTargetSchema,
  z.object({ kind: z.literal('robot'), robot: groupRobotSchema }),
])
export type GroupTarget = z.infer<typeof groupTargetSchema>

/** A target as stored and pushed: a robot's credential sealed. */
export type SealedGroupTarget =
  z.infer<typeof chatTargetSchema> | { kind: 'robot'; robot: SealedRobot }

// Bindings made before credentials were sealed hold the robot in the clear; read both.
const storedTargetSchema = z.discriminatedUnion('kind', [
  chatTargetSchema,
  z.object({ kind: z.literal('robot'), robot: z.union([sealedRobotSchema, groupRobotSchema]) }),
])

const storedBindingSchema = z.object({
  target: storedTargetSchema,
  boundBy: z.string(),
  boundAt: z.string(),
})

export interface GroupBinding<T = GroupTarget> {
  target: T
  boundBy: string
  boundAt: string
}

/**
 * Village → group binding (绑定群). One group per village; a group may serve several villages.
 * Robot credentials are stored sealed and leave the store sealed; only `open` clears them,
 * at the moment of sending.
 */
export class GroupStore {
  constructor(private readonly deps: { redis: RedisClient; keys: Keys; pii: Pii }) {}

  async bind(villages: readonly string[], binding: GroupBinding): Promise<void> {
    const target = groupTargetSchema.parse(binding.target)
    const stored: GroupBinding<SealedGroupTarget> = Object.assign({}, binding, {
      target: target.kind === 'robot' ? { kind: 'robot', robot: this.seal(target.robot) } : target,
    })
    const value = JSON.stringify(stored)
    const { redis, keys } = this.deps
    await redis.hset(keys.groupBindings(), Object.fromEntries(villages.map((v) => [v, value])))
  }

  async unbind(villages: readonly string[]): Promise<number> {
    const { redis, keys } = this.deps
    return redis.hdel(keys.groupBindings(), ...villages)
  }

  /** Every binding by village, robots sealed. A township has tens of villages, a county hundreds. */
  async all(): Promise<Map<string, GroupBinding<SealedGroupTarget>>> {
    const { redis, keys } = this.deps
    const raw = await redis.hgetall(keys.groupBindings())
    return new Map(
      Object.entries(raw).map(([village, json]) => {
        const { target, ...binding } = storedBindingSchema.parse(JSON.parse(json))
        const sealed: SealedGroupTarget =
          target.kind === 'robot' && !('sealed' in target.robot)
            ? { kind: 'robot', robot: this.seal(target.robot) }
            : (target as SealedGroupTarget)
        return [village, Object.assign({}, binding, { target: sealed })]
      }),
    )
  }

  /** Seals a robot's credential for storage and job data. */
  seal(robot: GroupRobot): SealedRobot {
    const credential = robot.platform === 'wecom' ? robot.webhookKey : robot.accessToken
    return {
      platform: robot.platform,
      ref: createHash('sha256').update(credential).digest('hex').slice(0, 16),
      sealed: this.deps.pii.seal('robot', JSON.stringify(robot)),
    }
  }

  /** The clear credential of a sealed robot. Throws when SECRET_KEY changed since it was sealed. */
  open(robot: SealedRobot): GroupRobot {
    const clear = groupRobotSchema.parse(JSON.parse(this.deps.pii.open('robot', robot.sealed)))
    if (clear.platform !== robot.platform) throw new Error('sealed robot platform mismatch')
    return clear
  }
}
