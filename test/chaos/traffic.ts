import { randomInt } from 'node:crypto'
import type { FakeDingtalk } from '../support/fake-dingtalk.js'
import { robotCallback, signedRobotRequest } from '../support/fake-dingtalk.js'
import { sealWecomCallback } from '../support/fake-wecom.js'
import { DINGTALK_TEST_APP, WECOM_TEST_ENV } from '../support/drivers.js'
import type { Clock } from '../../src/time/clock.js'

/**
 * The load generator, behaving as each platform does towards a callback that is not answered
 * 200: it resends the same message (same MsgId / msgId / sandbox id) a bounded number of times.
 *
 * - WeCom (platforms.md §1.9): 5 s to answer, 3 tries in all. A fast non-200 or a refused
 *   connection is resent when that try's 5 s are up, as WeCom's own timer would.
 * - DingTalk documents no policy; deployments saw late acks redelivered. Modelled as WeCom's
 *   (5 s per try) with 4 tries, compressed from the 16–60 s reported.
 * - Sandbox: the page's client resends on 503 or a network error, 5 tries, 2 s apart.
 */

export type Platform = 'wecom' | 'dingtalk' | 'sandbox'

export interface SentMessage {
  platform: Platform
  /** The platform's message id, repeated by every resend. */
  messageId: string
  /** Letters-only marker in the visit's note: how the stored record names its message. */
  tag: string
  /** DingTalk: the sessionWebhook id its reply goes to. */
  session?: string
  /** Status per try (0 = timed out or connection refused). */
  tries: number[]
  acknowledged: boolean
}

interface RetryPolicy {
  tries: number
  /** Each try lasts at least this long before the next (the platform's timer). */
  slotMs: number
  timeoutMs: number
}

const POLICY: Record<Platform, RetryPolicy> = {
  wecom: { tries: 3, slotMs: 5000, timeoutMs: 5000 },
  dingtalk: { tries: 4, slotMs: 5000, timeoutMs: 5000 },
  sandbox: { tries: 5, slotMs: 2000, timeoutMs: 10_000 },
}

export const CHAOS_USERS: Record<Platform, string[]> = {
  wecom: ['chaosw1', 'chaosw2', 'chaosw3'],
  dingtalk: ['chaosd1', 'chaosd2', 'chaosd3'],
  sandbox: ['chaoss1', 'chaoss2', 'chaoss3'],
}

/** One attempt's request, built once per message so every resend is byte-identical. */
interface Prepared {
  path: string
  headers: Record<string, string>
  body: string
}

export class Traffic {
  readonly sent: SentMessage[] = []
  private readonly inFlight = new Set<Promise<void>>()
  private sequence = 0
  private lastDingtalkTimestamp = 0
  // Distinct per run, so two runs' WeCom MsgIds never meet in one Redis by accident.
  private readonly wecomBase = 6_000_000_000_000_000_000n + BigInt(randomInt(1, 2 ** 40)) * 1000n

  constructor(
    private readonly deps: {
      botUrl: string
      dingtalk: FakeDingtalk
      now: Clock
      /** The visit line to send for a letters-only tag (unique person and date each call). */
      nextLine: (tag: string) => string
    },
  ) {}

  /**
   * Starts one message and its resends; `drain()` waits for it. The text is the next visit
   * line unless `line` writes another around the message's tag.
   */
  send(platform: Platform, line: (tag: string) => string = this.deps.nextLine): SentMessage {
    const { seq, tag } = this.nextTag()
    const user = CHAOS_USERS[platform][seq % CHAOS_USERS[platform].length]!
    const text = line(tag)
    const message: SentMessage = { platform, messageId: '', tag, tries: [], acknowledged: false }
    const prepared = this.prepare(message, user, text, seq)
    this.sent.push(message)
    const run = this.deliver(message, prepared).finally(() => this.inFlight.delete(run))
    this.inFlight.add(run)
    return message
  }

  /**
   * Sends `perSecond` messages a second, spread over the platforms, for `durationMs`, and
   * at most `max` in all.
   */
  async stream(options: {
    platforms: Platform[]
    perSecond: number
    durationMs: number
    max: number
  }): Promise<void> {
    const gapMs = 1000 / options.perSecond
    const started = performance.now()
    for (let i = 0; i < options.max; i += 1) {
      if (performance.now() - started > options.durationMs) return
      this.send(options.platforms[i % options.platforms.length]!)
      await new Promise((resolve) => setTimeout(resolve, gapMs))
    }
  }

  /** A fresh letters-only marker (`qz…`), unique in this run across messages and pushes. */
  nextTag(): { seq: number; tag: string } {
    const seq = ++this.sequence
    return { seq, tag: `qz${letters(seq)}` }
  }

  /** Waits until every message is acknowledged or out of tries (bounded by the policies). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  private prepare(message: SentMessage, user: string, text: string, seq: number): Prepared {
    const now = this.deps.now()
    if (message.platform === 'wecom') {
      message.messageId = String(this.wecomBase + BigInt(seq))
      const createTime = String(Math.floor(now.getTime() / 1000))
      const inner =
        `<xml><ToUserName><![CDATA[${WECOM_TEST_ENV.WECOM_CORP_ID}]]></ToUserName>` +
        `<FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${createTime}</CreateTime>` +
        `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content>` +
        `<MsgId>${message.messageId}</MsgId><AgentID>1000002</AgentID></xml>`
      const sealed = sealWecomCallback(
        {
          token: WECOM_TEST_ENV.WECOM_TOKEN,
          encodingAesKey: WECOM_TEST_ENV.WECOM_ENCODING_AES_KEY,
          corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
        },
        inner,
        { timestamp: createTime },
      )
      const query = new URLSearchParams(sealed.query as Record<string, string>)
      return {
        path: `/webhooks/wecom?${query}`,
        headers: { 'content-type': 'text/xml' },
        body: sealed.rawBody.toString('utf8'),
      }
    }
    if (message.platform === 'dingtalk') {
      message.messageId = `msgchaos${seq}`
      message.session = `chaos-${message.tag}`
      const body = robotCallback('text-single', {
        text: { content: text },
        msgId: message.messageId,
        senderStaffId: user,
        senderNick: user,
        createAt: now.getTime(),
        sessionWebhook: this.deps.dingtalk.sessionWebhookUrl(message.session),
        sessionWebhookExpiredTime: now.getTime() + 90 * 60_000,
      })
      // Each callback is signed at its own send time: the bot refuses a pair another msgId used.
      const timestamp = Math.max(now.getTime(), this.lastDingtalkTimestamp + 1)
      this.lastDingtalkTimestamp = timestamp
      const signed = signedRobotRequest(body, DINGTALK_TEST_APP.appSecret, timestamp)
      return {
        path: '/webhooks/dingtalk',
        headers: signed.headers as Record<string, string>,
        body: signed.rawBody.toString('utf8'),
      }
    }
    message.messageId = `chaos-${seq}`
    return {
      path: '/sandbox/messages',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, text, id: message.messageId }),
    }
  }

  private async deliver(message: SentMessage, prepared: Prepared): Promise<void> {
    const policy = POLICY[message.platform]
    for (let attempt = 1; attempt <= policy.tries; attempt += 1) {
      const started = performance.now()
      const status = await this.attempt(prepared, policy.timeoutMs)
      message.tries.push(status)
      if (status === 200) {
        message.acknowledged = true
        return
      }
      // The sandbox client gives up on anything but an outage; the platforms resend anything.
      if (message.platform === 'sandbox' && status !== 503 && status !== 0) return
      if (attempt === policy.tries) return
      const waitMs = policy.slotMs - (performance.now() - started)
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs))
    }
  }

  /** One POST; 0 when it timed out or never connected. The body is read, as a platform does. */
  private async attempt(prepared: Prepared, timeoutMs: number): Promise<number> {
    try {
      const res = await fetch(`${this.deps.botUrl}${prepared.path}`, {
        method: 'POST',
        headers: prepared.headers,
        body: prepared.body,
        signal: AbortSignal.timeout(timeoutMs),
      })
      await res.arrayBuffer()
      return res.status
    } catch {
      return 0
    }
  }
}

/** 1 → b, 26 → ba: a number in letters, so a note never reads as a date or an amount. */
function letters(n: number): string {
  let out = ''
  let rest = n
  do {
    out = String.fromCharCode(97 + (rest % 26)) + out
    rest = Math.floor(rest / 26)
  } while (rest > 0)
  return out
}
