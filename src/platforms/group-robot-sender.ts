import type { Logger } from '../log.js'
import { DingtalkCustomRobotClient } from './dingtalk/custom-robot.js'
import type { FetchLike, Reply } from './types.js'
import { WecomGroupRobotClient } from './wecom/group-robot.js'
import type { Clock } from '../time/clock.js'

/**
 * A push-only group robot: a WeCom group robot (消息推送) by its webhook key, or a DingTalk
 * custom robot by its webhook access_token and 加签 secret. Like the adapters map, this is
 * where the two platforms' robot clients meet, so nothing else names them.
 */
export type RobotRef =
  | { platform: 'wecom'; webhookKey: string }
  | { platform: 'dingtalk'; accessToken: string; secret?: string }

export interface GroupRobotSenderOptions {
  /** @defaultValue 'https://qyapi.weixin.qq.com' */
  wecomApiBase?: string
  /** @defaultValue 'https://oapi.dingtalk.com' */
  dingtalkOapiBase?: string
  /** @defaultValue globalThis.fetch */
  fetch?: FetchLike
  log: Logger
  now: Clock
}

/**
 * Sends replies through group robots. Robots need no app credentials, so this works whether or
 * not the WeCom app or the DingTalk app robot is configured. Throws what the clients throw:
 * PlatformApiError (permanent when the robot was removed or the sign is wrong) or PlatformHttpError.
 */
export function createGroupRobotSender(options: GroupRobotSenderOptions): {
  send(robot: RobotRef, reply: Reply): Promise<void>
} {
  const log = options.log.child({ logger: 'bot:robots' })
  const wecom = new WecomGroupRobotClient({
    apiBase: options.wecomApiBase,
    fetch: options.fetch,
    log,
  })
  return {
    async send(robot, reply) {
      if (robot.platform === 'wecom') {
        await wecom.send(robot.webhookKey, reply)
        return
      }
      // One client per send: it is a URL and a secret, and a binding may change between sends.
      const client = new DingtalkCustomRobotClient({
        oapiBase: options.dingtalkOapiBase,
        accessToken: robot.accessToken,
        secret: robot.secret,
        fetch: options.fetch,
        log,
        now: options.now,
      })
      await client.send(reply)
    },
  }
}
