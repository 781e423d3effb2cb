import type { ChatRef, Reply } from '../platforms/types.js'
import type { SealedRobot } from '../records/group-store.js'

// The data of a `push` job, apart from the delivery code, so that the platforms' reply queue
// can name it without importing the worker's delivery (which imports the reply queue).

/**
 * Where a push goes: a chat an adapter reaches (a member, a DingTalk group, sandbox), or a
 * push-only group robot (绑定群), its credential sealed: job data is visible on the dashboard.
 * `reply`: the answer to one message, sent in that message's context (its `replyContext`,
 * DingTalk's sessionWebhook while valid) by an adapter that can, else as a chat push.
 */
export type PushTarget =
  | { kind: 'chat'; chat: ChatRef }
  | { kind: 'robot'; robot: SealedRobot }
  | { kind: 'reply'; chat: ChatRef; context: unknown }

/** Data of a `push` job: one reply to one target. `deliveryId` names it in the sent-ledger. */
export interface PushJobData {
  deliveryId: string
  target: PushTarget
  reply: Reply
  /** Campaign pushes wait out quiet hours (21:00–08:00); a custom reminder fires when asked. */
  quietHours?: boolean
  /**
   * A reminder, whose text is its own: the platform may drop the same text to the same target
   * sent again within REPEAT_WINDOW_S (a re-send after a worker died mid-send). Never for a
   * reply, which a user who asks twice must get twice. docs/delivery-duplicates.md.
   */
  dropRepeats?: boolean
  /**
   * Pushes delivered after this one, in order, by the same job: a long reply's next chunks,
   * which separate jobs could send out of order. Each has its own delivery id, so a retried
   * job skips those already sent.
   */
  followUps?: PushJobData[]
}
