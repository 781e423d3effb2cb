/**
 * The one internal message type every platform adapter translates to and from.
 * Nothing outside src/platforms/ knows a vendor field name.
 */

import type { ReplyLayout } from '../replies/layout.js'

export type Platform = 'wecom' | 'dingtalk' | 'sandbox'

export const PLATFORMS: readonly Platform[] = ['wecom', 'dingtalk', 'sandbox']

/** Where a message came from and where replies go. `chatId` is the user id in a private chat. */
export interface ChatRef {
  platform: Platform
  chatId: string
  isGroup: boolean
}

export interface IncomingMessage {
  platform: Platform
  /** Vendor message id (or event key), used to drop redeliveries. */
  messageId: string
  chat: ChatRef
  sender: { userId: string; name?: string }
  /** Plain text with the @bot mention removed; not yet folded or trimmed. */
  text: string
  receivedAt: Date
  /** Set for non-text events the bot reacts to; `text` is then empty. */
  event?: ChatEvent
  /** Opaque per-platform data the adapter needs to answer this message (e.g. a DingTalk sessionWebhook). */
  replyContext?: unknown
}

/**
 * Events worth reacting to. `enter`: the user opened the app (WeCom enter_agent).
 * `card_action`: a button or submit on an interactive card (WeCom template_card_event).
 */
export type ChatEvent =
  | { type: 'enter' }
  | {
      type: 'card_action'
      key: string
      taskId: string
      selections: { question: string; options: string[] }[]
    }

export interface Reply {
  /** The plain rendering: what text-only surfaces show, and what logs and tests read. */
  text: string
  /**
   * The structure `text` was rendered from (title, lines, rows), for the surfaces that render
   * one themselves: WeCom group robots and DingTalk as markdown, the sandbox page as elements
   * (docs/replies.md). Absent: the reply is its text, as most are.
   */
  layout?: ReplyLayout
}

/** A transport-neutral view of one HTTP request, so adapters never see Koa. */
export interface RawWebhook {
  method: string
  query: Record<string, string | undefined>
  headers: Record<string, string | undefined>
  rawBody: Buffer
  remoteAddress?: string
}

/** What the HTTP layer should answer. */
export interface RawResponse {
  status: number
  contentType?: string
  body: string
}

/** How a push may be delivered (docs/delivery-duplicates.md). */
export interface SendOptions {
  /**
   * The same text to the same chat sent again within this many seconds is a re-send of one
   * delivery (a worker died mid-send): a platform that can drop such repeats does (WeCom's
   * duplicate check, at most 4 h); the others deliver it again. Unset: every send is delivered,
   * as a reply must be (a user who asks twice gets both answers).
   */
  repeatWindowSeconds?: number
}

export interface PlatformAdapter {
  readonly platform: Platform
  /**
   * Verify and decode one webhook call. `undefined` = acknowledge and ignore (unknown
   * message type, uninteresting event). Throws WebhookAuthError (401) or WebhookPayloadError (400).
   */
  receive(req: RawWebhook): Promise<IncomingMessage | undefined>
  /**
   * Turn the replies to `msg` into the HTTP answer. Adapters whose platform wants replies
   * pushed (DingTalk sessionWebhook) start that push here without awaiting it and answer 200.
   */
  respond(msg: IncomingMessage, replies: Reply[]): Promise<RawResponse>
  /** The HTTP answer for an acknowledged message with nothing to say right now. */
  acknowledge(): RawResponse
  /** Push a message outside any request (reminders, late replies). Throws PlatformApiError / PlatformHttpError. */
  send(chat: ChatRef, reply: Reply, options?: SendOptions): Promise<void>
  /** How long the HTTP answer may wait for the reply before answering `acknowledge()` and sending later, ms. */
  readonly replyDeadlineMs: number
}

/** The fetch signature platform clients take, so tests can point them at local fake servers. */
export type FetchLike = typeof fetch

/**
 * Shared cache for vendor access tokens, so every web and worker process uses one token
 * per app (gettoken is rate-limited). Implemented over Redis in src/records/token-cache.ts.
 */
export interface TokenCache {
  /** The cached token, or undefined when absent or expired. */
  get(platform: Platform, appId: string): Promise<string | undefined>
  /** Cache `token` for `ttlSeconds`. */
  set(platform: Platform, appId: string, token: string, ttlSeconds: number): Promise<void>
  /** Drop a token the vendor rejected (WeCom 40014/42001). */
  drop(platform: Platform, appId: string): Promise<void>
}

/** One push delivered to a sandbox user (the sandbox's stand-in for a chat app). */
export interface OutboxEntry {
  chatId: string
  isGroup: boolean
  text: string
  /** True only in entries stored before replies had layouts: `text` is markdown source. */
  markdown: boolean
  layout?: ReplyLayout
  /** ISO time of delivery. */
  at: string
}

/** Where sandbox pushes land; implemented over Redis in src/records/sandbox-outbox.ts. */
export interface Outbox {
  push(entry: OutboxEntry): Promise<void>
  /** Newest first. */
  list(limit: number): Promise<OutboxEntry[]>
}
