import type { IncomingMessage, PlatformAdapter, Reply } from '../platforms/types.js'
import { userKeyOf } from '../user-key.js'

/** What the sandbox route asks before dispatching: may this sender become the first admin? */
export interface FirstUserClaim {
  /** True when `userKey` has just been made administrator (FirstAdmin.claim). */
  claim(userKey: string, at: Date): Promise<boolean>
}

/** The first reply of the first user; the demo command word is the one registry.ts registers. */
export function firstUserWelcome(userKey: string): Reply {
  return {
    text: [
      `您是第一位用户，已设为管理员（${userKey}）。`,
      '想先看看效果：回复「载入示范数据」',
      '（或点上方按钮），载入一个示范镇：',
      '8 个村、1 个社区、77 位优抚对象，',
      '还有领导和村干部账号可切换。',
    ].join('\n'),
  }
}

/**
 * The sandbox adapter with the first-minute rule in front (docs/first-minute.md): the role is
 * granted before the dispatcher looks the sender up, so the first message is already answered
 * as an administrator, and the welcome goes before that message's own replies.
 */
export function welcomingFirstUser(
  adapter: PlatformAdapter,
  first: FirstUserClaim,
): PlatformAdapter {
  const welcomed = new WeakSet<IncomingMessage>()
  return {
    platform: adapter.platform,
    replyDeadlineMs: adapter.replyDeadlineMs,
    async receive(req) {
      const message = await adapter.receive(req)
      if (
        message &&
        (await first.claim(userKeyOf(message.platform, message.sender.userId), message.receivedAt))
      ) {
        welcomed.add(message)
      }
      return message
    },
    respond(message, replies) {
      if (!welcomed.has(message)) return adapter.respond(message, replies)
      return adapter.respond(message, [
        firstUserWelcome(userKeyOf(message.platform, message.sender.userId)),
        ...replies,
      ])
    },
    acknowledge: () => adapter.acknowledge(),
    send: (chat, reply, options) => adapter.send(chat, reply, options),
  }
}
