import { randomInt } from 'node:crypto'
import { WebhookAuthError } from '../../errors.js'
import type { Logger } from '../../log.js'
import type {
  ChatRef,
  IncomingMessage,
  PlatformAdapter,
  RawResponse,
  RawWebhook,
  Reply,
  SendOptions,
} from '../types.js'
import { replyDeliveryId, type PushQueue } from '../reply-queue.js'
import type { WecomClient } from './client.js'
import type { WecomConfig } from './config.js'
import { decryptWecom, encryptWecomReply, verifyWecomSignature } from './crypto.js'
import {
  buildWecomReplyEnvelope,
  buildWecomTextReply,
  parseWecomInner,
  splitUtf8Lines,
  toIncomingMessage,
  wecomCiphertext,
  utf8ByteLength,
} from './payload.js'
import type { Clock } from '../../time/clock.js'
import { scanWecomEncrypt } from './xml-scan.js'

// contract.md: a timestamp more than 10 minutes from now is refused (401), either way, so a
// captured callback cannot be replayed later; WeCom itself retries within seconds.
const TIMESTAMP_WINDOW_MS = 10 * 60 * 1000

// developer.work.weixin.qq.com/document/path/90241 (passive reply Content ≤ 2048 bytes) and
// path/90236 (message/send text.content / markdown.content ≤ 2048 bytes); longer is truncated.
const CONTENT_LIMIT_BYTES = 2048

export interface WecomAdapterOptions {
  config: WecomConfig
  client: WecomClient
  log: Logger
  now: Clock
  /** The retried push queue for replies sent after the answer; absent: sent once, now. */
  pushes?: PushQueue
}

interface SignedQuery {
  signature: string
  timestamp: string
  nonce: string
}

/** The WeCom self-built app (自建应用): callback URL check, encrypted messages, passive replies. */
export class WecomAdapter implements PlatformAdapter {
  readonly platform = 'wecom' as const
  // developer.work.weixin.qq.com/document/path/96466
  // "no response within 5 s: WeCom drops the connection and retries, 3 times in total".
  readonly replyDeadlineMs = 4000

  private readonly config: WecomConfig
  private readonly client: WecomClient
  private readonly log: Logger
  private readonly now: () => Date
  private readonly pushes: PushQueue | undefined

  constructor(options: WecomAdapterOptions) {
    this.config = options.config
    this.client = options.client
    this.log = options.log
    this.now = options.now
    this.pushes = options.pushes
  }

  // developer.work.weixin.qq.com/document/path/96466
  // GET ?msg_signature&timestamp&nonce&echostr; "answer the plaintext msg within 1 s: no quotes,
  // no BOM, no newline".
  /**
   * Answers the GET URL check: returns the decrypted echostr, to be sent back as the whole body.
   * Throws WebhookAuthError for a missing parameter, bad signature, stale timestamp or wrong CorpID.
   */
  verifyUrl(req: RawWebhook): string {
    const query = this.signedQuery(req)
    const echostr = req.query.echostr
    if (echostr === undefined || echostr === '') {
      throw new WebhookAuthError('wecom: echostr missing')
    }
    this.checkSignature(query, echostr)
    this.checkTimestamp(query.timestamp)
    return decryptWecom(this.config.encodingAesKey, echostr, this.config.corpId)
  }

  // developer.work.weixin.qq.com/document/path/96466
  // POST ?msg_signature&timestamp&nonce with <xml><Encrypt/></xml>; the signature covers Encrypt.
  /**
   * Verifies, decrypts and translates one POST callback; `undefined` = acknowledge and ignore.
   * Throws WebhookAuthError (401) or WebhookPayloadError (400).
   */
  async receive(req: RawWebhook): Promise<IncomingMessage | undefined> {
    const query = this.signedQuery(req)
    const body = req.rawBody.toString('utf8')
    // Until the signature holds, the body is anyone's: read only Encrypt, by one bounded
    // linear scan, and parse the rest once it is known to come from WeCom (issue 10).
    const signed = scanWecomEncrypt(body)
    this.checkSignature(query, signed)
    this.checkTimestamp(query.timestamp)
    const plaintext = decryptWecom(
      this.config.encodingAesKey,
      wecomCiphertext(signed),
      this.config.corpId,
    )
    const inner = parseWecomInner(plaintext)
    const message = toIncomingMessage(inner, this.now())
    if (message === undefined) {
      this.log.debug({ msgType: inner.MsgType, event: inner.Event }, 'wecom callback ignored')
    }
    return message
  }

  /**
   * Answers with an encrypted passive reply when the joined replies fit in 2048 bytes;
   * otherwise queues them (`queueReplies`) and then answers the empty acknowledgement.
   */
  async respond(msg: IncomingMessage, replies: Reply[]): Promise<RawResponse> {
    // Passive replies have no markdown type (path/90241 lists text, image, voice, video, news,
    // update_button): every reply goes as its plain rendering (`text`, aligned rows, never a
    // table; docs/replies.md). Pushed chunks are text too, so a long answer looks the same.
    const text = replies.map((reply) => reply.text).join('\n\n')
    if (text.trim() === '') return this.acknowledge()
    if (utf8ByteLength(text) <= CONTENT_LIMIT_BYTES) return this.passiveReply(msg, text)
    // Queued before the empty answer, which WeCom never resends: a reply lost here would be
    // lost for good, while a 503 for a queue that cannot be reached brings the message back.
    await this.queueReplies(msg, [{ text }])
    return this.acknowledge()
  }

  /**
   * Queues `replies` to the sender as app messages in one push job, line-aligned chunks of at
   * most 2048 bytes sent in order, each with its own delivery id, so a transient send error
   * (-1 system busy) is retried and a retry never sends an earlier chunk twice. Without a push queue they are sent now, once (not awaited;
   * failures are logged).
   */
  async queueReplies(msg: IncomingMessage, replies: Reply[]): Promise<void> {
    const text = replies.map((reply) => reply.text).join('\n\n')
    if (text.trim() === '') return
    if (!this.pushes) {
      void this.pushChunks(msg.chat.chatId, { text }).catch((err: unknown) => {
        this.log.error({ err, messageId: msg.messageId }, 'wecom reply failed to send')
      })
      return
    }
    const [first, ...rest] = splitUtf8Lines(text, CONTENT_LIMIT_BYTES).map((chunk, n) => ({
      deliveryId: replyDeliveryId(msg, n),
      target: { kind: 'chat' as const, chat: msg.chat },
      reply: { text: chunk },
    }))
    // One job, the chunks in order: a retry resends none already sent and overtakes none.
    if (first) await this.pushes.enqueuePushes([Object.assign({}, first, { followUps: rest })])
  }

  // developer.work.weixin.qq.com/document/path/96466
  // "answer an empty string and WeCom does nothing with it and does not retry".
  /** 200 with an empty body: WeCom's documented "received, nothing to say" (not "success"). */
  acknowledge(): RawResponse {
    return { status: 200, body: '' }
  }

  /**
   * Pushes `reply` to the member `chat.chatId` as an app message, in chunks of at most 2048
   * bytes. Throws PlatformApiError / PlatformHttpError; chunks already sent stay sent.
   */
  async send(chat: ChatRef, reply: Reply, options?: SendOptions): Promise<void> {
    await this.pushChunks(chat.chatId, reply, options)
  }

  private async pushChunks(userId: string, reply: Reply, options?: SendOptions): Promise<void> {
    // One after another, so the member reads them in order.
    for (const chunk of splitUtf8Lines(reply.text, CONTENT_LIMIT_BYTES)) {
      await this.client.sendAppMessage(userId, { text: chunk }, options)
    }
  }

  // developer.work.weixin.qq.com/document/path/90241
  // Plaintext {ToUserName: member UserID, FromUserName: CorpID, MsgType text, Content}, encrypted
  // with receiveid = CorpID, answered as <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>.
  private passiveReply(msg: IncomingMessage, text: string): RawResponse {
    const timestamp = String(Math.floor(this.now().getTime() / 1000))
    const nonce = String(randomInt(100_000_000, 1_000_000_000))
    const plaintext = buildWecomTextReply(msg.sender.userId, this.config.corpId, timestamp, text)
    const { encrypted, signature } = encryptWecomReply(
      this.config.token,
      this.config.encodingAesKey,
      this.config.corpId,
      plaintext,
      timestamp,
      nonce,
    )
    return {
      status: 200,
      contentType: 'application/xml',
      body: buildWecomReplyEnvelope(encrypted, signature, timestamp, nonce),
    }
  }

  private signedQuery(req: RawWebhook): SignedQuery {
    const { msg_signature: signature, timestamp, nonce } = req.query
    if (!signature || !timestamp || !nonce) {
      throw new WebhookAuthError('wecom: msg_signature, timestamp or nonce missing')
    }
    return { signature, timestamp, nonce }
  }

  private checkSignature(query: SignedQuery, encrypted: string): void {
    const ok = verifyWecomSignature(
      this.config.token,
      query.timestamp,
      query.nonce,
      encrypted,
      query.signature,
    )
    if (!ok) throw new WebhookAuthError('wecom: msg_signature does not match')
  }

  private checkTimestamp(timestamp: string): void {
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN
    const skew = Math.abs(this.now().getTime() - seconds * 1000)
    if (!(skew <= TIMESTAMP_WINDOW_MS)) {
      throw new WebhookAuthError('wecom: timestamp is more than 10 minutes from now')
    }
  }
}
