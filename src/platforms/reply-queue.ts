import type { PushJobData } from '../reminders/push-job.js'
import type { ChatRef, IncomingMessage, PlatformAdapter, Reply } from './types.js'

/**
 * The retried push queue (ReminderScheduler.enqueuePushes): resolves once the jobs are in
 * Redis, after which a worker delivers each with retries and the sent-ledger.
 */
export interface PushQueue {
  enqueuePushes(pushes: readonly PushJobData[]): Promise<void>
}

/**
 * An adapter whose replies can go out after the HTTP answer: WeCom replies over 2048 bytes or
 * past the deadline, every DingTalk reply (docs/delivery.md).
 */
export interface QueuesReplies {
  /** Queues `replies` to the sender or chat of `msg`; resolves once they are durably queued. */
  queueReplies(msg: IncomingMessage, replies: Reply[]): Promise<void>
}

export function queuesReplies(
  adapter: PlatformAdapter,
): adapter is PlatformAdapter & QueuesReplies {
  return typeof (adapter as Partial<QueuesReplies>).queueReplies === 'function'
}

/**
 * `reply-<platform>-<message id>-<n>`, the job and sent-ledger id of a message's n-th reply:
 * queueing the same message's replies again (a redelivery, a retried enqueue) adds nothing.
 * Job ids may not contain ':' and may not be all digits; percent-encoding removes every ':'.
 */
export function replyDeliveryId(msg: IncomingMessage, n: number): string {
  return `reply-${msg.platform}-${encodeURIComponent(msg.messageId)}-${n}`
}

/**
 * An adapter that answers a message in its own context (DingTalk's sessionWebhook) rather
 * than as a fresh push to the chat; the push worker uses it for `reply` targets.
 */
export interface RepliesInContext {
  /** `context` is the message's `replyContext`; throws PlatformApiError / PlatformHttpError. */
  sendReply(chat: ChatRef, context: unknown, reply: Reply): Promise<void>
}

export function repliesInContext(
  adapter: PlatformAdapter,
): adapter is PlatformAdapter & RepliesInContext {
  return typeof (adapter as Partial<RepliesInContext>).sendReply === 'function'
}
