import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { WebhookPayloadError } from '../../errors.js'
import type {
  ChatRef,
  IncomingMessage,
  Outbox,
  PlatformAdapter,
  RawResponse,
  RawWebhook,
  Reply,
} from '../types.js'
import type { Clock } from '../../time/clock.js'
import type { ReplyLayout } from '../../replies/layout.js'
import { withoutMentions } from '../mentions.js'

/** POST /sandbox/messages body (contract.md). `id` lets a test replay one message. */
const sandboxMessageSchema = z.object({
  user: z
    .string()
    .trim()
    .regex(/^[^\s:]{1,64}$/, 'user must be 1-64 characters without spaces or colons'),
  chat: z.string().trim().min(1).max(64).optional(),
  text: z.string().max(4000),
  id: z.string().min(1).max(128).optional(),
})

/**
 * The local sandbox chat: a third platform adapter, not a back door. Its messages go
 * through the same dispatcher, dedupe and roles as WeCom's and DingTalk's; its pushes
 * land in an outbox the sandbox page shows.
 */
export class SandboxAdapter implements PlatformAdapter {
  readonly platform = 'sandbox' as const
  readonly replyDeadlineMs = 30_000

  constructor(private readonly options: { outbox: Outbox; now: Clock }) {}

  async receive(req: RawWebhook): Promise<IncomingMessage | undefined> {
    let json: unknown
    try {
      json = JSON.parse(req.rawBody.toString('utf8'))
    } catch {
      throw new WebhookPayloadError('body is not JSON')
    }
    const parsed = sandboxMessageSchema.safeParse(json)
    if (!parsed.success)
      throw new WebhookPayloadError(parsed.error.issues.map((i) => i.message).join('; '))
    const { user, chat, text, id } = parsed.data
    return {
      platform: 'sandbox',
      messageId: id ?? randomUUID(),
      chat: { platform: 'sandbox', chatId: chat ?? user, isGroup: chat !== undefined },
      sender: { userId: user },
      // A group message is typed as in a group: `@双拥助手 统计` (DingTalk strips the @ itself).
      text: withoutMentions(text),
      receivedAt: this.now(),
    }
  }

  async respond(_msg: IncomingMessage, replies: Reply[]): Promise<RawResponse> {
    // `text` is the plain rendering; the page draws `layout` when there is one (docs/replies.md).
    return json({ replies: replies.map(sandboxReply) })
  }

  acknowledge(): RawResponse {
    return json({ replies: [] })
  }

  async send(chat: ChatRef, reply: Reply): Promise<void> {
    await this.options.outbox.push({
      chatId: chat.chatId,
      isGroup: chat.isGroup,
      ...sandboxReply(reply),
      at: this.now().toISOString(),
    })
  }

  private now(): Date {
    return this.options.now()
  }
}

/** A reply as the sandbox page takes it (contract.md), with its layout when it has one. */
function sandboxReply(reply: Reply): { text: string; markdown: false; layout?: ReplyLayout } {
  return reply.layout
    ? { text: reply.text, markdown: false, layout: reply.layout }
    : { text: reply.text, markdown: false }
}

function json(body: unknown): RawResponse {
  return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) }
}
