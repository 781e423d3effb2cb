import { createHmac } from 'node:crypto'
import { encrypt, getSignature } from '@wecom/crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DINGTALK_TEST_APP } from '../support/drivers.js'
import { robotCallback, signedRobotRequest } from '../support/fake-dingtalk.js'
import {
  AT,
  AT_SECONDS,
  WECOM_KEYS,
  expectHarmless,
  expectHealthy,
  expectNoRecords,
  fuzzParams,
  hostileText,
  keysOf,
  startFuzzBot,
  type FuzzBot,
  FUZZ_TIMEOUT_MS,
} from './fuzz-support.js'

// Issue 10, part 8: validly signed but fuzzed WeCom XML and DingTalk JSON, and replays, through
// the real Koa app. A signed body is past authentication, so these reach the parsers and the
// dispatcher: never a 5xx other than 503, a refusal stores nothing, no fuzzed sender (never
// registered) gets a record written, and the process stays healthy.

const WECOM_FIELDS = [
  'ToUserName',
  'FromUserName',
  'CreateTime',
  'MsgType',
  'Content',
  'MsgId',
  'AgentID',
  'Event',
  'EventKey',
  'TaskId',
  'CardType',
  'SelectedItems',
] as const

const wecomValue = fc.oneof(
  hostileText,
  fc.constantFrom('text', 'event', 'image', 'enter_agent', 'template_card_event', 'click'),
  fc.bigInt({ min: -1n, max: 2n ** 70n }).map(String),
  fc.constant(AT_SECONDS),
)

/** One element: CDATA or not (a CDATA value holding `]]>` breaks the document, on purpose). */
const wecomElement = fc
  .tuple(fc.constantFrom(...WECOM_FIELDS), wecomValue, fc.boolean())
  .map(([name, value, cdata]) => `<${name}>${cdata ? `<![CDATA[${value}]]>` : value}</${name}>`)

/** A text message from a random (unregistered) member, its fields fuzzed. */
const wecomTextMessage = fc
  .record({
    from: hostileText,
    content: hostileText,
    msgId: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), hostileText),
  })
  .map(
    ({ from, content, msgId }) =>
      `<xml><ToUserName><![CDATA[${WECOM_KEYS.corpId}]]></ToUserName>` +
      `<FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${AT_SECONDS}</CreateTime>` +
      `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
      `<MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`,
  )

const wecomInner = fc.oneof(
  wecomTextMessage,
  fc.array(wecomElement, { maxLength: 12 }).map((elements) => `<xml>${elements.join('')}</xml>`),
  hostileText,
  fc.constantFrom('', '<xml/>', '<xml>', '<a><b></a></b>', '{"MsgType":"text"}'),
)

/** The outer envelope around a signed Encrypt: WeCom's, or with junk the signature skips. */
const wecomEnvelope = fc.constantFrom(
  (e: string) =>
    `<xml><ToUserName><![CDATA[${WECOM_KEYS.corpId}]]></ToUserName><Encrypt><![CDATA[${e}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`,
  (e: string) => `<xml><Encrypt>${e}</Encrypt></xml>`,
  (e: string) => `<xml><Encrypt><![CDATA[${e}]]></Encrypt><Encrypt><![CDATA[x]]></Encrypt></xml>`,
  (e: string) => `<xml><Junk><a><b/></a></Junk><Encrypt><![CDATA[${e}]]></Encrypt></xml>`,
  (e: string) =>
    `<?xml version="1.0" encoding="utf-8"?>\n<xml><Encrypt><![CDATA[${e}]]></Encrypt></xml>`,
  (e: string) => `<xml><Encrypt><![CDATA[${e}]]></Encrypt>`,
)

/** A ciphertext the signature covers: of a fuzzed inner document, or base64 that is not ours. */
const wecomCiphertext = fc.oneof(
  {
    weight: 4,
    arbitrary: wecomInner.map((inner) =>
      encrypt(WECOM_KEYS.encodingAesKey, inner, WECOM_KEYS.corpId),
    ),
  },
  fc
    .tuple(wecomInner, hostileText)
    .map(([inner, receiveId]) => encrypt(WECOM_KEYS.encodingAesKey, inner, receiveId)),
  fc.base64String({ maxLength: 400 }),
  hostileText,
)

/** Timestamps the signature covers: now, near it, far from it, and not numbers at all. */
const signedTimestamp = (nowValue: number, unitMs: number, junk: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(String(Math.floor(nowValue / unitMs))) },
    fc
      .integer({ min: -3_600_000, max: 3_600_000 })
      .map((d) => String(Math.floor((nowValue + d) / unitMs))),
    fc.constantFrom('', ' ', '0', '-0', '-1', '1e3', '0x10', 'Infinity', 'NaN', '9'.repeat(40)),
    fc.constant(`${Math.floor(nowValue / unitMs)}.5`),
    fc.constant(` ${Math.floor(nowValue / unitMs)}`),
    junk,
  )

/** What an HTTP header can carry: no control characters, no non-ASCII. */
const headerJunk = fc.stringMatching(/^[\x21-\x7e]{0,24}$/)

describe('fuzzing the webhooks with validly signed bodies', () => {
  let fuzz: FuzzBot
  beforeAll(async () => {
    fuzz = await startFuzzBot()
  })
  afterAll(async () => {
    await fuzz.close()
  })

  const postWecom = (query: Record<string, string>, body: string) =>
    fuzz.t.http.post('/webhooks/wecom').query(query).set('content-type', 'text/xml').send(body)

  it(
    'when WeCom posts signed, fuzzed XML, each answer is 200, 400 or 401 and nothing is recorded',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          wecomCiphertext,
          wecomEnvelope,
          fc.nat(),
          signedTimestamp(AT.getTime(), 1000, hostileText),
          async (encrypted, wrap, n, timestamp) => {
            const nonce = String(n)
            const signature = getSignature(WECOM_KEYS.token, timestamp, nonce, encrypted)
            const query = { msg_signature: signature, timestamp, nonce }
            await expectHarmless(fuzz.t, () => postWecom(query, wrap(encrypted)), [200, 400, 401])
          },
        ),
        fuzzParams(60),
      )

      await expectHealthy(fuzz.t)
      await expectNoRecords(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )

  it(
    'when WeCom verifies the URL with a signed, fuzzed echostr, each answer is 200, 400 or 401',
    async () => {
      await fc.assert(
        fc.asyncProperty(wecomCiphertext, fc.nat(), async (echostr, n) => {
          const nonce = String(n)
          const signature = getSignature(WECOM_KEYS.token, AT_SECONDS, nonce, echostr)
          const query = { msg_signature: signature, timestamp: AT_SECONDS, nonce, echostr }
          await expectHarmless(
            fuzz.t,
            () => fuzz.t.http.get('/webhooks/wecom').query(query),
            [200, 400, 401],
          )
        }),
        fuzzParams(40),
      )

      await expectHealthy(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )

  // Each DingTalk callback is signed at its own instant: the bot refuses a timestamp/sign pair
  // that another msgId already used, and the fuzzed bodies are all different messages.
  let signedAt = AT.getTime() - 30 * 60_000
  const signedDingtalk = (body: unknown) => {
    signedAt += 1
    return signedRobotRequest(body, DINGTALK_TEST_APP.appSecret, signedAt)
  }
  /** Signed over any timestamp string, as a client holding the secret could send. */
  const signedAtAny = (body: unknown, timestamp: string) => {
    const sign = createHmac('sha256', DINGTALK_TEST_APP.appSecret)
      .update(`${timestamp}\n${DINGTALK_TEST_APP.appSecret}`)
      .digest('base64')
    const req = signedRobotRequest(body, DINGTALK_TEST_APP.appSecret, 0)
    return { ...req, headers: { ...req.headers, timestamp, sign } }
  }
  const postDingtalk = (req: ReturnType<typeof signedRobotRequest>) =>
    fuzz.t.http
      .post('/webhooks/dingtalk')
      .set(req.headers as Record<string, string>)
      .send(req.rawBody.toString('utf8'))

  const anyJson = fc.oneof(hostileText, fc.integer(), fc.boolean(), fc.constant(null), fc.object())
  // Built when a test runs: the sessionWebhook points at the fake, which exists by then.
  const dingtalkBodies = () =>
    fc.oneof(
      fc
        .record(
          {
            msgtype: fc.oneof(fc.constantFrom('text', 'picture', 'richText', 'audio'), anyJson),
            text: fc.oneof(fc.record({ content: fc.oneof(hostileText, anyJson) }), anyJson),
            msgId: fc.oneof(hostileText, anyJson),
            senderStaffId: fc.oneof(hostileText, anyJson),
            senderNick: fc.oneof(hostileText, anyJson),
            conversationType: fc.oneof(fc.constantFrom('1', '2', '3'), anyJson),
            conversationId: fc.oneof(hostileText, anyJson),
            createAt: fc.oneof(fc.constant(AT.getTime()), fc.integer(), anyJson),
            sessionWebhook: fc.oneof(
              fc.constant(fuzz.dingtalk.sessionWebhookUrl('fuzz')),
              fc.webUrl(),
              anyJson,
            ),
            sessionWebhookExpiredTime: fc.oneof(fc.constant(AT.getTime() + 3_600_000), anyJson),
            atUsers: fc.oneof(fc.array(fc.object(), { maxLength: 3 }), anyJson),
            isInAtList: anyJson,
            robotCode: fc.oneof(fc.constant('fuzz-robot'), anyJson),
            code: fc.oneof(fc.constant(20001), anyJson),
          },
          { requiredKeys: [] },
        )
        .map((overrides) => ({ ...robotCallback('text-single'), ...overrides })),
      fc.jsonValue({ maxDepth: 5 }),
      hostileText,
    )

  it(
    'when DingTalk posts signed, fuzzed JSON, each answer is 200 or 400 and nothing is recorded',
    async () => {
      await fc.assert(
        fc.asyncProperty(dingtalkBodies(), async (body) => {
          const req = signedDingtalk(body)
          await expectHarmless(fuzz.t, () => postDingtalk(req), [200, 400])
        }),
        fuzzParams(60),
      )

      await expectHealthy(fuzz.t)
      await expectNoRecords(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )

  it(
    'when DingTalk signs odd timestamps, a stale or unreadable one is 401 and nothing is recorded',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          dingtalkBodies(),
          signedTimestamp(AT.getTime(), 1, headerJunk),
          async (body, timestamp) => {
            const res = await expectHarmless(
              fuzz.t,
              () => postDingtalk(signedAtAny(body, timestamp)),
              [200, 400, 401],
            )
            const ms = /^\d+$/.test(timestamp) ? Number(timestamp) : Number.NaN
            const fresh = Math.abs(ms - AT.getTime()) <= 3_600_000
            if (!fresh) expect(res.status, `timestamp ${JSON.stringify(timestamp)}`).toBe(401)
          },
        ),
        fuzzParams(40),
      )

      await expectHealthy(fuzz.t)
      await expectNoRecords(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )

  it(
    'when signed callbacks are replayed, or their signature reused with other bodies, nothing new is stored',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          wecomTextMessage,
          dingtalkBodies(),
          fc.array(dingtalkBodies(), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 3 }),
          async (inner, body, otherBodies, replays) => {
            const encrypted = encrypt(WECOM_KEYS.encodingAesKey, inner, WECOM_KEYS.corpId)
            const query = {
              msg_signature: getSignature(WECOM_KEYS.token, AT_SECONDS, '7', encrypted),
              timestamp: AT_SECONDS,
              nonce: '7',
            }
            const envelope = `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`
            const dingtalk = signedDingtalk(body)
            const first = {
              wecom: (await postWecom(query, envelope)).status,
              dingtalk: (await postDingtalk(dingtalk)).status,
            }
            // A 503 (past the deadline on a loaded machine) lets the first attempt's work land
            // later, which would blur what the replays stored: such a run proves nothing here.
            fc.pre(first.wecom !== 503 && first.dingtalk !== 503)
            await fuzz.t.bot.settle()
            const afterFirst = await keysOf(fuzz.t)

            for (let i = 0; i < replays; i++) {
              const wecom = await expectHarmless(fuzz.t, () => postWecom(query, envelope))
              expect([first.wecom, 503]).toContain(wecom.status)
              const again = await expectHarmless(fuzz.t, () => postDingtalk(dingtalk))
              expect([first.dingtalk, 503]).toContain(again.status)
            }
            expect([...(await keysOf(fuzz.t))].filter((k) => !afterFirst.has(k))).toEqual([])

            // The pair of a message DingTalk's answer took (200) is spent: another body under it
            // is refused unless it is that message again. (A pair whose first body was refused
            // was never used, and the next body under it is a first use.)
            if (first.dingtalk !== 200) return
            const original = (body as { msgId?: unknown }).msgId
            for (const other of otherBodies) {
              const forged = { ...dingtalk, rawBody: Buffer.from(JSON.stringify(other)) }
              const res = await expectHarmless(
                fuzz.t,
                () => postDingtalk(forged),
                [200, 400, 401, 503],
              )
              if (res.status === 200) expect((other as { msgId?: unknown }).msgId).toBe(original)
            }
            expect([...(await keysOf(fuzz.t))].filter((k) => !afterFirst.has(k))).toEqual([])
          },
        ),
        fuzzParams(20),
      )

      await expectHealthy(fuzz.t)
      await expectNoRecords(fuzz.t)
    },
    FUZZ_TIMEOUT_MS,
  )
})
