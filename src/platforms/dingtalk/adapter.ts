import { PlatformApiError, WebhookAuthError, WebhookPayloadError } from '../../errors.js'
import type { Logger } from '../../log.js'
import type {
  ChatRef,
  IncomingMessage,
  PlatformAdapter,
  RawResponse,
  RawWebhook,
  Reply,
} from '../types.js'
import { hasOrigin, toRobotBody, type DingtalkClient } from './client.js'
import type { DingtalkConfig } from './config.js'
import {
  dingtalkReplyContextSchema,
  dingtalkRobotMessageSchema,
  toIncomingMessage,
  type DingtalkReplyContext,
  type DingtalkRobotMessage,
} from './payload.js'
import type { DingtalkSignLedger } from './sign-ledger.js'
import { replyDeliveryId, type PushQueue } from '../reply-queue.js'
import { DINGTALK_SIGN_WINDOW_MS, verifyDingtalkRobotSign } from './signature.js'
import type { Clock } from '../../time/clock.js'

export interface DingtalkAdapterOptions {
  config: DingtalkConfig
  client: DingtalkClient
  log: Logger
  now: Clock
  /** Which message used each callback sign pair, so a captured pair cannot be replayed. */
  signs: DingtalkSignLedger
  /** The retried push queue the replies go through; absent: pushed once, in the background. */
  pushes?: PushQueue
}

// The robot callback wants a JSON answer; an empty object says "received, nothing inline".
const ACK: RawResponse = { status: 200, contentType: 'application/json', body: '{}' }

/**
 * The enterprise-internal app robot in HTTP mode: verifies and decodes callbacks, and
 * pushes replies through the sessionWebhook or the OpenAPI after answering 200.
 */
export class DingtalkAdapter implements PlatformAdapter {
  readonly platform = 'dingtalk' as const
  // The HTTP doc sets no deadline for robot callbacks; answer well inside a typical 5 s
  // proxy timeout, since replies are pushed afterwards anyway.
  readonly replyDeadlineMs = 3000

  private readonly config: DingtalkConfig
  private readonly client: DingtalkClient
  private readonly log: Logger
  private readonly now: () => Date
  private readonly signs: DingtalkSignLedger
  private readonly pushes: PushQueue | undefined
  private readonly inflight = new Set<Promise<void>>()

  constructor(options: DingtalkAdapterOptions) {
    this.config = options.config
    this.client = options.client
    this.log = options.log
    this.now = options.now
    this.signs = options.signs
    this.pushes = options.pushes
  }

  /**
   * Verifies the `timestamp`/`sign` headers (WebhookAuthError), then parses the body
   * (WebhookPayloadError), then claims the pair for the body's msgId: a pair another msgId
   * used is a replay (WebhookAuthError), the same msgId a redelivery the dispatcher drops.
   * `undefined` for messages the bot ignores.
   */
  // https://open.dingtalk.com/document/orgapp/receive-message
  async receive(req: RawWebhook): Promise<IncomingMessage | undefined> {
    const { timestamp, sign } = req.headers
    verifyDingtalkRobotSign(timestamp, sign, this.config.appSecret, this.now())

    let json: unknown
    try {
      json = JSON.parse(req.rawBody.toString('utf8'))
    } catch {
      throw new WebhookPayloadError('dingtalk: body is not JSON')
    }
    const body = this.parseRobotMessage(json)
    // Verified above: both headers are present. The pair is good for as long as the sign
    // check accepts its timestamp, so it is remembered exactly that long.
    const ttlMs = Number(timestamp) + DINGTALK_SIGN_WINDOW_MS - this.now().getTime() + 1000
    const holder = await this.signs.claim(timestamp!, sign!, body.msgId, ttlMs)
    if (holder !== body.msgId) {
      throw new WebhookAuthError('dingtalk: timestamp/sign pair already used by another message')
    }
    return toIncomingMessage(body, this.now())
  }

  /**
   * Translates a robot message (an HTTP callback's body, or a Stream frame's data) into our
   * message; `undefined` for kinds the bot ignores. Throws WebhookPayloadError for a body
   * that is not a robot message.
   */
  readRobotMessage(json: unknown): IncomingMessage | undefined {
    return toIncomingMessage(this.parseRobotMessage(json), this.now())
  }

  private parseRobotMessage(json: unknown): DingtalkRobotMessage {
    const parsed = dingtalkRobotMessageSchema.safeParse(json)
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')
      throw new WebhookPayloadError(`dingtalk: not a robot callback (bad fields: ${fields})`)
    }
    return parsed.data
  }

  /**
   * Queues `replies` (`queueReplies`), then answers 200: DingTalk never resends a message
   * answered 200, so a reply is durably queued before the answer.
   */
  async respond(msg: IncomingMessage, replies: Reply[]): Promise<RawResponse> {
    await this.queueReplies(msg, replies)
    return this.acknowledge()
  }

  /**
   * Queues one push job per reply, to go through the message's sessionWebhook while it is
   * valid (else the OpenAPI), retried by the push worker. Without a push queue they are
   * pushed now, once, in the background (failures logged; `pending()` waits for them).
   */
  async queueReplies(msg: IncomingMessage, replies: Reply[]): Promise<void> {
    if (replies.length === 0) return
    if (!this.pushes) {
      this.track(this.pushReplies(msg, replies))
      return
    }
    const context = dingtalkReplyContextSchema.safeParse(msg.replyContext)
    await this.pushes.enqueuePushes(
      replies.map((reply, n) => ({
        deliveryId: replyDeliveryId(msg, n),
        target: context.success
          ? { kind: 'reply', chat: msg.chat, context: context.data }
          : { kind: 'chat', chat: msg.chat },
        reply,
      })),
    )
  }

  /**
   * Sends one queued reply in the context of the message it answers (push worker). Throws
   * PlatformApiError / PlatformHttpError so the job is retried.
   */
  async sendReply(chat: ChatRef, context: unknown, reply: Reply): Promise<void> {
    const parsed = dingtalkReplyContextSchema.safeParse(context)
    if (!parsed.success) return this.send(chat, reply)
    await this.pushReply(chat.chatId, parsed.data, reply)
  }

  acknowledge(): RawResponse {
    return { ...ACK }
  }

  /** Sends through the OpenAPI: a group by openConversationId, a single chat by userid. */
  async send(chat: ChatRef, reply: Reply): Promise<void> {
    if (chat.platform !== 'dingtalk') {
      throw new Error(`DingtalkAdapter.send got a ${chat.platform} chat`)
    }
    if (chat.isGroup) await this.client.sendToGroup(chat.chatId, reply)
    else await this.client.sendToUsers([chat.chatId], reply)
  }

  /** Resolves once every reply push started so far has settled (tests, graceful shutdown). */
  async pending(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight])
  }

  private track(push: Promise<void>): void {
    this.inflight.add(push)
    const settle = () => void this.inflight.delete(push)
    push.then(settle, (err: unknown) => {
      settle()
      this.log.error({ err }, 'dingtalk reply push crashed')
    })
  }

  // Never rejects: this runs after the HTTP answer, so there is no caller to throw to.
  private async pushReplies(msg: IncomingMessage, replies: Reply[]): Promise<void> {
    const context = dingtalkReplyContextSchema.safeParse(msg.replyContext)
    for (const reply of replies) {
      try {
        if (context.success) await this.pushReply(msg.messageId, context.data, reply)
        else await this.send(msg.chat, reply)
      } catch (err) {
        this.log.error(
          { err, messageId: msg.messageId, chatId: msg.chat.chatId },
          'dingtalk reply push failed',
        )
      }
    }
  }

  /** `ref` names the reply in logs: the message id, or the chat a queued reply goes to. */
  private async pushReply(ref: string, context: DingtalkReplyContext, reply: Reply): Promise<void> {
    const url = context.sessionWebhook
    if (url !== undefined && this.canUseSessionWebhook(ref, url, context)) {
      // @ the sender in groups so the answer is visible among others' messages.
      const at =
        context.isGroup && !reply.layout ? { atUserIds: [context.senderStaffId] } : undefined
      try {
        await this.client.postSessionWebhook(url, toRobotBody(reply, at))
        return
      } catch (err) {
        // Only a vendor refusal is safe to resend: after a network error the message may
        // already be in the chat, and the OpenAPI would post it twice.
        if (!(err instanceof PlatformApiError)) throw err
        this.log.warn(
          { err, ref },
          'dingtalk sessionWebhook refused the reply; sending through the OpenAPI',
        )
      }
    }
    if (context.isGroup) await this.client.sendToGroup(context.conversationId, reply)
    else await this.client.sendToUsers([context.senderStaffId], reply)
  }

  // https://open-dingtalk.github.io/developerpedia/docs/learn/bot/appbot/reply
  // the sessionWebhook is valid until sessionWebhookExpiredTime (ms); after that, use the OpenAPI.
  private canUseSessionWebhook(ref: string, url: string, context: DingtalkReplyContext): boolean {
    // The callback sign covers only the timestamp, not the body: anyone holding one signed
    // request could resend it within the hour with their own sessionWebhook. Posting only
    // to DingTalk's own origin keeps the bot from being aimed at arbitrary URLs.
    if (!hasOrigin(url, this.config.oapiBase)) {
      this.log.warn(
        { ref, origin: safeOrigin(url) },
        'dingtalk sessionWebhook is not on the oapi origin; ignoring it',
      )
      return false
    }
    const expires = context.sessionWebhookExpiredTime
    return expires !== undefined && this.now().getTime() < expires
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '(not a URL)'
  }
}
