import { z } from 'zod'
import type { IncomingMessage } from '../types.js'
import { withoutMentions } from '../mentions.js'

// DingTalk sends ms timestamps as JSON numbers; accept a digit string too so a proxy that
// stringifies longs does not turn a valid callback into a 400.
const epochMs = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/).transform(Number),
])

/**
 * The app robot callback body (HTTP mode, and the `data` of a Stream-mode robot frame).
 * Unknown fields pass through: DingTalk adds fields (`openThreadId`, `senderPlatform`) unannounced.
 */
// https://open.dingtalk.com/document/orgapp/receive-message
// "conversationType: 1 单聊, 2 群聊"; "senderStaffId: 企业内部群中@该机器人的成员userId"
export const dingtalkRobotMessageSchema = z.looseObject({
  msgtype: z.string().min(1),
  text: z.looseObject({ content: z.string() }).optional(),
  msgId: z.string().min(1),
  createAt: epochMs.optional(),
  conversationType: z.enum(['1', '2']),
  conversationId: z.string().min(1),
  conversationTitle: z.string().optional(),
  senderId: z.string().optional(),
  senderNick: z.string().optional(),
  senderStaffId: z.string().optional(),
  senderCorpId: z.string().optional(),
  // "sessionWebhookExpiredTime: 当前会话的Webhook地址过期时间" (ms); about 90 minutes in captures
  sessionWebhook: z.string().optional(),
  sessionWebhookExpiredTime: epochMs.optional(),
  isAdmin: z.boolean().optional(),
  chatbotCorpId: z.string().optional(),
  chatbotUserId: z.string().optional(),
  atUsers: z
    .array(z.looseObject({ dingtalkId: z.string().optional(), staffId: z.string().optional() }))
    .optional(),
  isInAtList: z.boolean().optional(),
  robotCode: z.string().optional(),
})

export type DingtalkRobotMessage = z.infer<typeof dingtalkRobotMessageSchema>

/**
 * What the adapter needs to answer one message, kept in `IncomingMessage.replyContext`.
 * Plain JSON (ms numbers, no Date), so it survives a round trip through Redis or a job.
 */
export const dingtalkReplyContextSchema = z.object({
  sessionWebhook: z.string().optional(),
  sessionWebhookExpiredTime: z.number().optional(),
  senderStaffId: z.string().min(1),
  conversationId: z.string().min(1),
  isGroup: z.boolean(),
})

export type DingtalkReplyContext = z.infer<typeof dingtalkReplyContextSchema>

/** The command text of a message: whitespace trimmed and leading @mentions removed. */
export function cleanDingtalkText(content: string): string {
  return withoutMentions(content)
}

/**
 * Translates a validated callback into our message. `undefined` = ignore it: a message type
 * we do not handle, or a sender outside the org (no `senderStaffId`, so no userid to bind
 * a role to). `now` stands in for a missing `createAt`.
 */
export function toIncomingMessage(
  body: DingtalkRobotMessage,
  now: Date,
): IncomingMessage | undefined {
  if (body.msgtype !== 'text' || body.text === undefined) return undefined
  const userId = body.senderStaffId
  if (userId === undefined || userId === '') return undefined

  const isGroup = body.conversationType === '2'
  const replyContext: DingtalkReplyContext = {
    sessionWebhook: body.sessionWebhook,
    sessionWebhookExpiredTime: body.sessionWebhookExpiredTime,
    senderStaffId: userId,
    conversationId: body.conversationId,
    isGroup,
  }
  return {
    platform: 'dingtalk',
    messageId: body.msgId,
    // A single chat is addressed by the user (batchSend takes userIds, not the conversation).
    chat: { platform: 'dingtalk', chatId: isGroup ? body.conversationId : userId, isGroup },
    sender: body.senderNick === undefined ? { userId } : { userId, name: body.senderNick },
    text: cleanDingtalkText(body.text.content),
    receivedAt: new Date(body.createAt ?? now.getTime()),
    replyContext,
  }
}
