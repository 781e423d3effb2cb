import { decrypt } from '@wecom/crypto'
import { XMLParser } from 'fast-xml-parser'
import { say, type TestBot } from './bot.js'
import { robotCallback, signedRobotRequest, type FakeDingtalk } from './fake-dingtalk.js'
import { sealWecomCallback } from './fake-wecom.js'

/** Talks to the bot as one platform's user would, returning the reply texts. */
export interface ChatDriver {
  platform: 'sandbox' | 'wecom' | 'dingtalk'
  /** `id` repeats a platform message id (a redelivery); fresh otherwise. */
  say(user: string, text: string, id?: string): Promise<string[]>
  /**
   * Says `text` in the group chat `group` (a village's work group), where the platform has
   * them; undefined on WeCom, whose self-built app receives private messages only.
   */
  sayInGroup?(user: string, text: string, group: string): Promise<string[]>
}

export const WECOM_TEST_ENV = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'app-secret',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
}

export const DINGTALK_TEST_APP = { appKey: 'dingbotappkey123', appSecret: 'app-secret-for-tests' }

export function sandboxDriver(t: TestBot): ChatDriver {
  return {
    platform: 'sandbox',
    say: (user, text, id) => say(t, user, text, id ? { id } : {}),
    sayInGroup: (user, text, group) => say(t, user, text, { chat: group }),
  }
}

let sequence = 0
const xml = new XMLParser({ processEntities: false, parseTagValue: false })

/** WeCom: sealed like WeCom seals a callback (at `now`), the passive reply decrypted. */
export function wecomDriver(t: TestBot, now: () => Date): ChatDriver {
  // WeCom MsgIds are 64-bit numbers: a test's named id maps to one, the same each time.
  const named = new Map<string, string>()
  return {
    platform: 'wecom',
    async say(user, text, id) {
      const fresh = () => String(5_000_000_000_000_000_000n + BigInt(++sequence))
      const msgId = id === undefined ? fresh() : (named.get(id) ?? named.set(id, fresh()).get(id)!)
      const createTime = String(Math.floor(now().getTime() / 1000))
      const inner = `<xml><ToUserName><![CDATA[${WECOM_TEST_ENV.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
      const req = sealWecomCallback(
        {
          token: WECOM_TEST_ENV.WECOM_TOKEN,
          encodingAesKey: WECOM_TEST_ENV.WECOM_ENCODING_AES_KEY,
          corpId: WECOM_TEST_ENV.WECOM_CORP_ID,
        },
        inner,
        { timestamp: createTime },
      )
      const res = await t.http
        .post('/webhooks/wecom')
        .query(req.query as Record<string, string>)
        .set('content-type', 'text/xml')
        .send(req.rawBody.toString('utf8'))
      if (res.status !== 200) throw new Error(`WeCom callback answered ${res.status}`)
      if (res.text === '') return []
      const outer = xml.parse(res.text).xml as Record<string, string>
      const reply = xml.parse(
        decrypt(WECOM_TEST_ENV.WECOM_ENCODING_AES_KEY, outer.Encrypt!).message,
      ).xml as Record<string, string>
      return [reply.Content!]
    },
  }
}

/**
 * A robot message as DingTalk sends it to a single chat (or, with `group`, in that group
 * conversation, the bot @-mentioned), replying to `session` on the fake.
 */
function robotMessage(
  fake: FakeDingtalk,
  now: () => Date,
  user: string,
  text: string,
  msgId: string,
  session: string,
  group?: string,
) {
  return robotCallback(group === undefined ? 'text-single' : 'text-group', {
    text: { content: text },
    msgId,
    senderStaffId: user,
    createAt: now().getTime(),
    sessionWebhook: fake.sessionWebhookUrl(session),
    sessionWebhookExpiredTime: now().getTime() + 90 * 60_000,
    ...(group !== undefined && { conversationId: group, openThreadId: group }),
  })
}

/** The texts the fake's sessionWebhook `session` received, in order. */
function sessionReplies(fake: FakeDingtalk, session: string): string[] {
  return fake.received.flatMap((r) =>
    r.kind === 'session' && r.session === session
      ? [
          String(
            (r.body.text as { content?: string } | undefined)?.content ??
              (r.body.markdown as { text?: string } | undefined)?.text,
          ),
        ]
      : [],
  )
}

/** DingTalk: a signed robot callback; the replies are what reached the fake sessionWebhook. */
export function dingtalkDriver(t: TestBot, fake: FakeDingtalk, now: () => Date): ChatDriver {
  const driver = {
    platform: 'dingtalk' as const,
    say: (user: string, text: string, id?: string) => driver.send(user, text, id),
    sayInGroup: (user: string, text: string, group: string) =>
      driver.send(user, text, undefined, group),
    async send(user: string, text: string, id?: string, group?: string) {
      const session = `s-${++sequence}`
      const body = robotMessage(fake, now, user, text, id ?? `msg-${sequence}`, session, group)
      // DingTalk signs each callback at its own send time, and the bot refuses a sign pair
      // reused by another msgId (gh-10): a fixed test clock must not make every call one pair.
      const signedAt = now().getTime() - (sequence % 60_000)
      const req = signedRobotRequest(body, DINGTALK_TEST_APP.appSecret, signedAt)
      const res = await t.http
        .post('/webhooks/dingtalk')
        .set(req.headers as Record<string, string>)
        .send(req.rawBody.toString('utf8'))
      if (res.status !== 200) throw new Error(`DingTalk callback answered ${res.status}`)
      await t.bot.settle()
      return sessionReplies(fake, session)
    },
  }
  return driver
}

/**
 * DingTalk in Stream mode: the fake gateway pushes the robot message over the bot's socket;
 * the bot acknowledges it once stored, and replies through the sessionWebhook as over HTTP.
 * The bot's stream must be connected (`await fake.stream.waitForOpened(1)`).
 */
export function dingtalkStreamDriver(t: TestBot, fake: FakeDingtalk, now: () => Date): ChatDriver {
  const driver = {
    platform: 'dingtalk' as const,
    say: (user: string, text: string, id?: string) => driver.send(user, text, id),
    sayInGroup: (user: string, text: string, group: string) =>
      driver.send(user, text, undefined, group),
    async send(user: string, text: string, id?: string, group?: string) {
      const session = `s-${++sequence}`
      const body = robotMessage(fake, now, user, text, id ?? `msg-${sequence}`, session, group)
      const answer = await fake.stream.waitForAnswer(fake.stream.pushRobotMessage(body))
      if (answer.code !== 200) throw new Error(`DingTalk stream ack had code ${answer.code}`)
      await t.bot.settle()
      return sessionReplies(fake, session)
    },
  }
  return driver
}
